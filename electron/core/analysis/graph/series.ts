// Counts per key over time buckets, summed up to a moment by binary search: the graph at T asks
// "how many events touched each of thousands of resources before T" on every slider move, and a
// prefix sum per key answers that without touching the million event rows again.
import { countBelow } from '../count-below.ts';

export class SeriesMap {
  private pending = new Map<string, number[]>(); // key → [bucket, count, bucket, count, …]
  private done = new Map<string, { buckets: Float64Array; sums: Float64Array }>();

  add(key: string, bucket: number, count: number): void {
    let p = this.pending.get(key);
    if (!p) this.pending.set(key, (p = []));
    p.push(bucket, count);
  }

  /** Sorts and accumulates; call once after the last add. */
  finish(): this {
    for (const [key, flat] of this.pending) {
      const pairs: [number, number][] = [];
      for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i], flat[i + 1]]);
      pairs.sort((a, b) => a[0] - b[0]);
      const buckets = new Float64Array(pairs.length);
      const sums = new Float64Array(pairs.length);
      let total = 0;
      pairs.forEach(([b, n], i) => {
        total += n;
        buckets[i] = b;
        sums[i] = total;
      });
      this.done.set(key, { buckets, sums });
    }
    this.pending.clear();
    return this;
  }

  /** Every key's count over buckets before `bucket` (exclusive); keys with none are left out. */
  before(bucket: number): Map<string, number> {
    const out = new Map<string, number>();
    for (const [key, s] of this.done) {
      const n = countBefore(s.buckets, s.sums, bucket);
      if (n > 0) out.set(key, n);
    }
    return out;
  }

  get size(): number {
    return this.done.size;
  }
}

function countBefore(buckets: Float64Array, sums: Float64Array, bucket: number): number {
  const n = countBelow(buckets, bucket);
  return n === 0 ? 0 : sums[n - 1];
}

export function addTo(m: Map<string, number>, key: string, n: number): void {
  m.set(key, (m.get(key) ?? 0) + n);
}
