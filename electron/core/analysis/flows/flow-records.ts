// Flow records read back from their column blocks (migration 0129), filtered in memory. Which blocks
// to read: those whose time range meets the asked one, and for an interface or an address only those
// that span a graph bucket its roll-ups (flow_interface_buckets, flow_addresses) list, so a question
// about one interface decodes the blocks of the hours it was seen, not the whole case.
import type { CaseDb } from '../../db/open-case.ts';
import { decodeFlowColumns, BLOCK_RECORDS, FlowBlockError, MAX_STORED_COLUMNS_BYTES, type FlowColumns } from '../../db/flow-block-codec.ts';
import { BUCKET_MS } from '../../db/graph-bucket.ts';
import type { FlowRow } from '../../ingest/types.ts';
import { UNTIMED_BUCKET } from '../../db/flow-block.ts';
import { stmt } from '../prepared.ts';
import { countBelow } from '../count-below.ts';

/** A stored record and its id: its block's id times BLOCK_RECORDS plus its place in the block. */
export type FlowRecord = FlowRow & { id: number };

/** A flow record's own text field, or null where the log wrote none ("-", or a field its format lacks). */
export const loggedText = (v: string | null | undefined): string | null => (v && v !== '-' ? v : null);

export type FlowRecordFilter = {
  eni?: string;
  /** Either side of the record. */
  ip?: string;
  srcaddr?: string;
  dstaddr?: string;
  /** Either port. */
  port?: number;
  dstPorts?: readonly number[];
  action?: string;
  accounts?: readonly string[];
  /** Start time bounds, epoch ms, inclusive. */
  from?: number;
  to?: number;
};

type BlockSpan = { id: number; first: number | null; last: number | null; untimed: 0 | 1 };

/** A record's columns as a scan sees them: `cols.row(i)` builds the whole record when it is wanted. */
export type FlowVisit = (cols: FlowColumns, i: number, id: number) => boolean | void;

/** What a scan tells its caller between records; either stops the scan by returning false. */
export type ScanHooks = {
  /** Each block's first start (null for a block that may hold records without one), before it is read. */
  beforeBlock?: (first: number | null) => boolean;
  /** How many records each block held once read, matching or not: what the scan cost, as a budget counts it. */
  decoded?: (records: number) => boolean;
};

/**
 * Calls `visit` for each matching record, block by block (blocksInOrder; records in a block in stored
 * order); stops when it returns false, or when one of the `hooks` does.
 */
export function scanFlowRecords(db: CaseDb, f: FlowRecordFilter, visit: FlowVisit, hooks: ScanHooks = {}): void {
  // A blob larger than any block is not read into memory (a crafted case): its records are left out, as a damaged block's are.
  const data = stmt(db, `SELECT columns FROM flow_block_data WHERE id = ? AND length(columns) <= ${MAX_STORED_COLUMNS_BYTES}`).pluck();
  const none = new Uint32Array(0);
  for (const b of candidateBlocks(db, f)) {
    if (hooks.beforeBlock && !hooks.beforeBlock(b.untimed ? null : b.first)) return;
    const cols = readable(data.get(b.id) as Uint8Array | undefined);
    if (!cols) continue;
    if (hooks.decoded && !hooks.decoded(cols.n)) return;
    // Texts asked for become this block's dictionary ids; a block without one of them holds no match.
    const idOf = (value: string | undefined) => (value === undefined ? -1 : cols.idOf(value));
    const eni = idOf(f.eni);
    const src = idOf(f.srcaddr);
    const dst = idOf(f.dstaddr);
    const ip = idOf(f.ip);
    const action = idOf(f.action);
    const accounts = f.accounts?.map((a) => cols.idOf(a)).filter((id) => id > 0);
    if (eni === 0 || src === 0 || dst === 0 || ip === 0 || action === 0 || accounts?.length === 0) continue;
    const enis = cols.ids.interfaceId ?? none;
    const srcs = cols.ids.srcaddr ?? none;
    const dsts = cols.ids.dstaddr ?? none;
    const actions = cols.ids.action ?? none;
    const accountIds = cols.ids.accountId ?? none;
    const start = cols.num.startTime;
    const dports = cols.num.dstport;
    const sports = cols.num.srcport;
    for (let i = 0; i < cols.n; i++) {
      if (eni > 0 && enis[i] !== eni) continue;
      if (src > 0 && srcs[i] !== src) continue;
      if (dst > 0 && dsts[i] !== dst) continue;
      if (ip > 0 && srcs[i] !== ip && dsts[i] !== ip) continue;
      if (action > 0 && actions[i] !== action) continue;
      if (accounts !== undefined && !accounts.includes(accountIds[i])) continue;
      const s = start ? start[i] : NaN;
      if (f.from !== undefined && !(s >= f.from)) continue;
      if (f.to !== undefined && !(s <= f.to)) continue;
      const dport = dports?.[i];
      if (f.port !== undefined && dport !== f.port && sports?.[i] !== f.port) continue;
      if (f.dstPorts !== undefined && !f.dstPorts.includes(dport as number)) continue;
      if (visit(cols, i, b.id * BLOCK_RECORDS + i) === false) return;
    }
  }
}

/**
 * A block's columns, or null when it cannot be read (a damaged or altered case file): as with the
 * events' raw records (db/raw-events.ts), every answer goes on without its records.
 */
function readable(bytes: Uint8Array | undefined): FlowColumns | null {
  if (!bytes) return null;
  try {
    return decodeFlowColumns(bytes);
  } catch (err) {
    if (err instanceof FlowBlockError) return null;
    throw err;
  }
}

