// Ids and addresses known only from VPC flow logs: interfaces (with the instance, VPC and subnet
// their records name, from flow_interfaces) and peer addresses. Flow texts are not interned, so the
// strings index does not see them; addresses walk the address roll-up (flow_addresses, one row per
// address and graph bucket), one seek per distinct address (a "skip scan"), which stays cheap however
// many buckets each address has.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';

export type FlowInterface = { eni: string; instance: string | null; vpc: string | null; subnet: string | null };

/** More distinct interfaces than this in one case is not an account, it is a bug; stop there. */
const MAX_INTERFACES = 20_000;

const cache = new WeakMap<CaseDb, { mark: number; list: FlowInterface[] }>();

/** Every interface in the flow records, with the instance, VPC and subnet of its latest record (v3+ fields, else null). */
export function flowInterfaces(db: CaseDb): FlowInterface[] {
  const mark = (stmt(db, 'SELECT max(id) FROM flow_blocks').pluck().get() as number | null) ?? 0;
  const hit = cache.get(db);
  if (hit && hit.mark === mark) return hit.list;
  // One row per interface and instance it named: the latest of each interface's rows is its listing.
  const rows = stmt(db, `SELECT interface_id AS eni, instance_id AS instance, vpc_id AS vpc, subnet_id AS subnet FROM flow_interfaces
    ORDER BY interface_id, last_start DESC`).iterate() as IterableIterator<{ eni: string; instance: string; vpc: string; subnet: string }>;
  const list: FlowInterface[] = [];
  for (const r of rows) {
    if (list.at(-1)?.eni === r.eni) continue;
    if (list.length >= MAX_INTERFACES) break;
    list.push({ eni: r.eni, instance: r.instance || null, vpc: r.vpc || null, subnet: r.subnet || null });
  }
  cache.set(db, { mark, list });
  return list;
}

/** Distinct source and destination addresses of flow records starting with `prefix`, in order, at most `limit`. */
export function flowAddressesWithPrefix(db: CaseDb, prefix: string, limit: number): string[] {
  const hi = `${prefix}\u{10FFFF}`;
  const found: string[] = [];
  const next = stmt(db, 'SELECT address FROM flow_addresses WHERE address > ? AND address < ? ORDER BY address LIMIT 1').pluck();
  // ">" skips the previous value; the prefix itself is an address too ("10.0.0.5" typed whole).
  let v = stmt(db, 'SELECT address FROM flow_addresses WHERE address >= ? AND address < ? ORDER BY address LIMIT 1').pluck().get(prefix, hi) as string | undefined;
  while (v !== undefined && found.length < limit) {
    found.push(v);
    v = next.get(v, hi) as string | undefined;
  }
  return found;
}
