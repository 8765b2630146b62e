// A batch of flow records made ready to store, in the reader thread (a live pull's page, and an older
// case's rows in migration 0129, on the writer's): its column block, a content hash
// per record (deduplication), and the roll-ups that say where to look (migration 0129): per address
// and graph bucket, the records with it as source and as destination; per interface and bucket, its
// records; per interface and instance, the VPC and subnet of its latest record; the accounts and
// regions seen. A record without a start time is in bucket -1.
import { BUCKET_MS } from './graph-bucket.ts';
import { decodeFlowColumns, encodeFlowColumns } from './flow-block-codec.ts';
import { flowContentHash } from './flow-content-hash.ts';
import { HashSet } from './hash-set.ts';
import type { FlowRow } from './flow-row.ts';

type FlowAddressUse = [address: string, bucket: number, asSource: number, asDestination: number];
/**
 * Per address and bucket, its records as source and as destination: the addresses in one list and
 * the numbers in one array (bucket, as source, as destination for each), because a block posted
 * from a reader thread is copied, and half a million small arrays cost more to copy than to count.
 */
export type FlowAddressUses = { addresses: string[]; counts: Float64Array };
// '' stands for an absent value in the roll-ups' keys (a key column cannot hold NULL and stay unique).
export type FlowInterfaceBucket = [eni: string, bucket: number, records: number];
export type FlowInterfaceUse = [eni: string, instance: string, vpc: string, subnet: string, last: number, records: number];
export type FlowOrigin = [account: string, region: string];

export type FlowBlock = {
  records: number;
  /** Records dropped because an earlier record of the same batch had the same content. */
  duplicates: number;
  columns: Uint8Array;
  hashes: Float64Array;
  firstStart: number | null;
  lastStart: number | null;
  lastEnd: number | null;
  /** Records without a start time. */
  untimed: number;
  addresses: FlowAddressUses;
  interfaceBuckets: FlowInterfaceBucket[];
  interfaces: FlowInterfaceUse[];
  origins: FlowOrigin[];
};

export const UNTIMED_BUCKET = -1;
const SEP = '\u0000';

export function buildFlowBlock(input: readonly FlowRow[], knownHashes?: readonly number[]): FlowBlock {
  const seen = new HashSet(input.length);
  const rows: FlowRow[] = [];
  const hashes: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const h = knownHashes?.[i] ?? flowContentHash(input[i]);
    if (!seen.add(h)) continue;
    rows.push(input[i]);
    hashes.push(h);
  }
  let firstStart = Infinity;
  let lastStart = -Infinity;
  let lastEnd = -Infinity;
  let untimed = 0;
  // Keyed by bucket first: a block spans a few buckets, so each bucket's map stays small.
  const addresses = new Map<number, Map<string, FlowAddressUse>>();
  const interfaceBuckets = new Map<string, FlowInterfaceBucket>();
  const interfaces = new Map<string, FlowInterfaceUse>();
  const origins = new Map<string, FlowOrigin>();
  // Records of a file mostly repeat the interface, instance, account and region of the one before: compared first, looked up only when they change.
  let lastInterface: FlowInterfaceBucket | null = null;
  let lastUse: FlowInterfaceUse | null = null;
  let lastAccount: string | null = null;
  let lastRegion: string | null = null;
  for (const r of rows) {
    const s = r.startTime;
    let bucket = UNTIMED_BUCKET;
    if (s !== null) {
      if (s < firstStart) firstStart = s;
      if (s > lastStart) lastStart = s;
      bucket = Math.floor(s / BUCKET_MS);
    } else untimed++;
    const end = r.endTime ?? s;
    if (end !== null && end > lastEnd) lastEnd = end;
    let inBucket = addresses.get(bucket);
    if (!inBucket) addresses.set(bucket, (inBucket = new Map()));
    if (r.srcaddr !== null) {
      const a = inBucket.get(r.srcaddr);
      if (a) a[2]++;
      else inBucket.set(r.srcaddr, [r.srcaddr, bucket, 1, 0]);
    }
    if (r.dstaddr !== null) {
      const a = inBucket.get(r.dstaddr);
      if (a) a[3]++;
      else inBucket.set(r.dstaddr, [r.dstaddr, bucket, 0, 1]);
    }
    if (r.interfaceId !== null) {
      if (lastInterface && lastInterface[0] === r.interfaceId && lastInterface[1] === bucket) lastInterface[2]++;
      else {
        const key: string = `${r.interfaceId}${SEP}${bucket}`;
        lastInterface = interfaceBuckets.get(key) ?? null;
        if (lastInterface) lastInterface[2]++;
        else interfaceBuckets.set(key, (lastInterface = [r.interfaceId, bucket, 1]));
      }
      const u: FlowInterfaceUse | undefined = lastUse && lastUse[0] === r.interfaceId && lastUse[1] === (r.instanceId ?? '') ? lastUse
        : interfaces.get(r.instanceId === null ? r.interfaceId : `${r.interfaceId}${SEP}${r.instanceId}`);
      const t = s ?? -Infinity;
      if (!u) {
        lastUse = [r.interfaceId, r.instanceId ?? '', r.vpcId ?? '', r.subnetId ?? '', t, 1];
        interfaces.set(r.instanceId === null ? r.interfaceId : `${r.interfaceId}${SEP}${r.instanceId}`, lastUse);
      } else {
        lastUse = u;
        u[5]++;
        // The VPC and subnet of the interface's latest record, as its listing shows them.
        if (t >= u[4]) {
          u[2] = r.vpcId ?? '';
          u[3] = r.subnetId ?? '';
          u[4] = t;
        }
      }
    }
    if ((r.accountId !== null || r.region !== null) && (r.accountId !== lastAccount || r.region !== lastRegion)) {
      lastAccount = r.accountId;
      lastRegion = r.region;
      const key = `${r.accountId ?? ''}${SEP}${r.region ?? ''}`;
      if (!origins.has(key)) origins.set(key, [r.accountId ?? '', r.region ?? '']);
    }
  }
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  return {
    records: rows.length,
    duplicates: input.length - rows.length,
    columns: encodeFlowColumns(rows),
    hashes: Float64Array.from(hashes),
    firstStart: finite(firstStart),
    lastStart: finite(lastStart),
    lastEnd: finite(lastEnd),
    untimed,
    addresses: packed([...addresses.values()].flatMap((m) => [...m.values()])),
    interfaceBuckets: [...interfaceBuckets.values()],
    interfaces: [...interfaces.values()].map((u) => [u[0], u[1], u[2], u[3], Number.isFinite(u[4]) ? u[4] : 0, u[5]]),
    origins: [...origins.values()],
  };
}

function packed(uses: FlowAddressUse[]): FlowAddressUses {
  const counts = new Float64Array(3 * uses.length);
  uses.forEach((u, k) => counts.set([u[1], u[2], u[3]], 3 * k));
  return { addresses: uses.map((u) => u[0]), counts };
}

/** The block without the records at `positions` (the few a case already holds: the writer's rare path). */
export function withoutRecords(block: FlowBlock, positions: readonly number[]): FlowBlock {
  const drop = new Set(positions);
  const columns = decodeFlowColumns(block.columns);
  const rows: FlowRow[] = [];
  const hashes: number[] = [];
  for (let i = 0; i < columns.n; i++) {
    if (drop.has(i)) continue;
    rows.push(columns.row(i));
    hashes.push(block.hashes[i]);
  }
  return { ...buildFlowBlock(rows, hashes), duplicates: block.duplicates };
}
