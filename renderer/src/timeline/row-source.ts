// Rows of a timeline too long to hold: the density histogram says how many events fall in each time
// bucket, so row i maps to a bucket and an offset inside it, and only the buckets on screen are
// fetched, page by page (keyset cursors), however far the user drags the scrollbar.
import type { TimelineFilterInput } from '../../../shared/api/index.ts';
import type { Histogram } from '../../../shared/api/types.ts';
import type { TimelineRow } from '../../../shared/engine-types.ts';
import { call } from '../api/client.ts';

// Rows per call: about three screens past the row asked for. A row costs about 0.2 ms to build on the
// server (its strings, origin and resources): scrolling on asks for 100 rows (20 ms), and a jump into
// a bucket reads up to the row in one call rather than in a round trip per page (each one queued
// behind whatever else the server is answering). The contract's ceiling is 1,000 rows a call.
const PAGE = 100;
const MAX_PAGE = 1000;

type Bucket = { rows: TimelineRow[]; cursor: string | null; complete: boolean; loading: boolean };
/** A bucket's times: `from` inclusive, `to` exclusive (the workbench filter's), either open. */
type Window = { from?: number; to?: number; count: number };

export class RowSource {
  readonly total: number;
  private readonly starts: number[];
  /** The histogram's buckets in time order, with one before and one after for the far events it counts but does not draw. */
  private readonly windows: Window[];
  private readonly buckets = new Map<number, Bucket>();
  private failed: string | null = null;

  constructor(
    private readonly filter: TimelineFilterInput,
    histogram: Histogram,
    private readonly onLoaded: () => void,
    /** Newest first: row i is the (total − 1 − i)th in time order. */
    private readonly descending = false,
  ) {
    const from = Date.parse(histogram.from);
    const to = Date.parse(histogram.to);
    this.windows = histogram.counts.map((count, i) => ({ from: from + i * histogram.bucketMs, to: Math.min(from + (i + 1) * histogram.bucketMs, to), count }));
    if (histogram.earlier) this.windows.unshift({ to: from, count: histogram.earlier });
    if (histogram.later) this.windows.push({ from: to, count: histogram.later });
    this.starts = [];
    let sum = 0;
    for (const w of this.windows) {
      this.starts.push(sum);
      sum += w.count;
    }
    this.total = sum;
  }

  get error(): string | null {
    return this.failed;
  }

  private locate(index: number): { bucket: number; offset: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    // Skip empty buckets that share a start with the one holding the row.
    while (lo < this.starts.length - 1 && this.windows[lo].count === 0) lo++;
    return { bucket: lo, offset: index - this.starts[lo] };
  }

  /** The row at an index, or null while its page is on the way (a fetch is started). */
  row(index: number): TimelineRow | null {
    if (index < 0 || index >= this.total) return null;
    // Newest first reads a bucket's pages from its start up to the row (pages follow time order).
    if (this.descending) index = this.total - 1 - index;
    const { bucket, offset } = this.locate(index);
    const b = this.buckets.get(bucket);
    if (b && offset < b.rows.length) return b.rows[offset];
    if (!b || (!b.complete && !b.loading)) void this.load(bucket, offset);
    return null;
  }

  /**
   * Where an event sits in this list, or null when the filter leaves it out. Its time names the
   * bucket; the bucket is read up to the event (it is fetched once and kept, as scrolling would).
   */
  async indexOf(id: number, time: string): Promise<number | null> {
    const at = await this.indexInTimeOrder(id, time);
    return at !== null && this.descending ? this.total - 1 - at : at;
  }

  private async indexInTimeOrder(id: number, time: string): Promise<number | null> {
    const t = Date.parse(time);
    const bucket = this.windows.findIndex((w) => (w.from === undefined || t >= w.from) && (w.to === undefined || t < w.to));
    if (!Number.isFinite(t) || bucket < 0 || this.windows[bucket].count === 0) return null;
    for (;;) {
      const b = this.buckets.get(bucket);
      const at = b ? b.rows.findIndex((r) => r.id === id) : -1;
      if (at >= 0) return this.starts[bucket] + at;
      if (b?.complete) return null;
      if (b?.loading) await new Promise((resolve) => setTimeout(resolve, 20));
      else await this.load(bucket);
      if (this.failed) return null;
    }
  }

  /** The bucket's next page, long enough to reach row `upTo` of the bucket. */
  private async load(index: number, upTo = 0): Promise<void> {
    const b = this.buckets.get(index) ?? { rows: [], cursor: null, complete: false, loading: false };
    this.buckets.set(index, b);
    b.loading = true;
    const { from, to } = this.windows[index];
    const filter = { ...this.filter };
    delete filter.from;
    delete filter.to;
    if (from !== undefined) filter.from = new Date(from).toISOString();
    if (to !== undefined) filter.to = new Date(to).toISOString();
    const r = await call('timeline:page', {
      filter,
      cursor: b.cursor,
      limit: Math.min(MAX_PAGE, Math.max(PAGE, upTo - b.rows.length + PAGE)),
    });
    b.loading = false;
    if (!r.ok) {
      this.failed = r.error.message;
      b.complete = true;
    } else {
      b.rows.push(...r.value.rows);
      b.cursor = r.value.nextCursor;
      b.complete = r.value.nextCursor === null;
    }
    this.onLoaded();
  }
}
