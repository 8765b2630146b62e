// Flow records counted for the paths, from their blocks (flow-records.ts): the first accepted record
// from an address per interface. How many records name an address comes from its roll-up
// (flow_addresses) without reading a block. The graph's counts per peer are in peer-counts.ts.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { scanFlowRecords } from './flow-records.ts';

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
