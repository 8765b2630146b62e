// A batch of flow records made ready to store, in the reader thread (a live pull's page, and an older
// case's rows in migration 0129, on the writer's): its column block, a content hash
// per record (deduplication), and the roll-ups that say where to look (migration 0129): per address
// and graph bucket, the records with it as source and as destination; per interface and bucket, its
// records; per interface and instance, the VPC and subnet of its latest record; the accounts and
// regions seen. A record without a start time is in bucket -1.
import { BUCKET_MS } from './graph-bucket.ts';
import { decodeFlowColumns, packFlowColumns, type NumericField, type TextField } from './flow-block-codec.ts';
import { FlowColumnsBuilder, NUMBER_SLOT, TEXT_SLOT } from './flow-columns-builder.ts';
import { HashSet } from './hash-set.ts';
import type { FlowRow } from './flow-row.ts';

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

/** The block of these records (a live pull's page, a stored block's rows, tests): at most BLOCK_RECORDS. */
export function buildFlowBlock(input: readonly FlowRow[], knownHashes?: readonly number[]): FlowBlock {
  const records = new FlowColumnsBuilder(Math.max(1, input.length));
  for (let i = 0; i < input.length; i++) {
    const known = knownHashes?.[i];
    if (known === undefined) records.addRow(input[i]);
    else records.addRow(input[i], known);
  }
  return flowBlockOf(records);
}

/** The block of the records a builder holds, less those it holds twice (dropped from the builder too). */
export function flowBlockOf(records: FlowColumnsBuilder): FlowBlock {
  const duplicates = records.dropRepeated(new HashSet(records.length));
  const { length: n, dict } = records;
  const text = (field: TextField) => records.text[TEXT_SLOT[field]];
  const number = (field: NumericField) => records.num[NUMBER_SLOT[field]];
  // The roll-ups are counted on the columns' dictionary ids (0: no value): integer keys, each text
  // looked up once per record (by the columns), not again per roll-up. A column no record fills is null.
  const starts = number('startTime');
  const ends = number('endTime');
  const src = text('srcaddr');
  const dst = text('dstaddr');
  const eni = text('interfaceId');
  const instance = text('instanceId');
  const vpc = text('vpcId');
  const subnet = text('subnetId');
  const account = text('accountId');
  const region = text('region');
  const name = (id: number) => (id === 0 ? '' : dict[id - 1]);
  let firstStart = Infinity;
  let lastStart = -Infinity;
  let lastEnd = -Infinity;
  let untimed = 0;
  // Per bucket (a block spans a few), per address id: [as source, as destination].
  const addresses = new Map<number, Map<number, [number, number]>>();
  // Keyed by id and bucket: a key is a text's id plus the id space times a small number (the bucket's
  // slot, or the other id), within the integers a double holds exactly.
  const space = dict.length + 1;
  const slots = new Map<number, number>();
  const interfaceBuckets = new Map<number, FlowInterfaceBucket>();
  const interfaces = new Map<number, FlowInterfaceUse>();
  const origins = new Map<number, FlowOrigin>();
  let lastOrigin = -1;
  for (let i = 0; i < n; i++) {
    const s = starts === null || Number.isNaN(starts[i]) ? null : starts[i];
    let bucket = UNTIMED_BUCKET;
    if (s !== null) {
      if (s < firstStart) firstStart = s;
      if (s > lastStart) lastStart = s;
      bucket = Math.floor(s / BUCKET_MS);
    } else untimed++;
    const end = ends === null || Number.isNaN(ends[i]) ? s : ends[i];
    if (end !== null && end > lastEnd) lastEnd = end;
    let inBucket = addresses.get(bucket);
    if (!inBucket) addresses.set(bucket, (inBucket = new Map()));
    const from = src === null ? 0 : src[i];
    if (from !== 0) {
      const a = inBucket.get(from);
      if (a) a[0]++;
      else inBucket.set(from, [1, 0]);
    }
    const to = dst === null ? 0 : dst[i];
    if (to !== 0) {
      const a = inBucket.get(to);
      if (a) a[1]++;
      else inBucket.set(to, [0, 1]);
    }
    const e = eni === null ? 0 : eni[i];
    if (e !== 0) {
      let slot = slots.get(bucket);
      if (slot === undefined) slots.set(bucket, (slot = slots.size));
      const ib = interfaceBuckets.get(e + space * slot);
      if (ib) ib[2]++;
      else interfaceBuckets.set(e + space * slot, [dict[e - 1], bucket, 1]);
      const inst = instance === null ? 0 : instance[i];
      const u = interfaces.get(e + space * inst);
      const t = s ?? -Infinity;
      if (!u) interfaces.set(e + space * inst, [dict[e - 1], name(inst), name(vpc === null ? 0 : vpc[i]), name(subnet === null ? 0 : subnet[i]), t, 1]);
      else {
        u[5]++;
        // The VPC and subnet of the interface's latest record, as its listing shows them.
        if (t >= u[4]) {
          u[2] = name(vpc === null ? 0 : vpc[i]);
          u[3] = name(subnet === null ? 0 : subnet[i]);
          u[4] = t;
        }
      }
    }
    const acc = account === null ? 0 : account[i];
    const reg = region === null ? 0 : region[i];
    const origin = acc + space * reg;
    if (origin !== 0 && origin !== lastOrigin) {
      lastOrigin = origin;
      if (!origins.has(origin)) origins.set(origin, [name(acc), name(reg)]);
    }
  }
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  return {
    records: n,
    duplicates,
    columns: packFlowColumns(records),
    hashes: records.hashes.slice(0, n),
    firstStart: finite(firstStart),
    lastStart: finite(lastStart),
    lastEnd: finite(lastEnd),
    untimed,
    addresses: packed(addresses, dict),
    interfaceBuckets: [...interfaceBuckets.values()],
    interfaces: [...interfaces.values()].map((u) => [u[0], u[1], u[2], u[3], Number.isFinite(u[4]) ? u[4] : 0, u[5]]),
    origins: [...origins.values()],
  };
}

function packed(byBucket: Map<number, Map<number, [number, number]>>, dict: readonly string[]): FlowAddressUses {
  const addresses: string[] = [];
  const counts: number[] = [];
  for (const [bucket, uses] of byBucket) {
    for (const [id, [asSource, asDestination]] of uses) {
      addresses.push(dict[id - 1]);
      counts.push(bucket, asSource, asDestination);
    }
  }
  return { addresses, counts: Float64Array.from(counts) };
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