/** The records that match, earliest start first, at most `limit`; `cut` when there may be more. */
export function flowRecords(db: CaseDb, f: FlowRecordFilter, limit: number): { records: FlowRecord[]; cut: boolean } {
  const kept: FlowRecord[] = [];
  let cut = false;
  const byStart = (a: FlowRecord, b: FlowRecord) => (a.startTime ?? -Infinity) - (b.startTime ?? -Infinity) || a.id - b.id;
  const trim = () => {
    kept.sort(byStart).length = Math.min(kept.length, limit);
  };
  scanFlowRecords(db, f, (cols, i, id) => {
    const r = cols.row(i) as FlowRecord;
    r.id = id;
    kept.push(r);
    // Keeps memory to twice the limit: the earliest `limit` so far survive.
    if (kept.length >= 2 * limit) {
      trim();
      cut = true;
    }
  }, { beforeBlock: (first) => {
    // Blocks with records without a start come first, the rest by first start: once `limit` records start before this block does, no later one can enter.
    if (kept.length < limit || first === null) return true;
    trim();
    if ((kept[limit - 1].startTime ?? -Infinity) >= first) return true;
    cut = true;
    return false;
  } });
  if (kept.length > limit) cut = true;
  trim();
  return { records: kept, cut };
}

/** Buckets of one interface or address read to prune blocks: 100,000 quarter hours is almost three years. */
const MAX_BUCKETS = 100_000;
/** Block list rows read at a time: a case's list is read in pages, never whole (a crafted case may hold millions). */
const BLOCKS_PER_PAGE = 10_000;

/**
 * Every block, a page at a time: those holding records without a start first (by id), then the others
 * by first start, so that once a scan meets a block starting after the records it wants, no later
 * block holds one (a record without a start comes before every other).
 */
function* blocksInOrder(db: CaseDb): Generator<BlockSpan> {
  const untimed = stmt(db, `SELECT id, first_start AS first, last_start AS last, 1 AS untimed FROM flow_blocks
    WHERE (first_start IS NULL OR untimed > 0) AND id > ? ORDER BY id LIMIT ?`);
  const timed = stmt(db, `SELECT id, first_start AS first, last_start AS last, 0 AS untimed FROM flow_blocks
    WHERE first_start IS NOT NULL AND untimed = 0 AND (first_start, id) > (?, ?) ORDER BY first_start, id LIMIT ?`);
  for (let after = -Infinity; ;) {
    const page = untimed.all(after, BLOCKS_PER_PAGE) as BlockSpan[];
    yield* page;
    if (page.length < BLOCKS_PER_PAGE) break;
    after = page[page.length - 1].id;
  }
  for (let after: [number, number] = [-Infinity, -Infinity]; ;) {
    const page = timed.all(...after, BLOCKS_PER_PAGE) as BlockSpan[];
    yield* page;
    if (page.length < BLOCKS_PER_PAGE) break;
    const last = page[page.length - 1];
    after = [last.first!, last.id];
  }
}

/** Blocks that may hold matching records, in blocksInOrder's order. */
function* candidateBlocks(db: CaseDb, f: FlowRecordFilter): Generator<BlockSpan> {
  const from = f.from ?? -Infinity;
  const to = f.to ?? Infinity;
  const timed = f.from !== undefined || f.to !== undefined;
  const buckets = bucketsOf(db, f);
  for (const b of blocksInOrder(db)) {
    if (b.first === null || b.last === null) {
      if (!timed && (buckets === null || buckets.includes(UNTIMED_BUCKET))) yield b;
      continue;
    }
    if (b.last < from || b.first > to) continue;
    // With an interface or address: any of its buckets between the block's first and last start.
    const next = buckets === null ? 0 : countBelow(buckets, Math.floor(b.first / BUCKET_MS));
    if (buckets === null || (next < buckets.length && buckets[next] <= Math.floor(b.last / BUCKET_MS))) yield b;
  }
}

/** The graph buckets in which the filter's interface or address has records, sorted (-1: records without a start); null when it names neither. */
function bucketsOf(db: CaseDb, f: FlowRecordFilter): number[] | null {
  const sets: number[][] = [];
  // Past MAX_BUCKETS (a crafted case: real cases have one a quarter hour) the list is not read, and every block is read instead.
  let tooMany = false;
  const pluck = (sql: string, value: string) => {
    const list = stmt(db, `${sql} LIMIT ${MAX_BUCKETS + 1}`).pluck().all(value) as number[];
    if (list.length > MAX_BUCKETS) tooMany = true;
    return list;
  };
  if (f.eni !== undefined) sets.push(pluck('SELECT bucket FROM flow_interface_buckets WHERE interface_id = ? ORDER BY bucket', f.eni));
  if (f.ip !== undefined) sets.push(pluck('SELECT bucket FROM flow_addresses WHERE address = ? ORDER BY bucket', f.ip));
  if (f.srcaddr !== undefined) sets.push(pluck('SELECT bucket FROM flow_addresses WHERE address = ? AND as_source > 0 ORDER BY bucket', f.srcaddr));
  if (f.dstaddr !== undefined) sets.push(pluck('SELECT bucket FROM flow_addresses WHERE address = ? AND as_destination > 0 ORDER BY bucket', f.dstaddr));
  if (sets.length === 0 || tooMany) return null;
  // Several named: the buckets where each has records.
  return sets.reduce((a, b) => {
    const inB = new Set(b);
    return a.filter((x) => inB.has(x));
  });
}
