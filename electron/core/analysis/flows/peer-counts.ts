// Flow records counted per public peer of an interface, for the graph (graph-counts.ts) and a node's
// peers (node-counts.ts). The peer is the side the record's flow-direction says came in or went out,
// else the one public side of the two; records with no interface or no public peer are not counted.
//
// Grouped on each block's dictionary ids, a number per record, and named once per group a block
// holds: grouping every record on its texts cost about 7 µs a record, eight seconds of the graph's
// first answer on a case of a million records.
import type { CaseDb } from '../../db/open-case.ts';
import type { FlowColumns } from '../../db/flow-block-codec.ts';
import { BUCKET_MS } from '../../db/graph-bucket.ts';
import { BlockTexts } from './block-texts.ts';
import { scanFlowRecords, type FlowRecordFilter } from './flow-records.ts';

/** Records between a public peer and an interface, one way, accepted and rejected. */
export type PeerCount = { peer: string; eni: string; inbound: boolean; accepted: number; rejected: number };

/** Peers and interfaces a case may name before a link's number would lose precision (2^26 each: far past any memory). */
const MAX_NAMED = 2 ** 26;

/**
 * Every (peer, interface, direction) met is a link, numbered as met, and every link has two keys:
 * link × 2 for its accepted records, + 1 for its rejected ones. Scans share one so their rows can be
 * summed by key; `order` lists the keys in the order first met, the order answers list peers in.
 */
export class PeerKeys {
  private readonly peerIndex = new Map<string, number>();
  private readonly peerTexts: string[] = [];
  private readonly eniIndex = new Map<string, number>();
  private readonly eniTexts: string[] = [];
  private readonly linkIndex = new Map<number, number>();
  private readonly linkPeer: number[] = [];
  private readonly linkEni: number[] = [];
  private readonly linkInbound: boolean[] = [];
  private met = new Uint8Array(1024);
  /** Keys in the order first met. */
  readonly order: number[] = [];

  numberOf(peer: string, eni: string, inbound: boolean, rejected: boolean): number {
    const p = named(this.peerIndex, this.peerTexts, peer);
    const e = named(this.eniIndex, this.eniTexts, eni);
    const packed = (p * MAX_NAMED + e) * 2 + (inbound ? 1 : 0);
    let link = this.linkIndex.get(packed);
    if (link === undefined) {
      link = this.linkPeer.length;
      this.linkIndex.set(packed, link);
      this.linkPeer.push(p);
      this.linkEni.push(e);
      this.linkInbound.push(inbound);
    }
    const k = link * 2 + (rejected ? 1 : 0);
    if (k >= this.met.length) {
      const grown = new Uint8Array(this.met.length * 2);
      grown.set(this.met);
      this.met = grown;
    }
    if (this.met[k] === 0) {
      this.met[k] = 1;
      this.order.push(k);
    }
    return k;
  }

  /** One more than the highest key. */
  get size(): number {
    return this.linkPeer.length * 2;
  }

  /** The peer address of a key. */
  peerOf(k: number): string {
    return this.peerTexts[this.linkPeer[k >> 1]];
  }

  /**
   * The peers of these keys, one entry per link in the order its first key comes in `order`, with
   * `counts[key]` added to accepted or rejected.
   */
  peers(order: Iterable<number>, counts: ArrayLike<number>): PeerCount[] {
    const byLink = new Map<number, PeerCount>();
    for (const k of order) {
      const link = k >> 1;
      let p = byLink.get(link);
      if (!p) {
        p = { peer: this.peerTexts[this.linkPeer[link]], eni: this.eniTexts[this.linkEni[link]], inbound: this.linkInbound[link], accepted: 0, rejected: 0 };
        byLink.set(link, p);
      }
      if (k & 1) p.rejected += counts[k];
      else p.accepted += counts[k];
    }
    return [...byLink.values()];
  }
}

/** The number of a text in an index, adding it when new. */
function named(index: Map<string, number>, texts: string[], text: string): number {
  let n = index.get(text);
  if (n === undefined) {
    n = texts.length;
    if (n >= MAX_NAMED) throw new RangeError(`flow records naming more than ${MAX_NAMED} peers or interfaces`);
    index.set(text, n);
    texts.push(text);
  }
  return n;
}

/** Records per key and graph bucket (0 when the scan was not bucketed), as parallel lists; a key may repeat in a bucket. */
export type PeerRows = { key: number[]; bucket: number[]; n: number[] };

