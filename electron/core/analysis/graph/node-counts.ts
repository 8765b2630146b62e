// One node's counts and links at T, read from index ranges of that node alone, for the neighbourhood
// (issue 13): the first expansion on a million-event case must not wait for graph-counts.ts, which
// buckets the whole case (17–77 s there). Every range is bounded: a busy identity or address is read
// over its latest SCAN_ROWS events up to T, and the answer says when that bound bit.
import type { CaseDb } from '../../db/open-case.ts';
import { isPublicAddress } from '../attribution/instance-addresses.ts';
import { stmt } from '../prepared.ts';
import { PeerKeys, scanPeerCounts, type PeerCount } from '../flows/peer-counts.ts';

/** Events (or flow records) read per range (the busiest identity of a million-event case has 230,000): 5,000 random row reads cost about 0.1 s. */
export const SCAN_ROWS = 5_000;

const ID = '(SELECT id FROM strings WHERE value = ?)';

/**
 * For a join on event_resources `r`: not the session or the key an AssumeRole call gave. They are
 * folded into the caller's 'assumed' edge (or hop) to the role; a churned caller names thousands.
 * (The key is a resource only in cases ingested before it became the call's credential alone.)
 */
export const NOT_ISSUED_CREDENTIAL = `r.resource_type <> 'session' AND NOT (r.resource_type = 'access-key'
  AND EXISTS (SELECT 1 FROM credentials c WHERE c.access_key_id = r.resource_id AND c.role_arn IS NOT NULL))`;
const IP_SHAPE = /^(\d{1,3}\.){3}\d{1,3}$|^[0-9a-f]*:[0-9a-f:.]*$/i;

/** Events recorded with this identity, source address or access key up to T: an index-only count. */
export function eventsBy(db: CaseDb, column: 'identity_arn' | 'source_ip' | 'access_key_id', value: string, at: number): number {
  return stmt(db, `SELECT count(*) FROM event_rows WHERE ${column} = ${ID} AND event_time <= ?`).pluck().get(value, at) as number;
}

/** Events that named this resource up to T: an index-only count (its links are kept in time order, migration 0142). */
export function eventsTouching(db: CaseDb, id: string, at: number): number {
  return stmt(db, `SELECT count(*) FROM event_resource_rows WHERE resource = ${ID} AND event_time <= ?`).pluck().get(id, at) as number;
}

export type Bounded<T> = { rows: T[]; cut: boolean };

/** Source addresses an identity called from (IP-shaped only), over its latest events up to T. */
export function addressesOf(db: CaseDb, arn: string, at: number): Bounded<[ip: string, n: number]> {
  return grouped(db, 'identity_arn', 'source_ip', arn, at, (ip) => IP_SHAPE.test(ip));
}

/** Identities that called from an address, over its latest events up to T. */
export function identitiesFrom(db: CaseDb, ip: string, at: number): Bounded<[arn: string, n: number]> {
  return grouped(db, 'source_ip', 'identity_arn', ip, at, () => true);
}

function grouped(db: CaseDb, by: string, of: string, value: string, at: number, keep: (v: string) => boolean): Bounded<[string, number]> {
  const scanned = stmt(db, `SELECT count(*) FROM (SELECT 1 FROM event_rows WHERE ${by} = ${ID} AND event_time <= ? LIMIT ?)`).pluck().get(value, at, SCAN_ROWS + 1) as number;
  const rows = stmt(db, `SELECT s.value, count(*) AS n FROM (SELECT ${of} AS v FROM event_rows WHERE ${by} = ${ID} AND event_time <= ?
    ORDER BY event_time DESC LIMIT ?) x JOIN strings s ON s.id = x.v GROUP BY x.v ORDER BY n DESC, s.value`).raw().all(value, at, SCAN_ROWS) as [string, number][];
  return { rows: rows.filter(([v]) => keep(v)), cut: scanned > SCAN_ROWS };
}

/** Public peers of an interface, or interfaces a public address reached or was reached from, up to T. */
export function peersOf(db: CaseDb, nodeId: string, at: number): Bounded<PeerCount> {
  const ip = nodeId.startsWith('ip/') ? nodeId.slice(3) : null;
  if (!ip && !nodeId.startsWith('eni-')) return { rows: [], cut: false };
  if (ip && !isPublicAddress(ip)) return { rows: [], cut: false };
  // Its earliest SCAN_ROWS records up to T in each role, read from the blocks its roll-up points at (flow-records.ts).
  const filters = ip ? [{ srcaddr: ip, to: at }, { dstaddr: ip, to: at }] : [{ eni: nodeId, to: at }];
  const keys = new PeerKeys();
  const counts: number[] = [];
  const order: number[] = [];
  let cut = false;
  for (const f of filters) {
    const counted = scanPeerCounts(db, f, keys, { bucketed: false, limit: SCAN_ROWS });
    if (counted.cut) cut = true;
    for (let r = 0; r < counted.rows.key.length; r++) {
      const k = counted.rows.key[r];
      // An address's records where it is not the peer (its own interface's side) count for nobody here.
      if (ip && keys.peerOf(k) !== ip) continue;
      if (counts[k] === undefined) {
        counts[k] = 0;
        order.push(k);
      }
      counts[k] += counted.rows.n[r];
    }
  }
  return { rows: keys.peers(order, counts), cut };
}
