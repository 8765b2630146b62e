// A rule's hits, at most a limit of them: the earliest in the timeline's order (time, then eventID).
// Candidates arrive in the order of their raw blocks, which is the order an ingest wrote its files in,
// so keeping the first hits found would keep different ones for the same evidence ingested twice. Once
// the limit is reached only hits earlier than the latest kept one are taken, and a candidate later than
// that is not read at all (`wants`), so a rule matching most events still stops costing work.

/** What ordering a hit needs: its event row and time. */
export type Timed = { id: number; time: number };

export class EarliestHits<H extends Timed> {
  private list: H[] = [];
  /** The latest hit kept, once the limit has been reached; earlier hits may still replace it. */
  private last: H | null = null;

  constructor(
    private readonly limit: number,
    /** The timeline's order of two hits (time, eventID, row). */
    private readonly order: (a: H, b: H) => number,
  ) {}

  /** Whether more hits were found than kept. */
  get overflowed(): boolean {
    return this.last !== null;
  }

  /** Whether a candidate at this time could still be kept (one of the latest kept one's second could). */
  wants(time: number): boolean {
    return this.last === null || time <= this.last.time;
  }

  add(hit: H): void {
    if (this.last !== null && this.order(hit, this.last) > 0) return;
    this.list.push(hit);
    // Trimmed when the list doubles, not at each hit: the sort is paid once per `limit` hits.
    if (this.list.length > (this.last === null ? this.limit : 2 * this.limit)) this.trim();
  }

  /** The hits kept, in the timeline's order. */
  hits(): H[] {
    if (this.list.length > this.limit) this.trim();
    return this.list.sort(this.order);
  }

  private trim(): void {
    this.list.sort(this.order);
    this.list.length = this.limit;
    this.last = this.list[this.limit - 1];
  }
}
