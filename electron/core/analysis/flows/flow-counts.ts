// Flow records counted for the graph and the paths, from their blocks (flow-records.ts): grouped by
// interface, addresses, action and direction, per graph bucket for the whole case or up to a moment,
// and the first accepted record from an address per interface. How many records name an address
// comes from its roll-up (flow_addresses) without reading a block.
import type { CaseDb } from '../../db/open-case.ts';
import type { FlowColumns } from '../../db/flow-block-codec.ts';
import { BUCKET_MS } from '../../db/graph-bucket.ts';
import { stmt } from '../prepared.ts';
import { scanFlowRecords, type FlowRecordFilter } from './flow-records.ts';

/** Records per (interface, source, destination, action, direction) and bucket (0 where the rows are not per bucket). */
export type FlowCountRow = [eni: string | null, src: string | null, dst: string | null, action: string | null, dir: string | null, bucket: number, n: number];

const SEP = '\u0000';

/** Groups scanned records; `bucketed` keeps each record's graph bucket in the key (records without a start are left out then). */
class FlowGroups {
  private readonly groups = new Map<string, FlowCountRow>();

  constructor(private readonly bucketed: boolean) {}

  add(cols: FlowColumns, i: number): void {
    const start = cols.num.startTime?.[i] ?? NaN;
    if (this.bucketed && Number.isNaN(start)) return;
    const bucket = this.bucketed ? Math.floor(start / BUCKET_MS) : 0;
    const text = (col: Uint32Array | undefined) => (col === undefined ? null : cols.textOf(col[i]));
    const eni = text(cols.ids.interfaceId);
    const src = text(cols.ids.srcaddr);
    const dst = text(cols.ids.dstaddr);
    const action = text(cols.ids.action);
    const dir = text(cols.ids.flowDirection);
    const key = `${eni}${SEP}${src}${SEP}${dst}${SEP}${action}${SEP}${dir}${SEP}${bucket}`;
    const g = this.groups.get(key);
    if (g) g[6]++;
    else this.groups.set(key, [eni, src, dst, action, dir, bucket, 1]);
  }

  rows(): FlowCountRow[] {
    return [...this.groups.values()];
  }
}

/** Every record grouped per graph bucket: the graph's series of the whole case (graph-counts.ts keeps it per case). */
export function flowCountsByBucket(db: CaseDb): FlowCountRow[] {
  const groups = new FlowGroups(true);
  scanFlowRecords(db, {}, (cols, i) => groups.add(cols, i));
  return groups.rows();
}

/** Records that started from `from` to `to` inclusive, grouped (bucket 0). */
export function flowCountsBetween(db: CaseDb, f: FlowRecordFilter & { from: number; to: number }): FlowCountRow[] {
  const groups = new FlowGroups(false);
  scanFlowRecords(db, f, (cols, i) => groups.add(cols, i));
  return groups.rows();
}

/**
 * Records of one interface, or with one source or destination address, that started at or before
 * `at`, grouped (bucket 0): the earliest `limit` of them, `cut` when there were more.
 */
export function flowCountsUpTo(db: CaseDb, column: 'interface_id' | 'srcaddr' | 'dstaddr', value: string, at: number, limit: number): { rows: FlowCountRow[]; cut: boolean } {
  const f: FlowRecordFilter = column === 'interface_id' ? { eni: value, to: at } : column === 'srcaddr' ? { srcaddr: value, to: at } : { dstaddr: value, to: at };
  const groups = new FlowGroups(false);
  let seen = 0;
  scanFlowRecords(db, f, (cols, i) => {
    if (++seen > limit) return false;
    groups.add(cols, i);
  });
  return { rows: groups.rows(), cut: seen > limit };
}

/** Per interface, the first accepted record from `address` that started at or after `notBefore`, in interface order, at most `limit`. */
export function firstAcceptedFrom(db: CaseDb, address: string, notBefore: number, limit: number): { to: string; t: number }[] {
  const first = new Map<string, number>();
  scanFlowRecords(db, { srcaddr: address, action: 'ACCEPT', from: notBefore }, (cols, i) => {
    const eni = cols.textOf(cols.ids.interfaceId?.[i] ?? 0);
    const t = cols.num.startTime![i];
    if (eni && t < (first.get(eni) ?? Infinity)) first.set(eni, t);
  });
  return [...first].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, limit).map(([to, t]) => ({ to, t }));
}

/** Records with this address on either side (one with it on both counts twice). */
export function flowRecordsNaming(db: CaseDb, address: string): number {
  return (stmt(db, 'SELECT coalesce(sum(as_source + as_destination), 0) FROM flow_addresses WHERE address = ?').pluck().get(address) as number);
}