/** Groups one block's records on (peer id, interface id, direction, action) and, when bucketed, the graph bucket. */
class BlockGroups {
  readonly texts: BlockTexts;
  /** Group number by its packed ids; groups in the order first met. */
  private readonly groupOf = new Map<number, number>();
  private readonly peerIds: number[] = [];
  private readonly eniIds: number[] = [];
  private readonly inbound: boolean[] = [];
  private readonly rejected: boolean[] = [];
  /** Records per group and bucket: `bucket index × 2^17 + group` (a block holds at most 65,536 groups). */
  private readonly counts = new Map<number, number>();
  /** The block's buckets, numbered in the order first met. */
  private readonly bucketIndex = new Map<number, number>();
  private readonly buckets: number[] = [];

  private readonly eniColumn: Uint32Array;
  private readonly srcColumn: Uint32Array;
  private readonly dstColumn: Uint32Array;
  private readonly dirColumn: Uint32Array;
  private readonly actionColumn: Uint32Array;
  private readonly startColumn: Float64Array;

  constructor(readonly cols: FlowColumns, private readonly bucketed: boolean) {
    const texts = (this.texts = new BlockTexts(cols));
    this.eniColumn = texts.text('interfaceId');
    this.srcColumn = texts.text('srcaddr');
    this.dstColumn = texts.text('dstaddr');
    this.dirColumn = texts.text('flowDirection');
    this.actionColumn = texts.text('action');
    this.startColumn = texts.number('startTime');
  }

  add(i: number): void {
    let b = 0;
    if (this.bucketed) {
      const start = this.startColumn[i];
      if (Number.isNaN(start)) return;
      const bucket = Math.floor(start / BUCKET_MS);
      let known = this.bucketIndex.get(bucket);
      if (known === undefined) {
        known = this.buckets.length;
        this.bucketIndex.set(bucket, known);
        this.buckets.push(bucket);
      }
      b = known;
    }
    const eni = this.eniColumn[i];
    // An empty text names no interface, as a missing one does.
    if (eni === 0 || this.cols.textOf(eni) === '') return;
    const src = this.srcColumn[i];
    const dst = this.dstColumn[i];
    const texts = this.texts;
    const dir = this.dirColumn[i];
    let inbound: boolean;
    if (BlockTexts.is(dir, texts.ingress)) inbound = true;
    else if (BlockTexts.is(dir, texts.egress)) inbound = false;
    else if (texts.isPublic(src) && !texts.isPublic(dst)) inbound = true;
    else if (texts.isPublic(dst) && !texts.isPublic(src)) inbound = false;
    else return;
    const peer = inbound ? src : dst;
    if (!texts.isPublic(peer)) return;
    const rejected = BlockTexts.is(this.actionColumn[i], texts.reject);
    // Ids are at most the dictionary's size, which a block's 64 MB bound keeps under 2^25: the packed number stays exact.
    const size = this.cols.texts + 1;
    const packed = ((peer * size + eni) * 2 + (inbound ? 1 : 0)) * 2 + (rejected ? 1 : 0);
    let g = this.groupOf.get(packed);
    if (g === undefined) {
      g = this.peerIds.length;
      this.groupOf.set(packed, g);
      this.peerIds.push(peer);
      this.eniIds.push(eni);
      this.inbound.push(inbound);
      this.rejected.push(rejected);
    }
    const c = b * 131_072 + g;
    this.counts.set(c, (this.counts.get(c) ?? 0) + 1);
  }

  /** Adds the block's groups to `rows`, numbered through `keys` in the order first met. */
  flush(keys: PeerKeys, rows: PeerRows): void {
    const numbers = this.peerIds.map((peer, g) =>
      keys.numberOf(this.cols.textOf(peer)!, this.cols.textOf(this.eniIds[g])!, this.inbound[g], this.rejected[g]));
    for (const [c, n] of this.counts) {
      const g = c % 131_072;
      rows.key.push(numbers[g]);
      rows.bucket.push(this.bucketed ? this.buckets[(c - g) / 131_072] : 0);
      rows.n.push(n);
    }
  }
}

/**
 * The records matching `f`, counted per key of `keys` (new keys numbered as met) and, when `bucketed`,
 * per graph bucket (records without a start are left out then). With `limit`, only the first `limit`
 * records the scan meets are counted (all of them, public peer or not), and `cut` says there were more.
 */
export function scanPeerCounts(db: CaseDb, f: FlowRecordFilter, keys: PeerKeys, options: { bucketed: boolean; limit?: number }): { rows: PeerRows; cut: boolean } {
  const rows: PeerRows = { key: [], bucket: [], n: [] };
  const limit = options.limit ?? Infinity;
  let seen = 0;
  let block: BlockGroups | null = null;
  scanFlowRecords(db, f, (cols, i) => {
    if (++seen > limit) return false;
    if (block?.cols !== cols) {
      block?.flush(keys, rows);
      block = new BlockGroups(cols, options.bucketed);
    }
    block.add(i);
  });
  (block as BlockGroups | null)?.flush(keys, rows);
  return { rows, cut: seen > limit };
}
