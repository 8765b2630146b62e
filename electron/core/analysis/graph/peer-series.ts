// The graph's flow counts over time (graph-counts.ts): the rows of a bucketed peer scan sorted by
// bucket once, so the records before a moment are a prefix of the rows summed per key. Typed arrays,
// not a series per key: a scanned account has hundreds of thousands of (peer, interface) keys.
import type { PeerKeys, PeerRows } from '../flows/peer-counts.ts';
import { countBelow } from '../count-below.ts';

export class PeerSeries {
  private readonly buckets: Float64Array;
  private readonly rowKeys: Uint32Array;
  private readonly counts: Float64Array;

  constructor(readonly keys: PeerKeys, rows: PeerRows) {
    const order = rows.bucket.map((_, i) => i).sort((a, b) => rows.bucket[a] - rows.bucket[b]);
    this.buckets = Float64Array.from(order, (i) => rows.bucket[i]);
    this.rowKeys = Uint32Array.from(order, (i) => rows.key[i]);
    this.counts = Float64Array.from(order, (i) => rows.n[i]);
  }

  /**
   * Records per key in the buckets before `bucket` (exclusive), in an array of `size` entries (at least
   * the keys' size), and the keys that have any, in the order first met.
   */
  before(bucket: number, size = this.keys.size): { counts: Float64Array; order: number[] } {
    const counts = new Float64Array(size);
    const end = countBelow(this.buckets, bucket);
    for (let r = 0; r < end; r++) counts[this.rowKeys[r]] += this.counts[r];
    const order: number[] = [];
    for (const k of this.keys.order) if (counts[k] > 0) order.push(k);
    return { counts, order };
  }
}
