// Rows of a timeline too long to hold: the density histogram says how many events fall in each time
// bucket, so row i maps to a bucket and an offset inside it, and only the buckets on screen are
// fetched, page by page (keyset cursors), however far the user drags the scrollbar.
import type { TimelineFilterInput } from '../../../shared/api/index.ts';
import type { Histogram } from '../../../shared/api/types.ts';
import type { TimelineRow } from '../../../shared/engine-types.ts';
import { call } from '../api/client.ts';

const PAGE = 500;

type Bucket = { rows: TimelineRow[]; cursor: string | null; complete: boolean; loading: boolean };

export class RowSource {
  readonly total: number;
  private readonly starts: number[];
  private readonly buckets = new Map<number, Bucket>();
  private failed: string | null = null;

  constructor(
    private readonly filter: TimelineFilterInput,
    private readonly histogram: Histogram,
    private readonly onLoaded: () => void,
  ) {
    this.starts = [];
    let sum = 0;
    for (const c of histogram.counts) {
      this.starts.push(sum);
      sum += c;
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
    while (lo < this.starts.length - 1 && this.histogram.counts[lo] === 0) lo++;
    return { bucket: lo, offset: index - this.starts[lo] };
  }

  /** The row at an index, or null while its page is on the way (a fetch is started). */
  row(index: number): TimelineRow | null {
    if (index < 0 || index >= this.total) return null;
    const { bucket, offset } = this.locate(index);
    const b = this.buckets.get(bucket);
    if (b && offset < b.rows.length) return b.rows[offset];
    if (!b || (!b.complete && !b.loading)) void this.load(bucket);
    return null;
  }

  private async load(index: number): Promise<void> {
    const b = this.buckets.get(index) ?? { rows: [], cursor: null, complete: false, loading: false };
    this.buckets.set(index, b);
    b.loading = true;
    const from = Date.parse(this.histogram.from) + index * this.histogram.bucketMs;
    const to = Math.min(from + this.histogram.bucketMs, Date.parse(this.histogram.to));
    const r = await call('timeline:page', {
      filter: { ...this.filter, from: new Date(from).toISOString(), to: new Date(to).toISOString() },
      cursor: b.cursor,
      limit: PAGE,
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
