// Ids and addresses known only from VPC flow logs: interfaces (with the instance, VPC and subnet
// their records name) and peer addresses. Flow rows are not interned, so the strings index does not
// see them; these walk the flows indexes instead, one seek per distinct value (a "skip scan"), which
// stays cheap however many records each interface or address has.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';

export type FlowInterface = { eni: string; instance: string | null; vpc: string | null; subnet: string | null };

/** More distinct interfaces than this in one case is not an account, it is a bug; stop there. */
const MAX_INTERFACES = 20_000;

const cache = new WeakMap<CaseDb, { mark: number; list: FlowInterface[] }>();

/** Every interface in the flow records, with the instance, VPC and subnet of its latest record (v3+ fields, else null). */
export function flowInterfaces(db: CaseDb): FlowInterface[] {
  const mark = (stmt(db, 'SELECT max(id) FROM flows').pluck().get() as number | null) ?? 0;
  const hit = cache.get(db);
  if (hit && hit.mark === mark) return hit.list;
  const next = stmt(db, 'SELECT interface_id FROM flows WHERE interface_id > ? ORDER BY interface_id LIMIT 1').pluck();
  const latest = stmt(db, `SELECT instance_id AS instance, vpc_id AS vpc, subnet_id AS subnet FROM flows
    WHERE interface_id = ? ORDER BY start_time DESC LIMIT 1`);
  const list: FlowInterface[] = [];
  let eni = next.get('') as string | undefined;
  while (eni !== undefined && list.length < MAX_INTERFACES) {
    const r = latest.get(eni) as { instance: string | null; vpc: string | null; subnet: string | null };
    list.push({ eni, instance: r.instance || null, vpc: r.vpc || null, subnet: r.subnet || null });
    eni = next.get(eni) as string | undefined;
  }
  cache.set(db, { mark, list });
  return list;
}

/** Distinct source and destination addresses of flow records starting with `prefix`, in order, at most `limit`. */
export function flowAddressesWithPrefix(db: CaseDb, prefix: string, limit: number): string[] {
  const hi = `${prefix}\u{10FFFF}`;
  const found = new Set<string>();
  for (const column of ['srcaddr', 'dstaddr'] as const) {
    const next = stmt(db, `SELECT ${column} FROM flows WHERE ${column} > ? AND ${column} < ? ORDER BY ${column} LIMIT 1`).pluck();
    // ">" skips the previous value; the prefix itself is an address too ("10.0.0.5" typed whole).
    let v = (stmt(db, `SELECT ${column} FROM flows WHERE ${column} >= ? AND ${column} < ? ORDER BY ${column} LIMIT 1`).pluck().get(prefix, hi)) as string | undefined;
    let seen = 0;
    while (v !== undefined && seen < limit) {
      found.add(v);
      seen++;
      v = next.get(v, hi) as string | undefined;
    }
  }
  return [...found].sort().slice(0, limit);
}
