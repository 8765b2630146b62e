// The earliest k of a stream of flow records by (start, id), records without a start first (as
// flow-records.ts orders them), in bounded memory: the (start, id) pairs of at most 2k records, cut
// back to the k earliest whenever that fills. A question that reads "the earliest 500,000 records"
// knows from it where they end, and a scan in order of the blocks' first starts where it may stop.
import { countBelow } from '../count-below.ts';

/** A record's place in that order: `includes` says whether a record comes at or before it. */
export class RecordOrder {
  constructor(readonly start: number, readonly id: number) {}

  includes(start: number, id: number): boolean {
    const s = Number.isNaN(start) ? -Infinity : start;
    return s < this.start || (s === this.start && id <= this.id);
  }
}

export class EarliestRecords {
  /** Records offered. */
  seen = 0;
  private starts: Float64Array;
  private ids: Float64Array;
  private n = 0;
  /** The k-th earliest so far, or a later record (a bound that only gets earlier); null before k were seen. */
  private bound: RecordOrder | null = null;
  /** The latest of the first k offered: the k-th earliest once exactly k were. */
  private latest = new RecordOrder(-Infinity, -Infinity);

  constructor(private readonly k: number) {
    if (!(k >= 1)) throw new RangeError('the earliest records: at least one');
    this.starts = new Float64Array(Math.min(2 * k, 4096));
    this.ids = new Float64Array(this.starts.length);
  }

  add(start: number, id: number): void {
    this.seen++;
    const s = Number.isNaN(start) ? -Infinity : start;
    if (this.bound && !this.bound.includes(s, id)) return;
    if (this.seen <= this.k && (s > this.latest.start || (s === this.latest.start && id > this.latest.id))) this.latest = new RecordOrder(s, id);
    if (this.n === this.starts.length) {
      if (this.n < 2 * this.k) this.grow();
      else {
        this.trim();
        if (!this.bound!.includes(s, id)) return;
      }
    }
    this.starts[this.n] = s;
    this.ids[this.n] = id;
    this.n++;
    if (this.seen === this.k) this.bound = this.latest;
  }

  /** Where the earliest k so far end (a bound: the true place may be earlier), or null before k were seen. */
  boundSoFar(): RecordOrder | null {
    return this.bound;
  }

  /** Where the earliest k of every record offered end. */
  cutoff(): RecordOrder {
    if (this.n > this.k) this.trim();
    return this.bound ?? this.latest;
  }

  private grow(): void {
    const size = Math.min(2 * this.k, this.starts.length * 2);
    const starts = new Float64Array(size);
    const ids = new Float64Array(size);
    starts.set(this.starts);
    ids.set(this.ids);
    this.starts = starts;
    this.ids = ids;
  }

  /** Keeps the k earliest held, and makes the k-th of them the bound. */
  private trim(): void {
    const held = this.starts.subarray(0, this.n);
    const sorted = Float64Array.from(held).sort();
    const start = sorted[this.k - 1];
    // Of the records starting at the k-th start, the earliest ids make up the count.
    const need = this.k - countBelow(sorted, start);
    const ties: number[] = [];
    for (let i = 0; i < this.n; i++) if (held[i] === start) ties.push(this.ids[i]);
    ties.sort((a, b) => a - b);
    this.bound = new RecordOrder(start, ties[need - 1]);
    let kept = 0;
    for (let i = 0; i < this.n; i++) {
      if (!this.bound.includes(this.starts[i], this.ids[i])) continue;
      this.starts[kept] = this.starts[i];
      this.ids[kept] = this.ids[i];
      kept++;
    }
    this.n = kept;
  }
}
