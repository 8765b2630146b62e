// The source addresses, user agents and regions of every origin of the case (the person, instance or
// role behind its keys), each with its first use and its count: what newValueFindings weighs. Stored
// in the case and kept up to date by each ingest (origin_facet_rows, migration 0131,
// attribution/origin-facets.ts): a read of a few rows per origin and value, where working them out
// from every event cost 2–2.5 s of CPU on a million events at each findings run.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { peersKeySql } from './session-peers.ts';

// No label: a finding names its origin by the shown label (attribution/origin-label.ts), asked once per
// finding, where a label on every roll-up row was a string per row of a churned account's hundreds of thousands.
export type OriginRollup = { origin: number; kind: string; facet: 'ip' | 'ua' | 'region'; value: string; first: number; n: number };

/** Origins whose values are not weighed: AWS services and whole accounts act for many. */
const SKIPPED_KINDS = "('aws-service', 'aws-account')";

/**
 * A value is weighed by its first WEIGHED_CHARS characters: an agent's family and kind are in its first
 * few hundred, and thirty agents of 15 MB read whole held the findings' pass at 1.5 GB for 13 s.
 */
export const WEIGHED_CHARS = 1024;

const ROLLUPS = `SELECT r.origin, o.kind, r.facet, substr(s.value, 1, ${WEIGHED_CHARS}) AS value, r.first_seen AS first, r.count AS n
    FROM origin_facet_rows r JOIN origins o ON o.id = r.origin JOIN strings s ON s.id = r.value
    WHERE o.kind NOT IN ${SKIPPED_KINDS} AND r.facet IN ('ip', 'ua', 'region')`;
/** Values that share their weighed start are ordered by their stored ids. */
const ORDER = 'ORDER BY r.origin, r.facet, value, r.value';

/** Some origins' roll-ups (a JSON list of origins.id): a range of the primary key each (query-plans.test.ts). */
export const ROLLUPS_OF_ORIGINS = `${ROLLUPS} AND r.origin IN (SELECT value FROM json_each(?)) ${ORDER}`;

/**
 * Every weighed origin's roll-ups, or those of some origins (an actor report's), by origin, facet and
 * value (SQLite's order of texts).
 */
export function originRollups(db: CaseDb, origins?: number[]): OriginRollup[] {
  if (!origins) return stmt(db, `${ROLLUPS} ${ORDER}`).all() as OriginRollup[];
  return stmt(db, ROLLUPS_OF_ORIGINS).all(JSON.stringify(origins)) as OriginRollup[];
}

/**
 * When every identity first acted (ascending), and when each first acted in each region (per region,
 * ascending): what tells a region the account routinely works in (new-values.ts). An identity is an
 * origin, or a role's untraced sessions together (session-peers.ts): a churned account's thousands of
 * runs of one role are one identity. Numbers only, a region's text once.
 */
export function regionFirsts(db: CaseDb): { identities: number[]; byRegion: Map<string, number[]> } {
  const identities: number[] = [];
  const byId = new Map<number, number[]>();
  let peers: string | null = null;
  let first = Infinity;
  // By identity, so each one's first act is the least of its rows' before the next begins.
  for (const [key, region, at] of stmt(db, `SELECT ${peersKeySql('o')} AS peers, r.value, min(r.first_seen)
    FROM origin_facet_rows r JOIN origins o ON o.id = r.origin WHERE o.kind NOT IN ${SKIPPED_KINDS} AND r.facet = 'region'
    GROUP BY 1, 2 ORDER BY 1`).raw().iterate() as Iterable<[string, number, number]>) {
    if (key !== peers) {
      if (peers !== null) identities.push(first);
      peers = key;
      first = Infinity;
    }
    first = Math.min(first, at);
    const list = byId.get(region);
    if (list) list.push(at);
    else byId.set(region, [at]);
  }
  if (peers !== null) identities.push(first);
  identities.sort((a, b) => a - b);
  // Named as the roll-ups name a value (its weighed start); two texts of one start are one region.
  const named = stmt(db, `SELECT substr(value, 1, ${WEIGHED_CHARS}) FROM strings WHERE id = ?`).pluck();
  const byRegion = new Map<string, number[]>();
  for (const [id, firsts] of byId) {
    const name = named.get(id) as string | undefined;
    if (name !== undefined) byRegion.set(name, [...(byRegion.get(name) ?? []), ...firsts]);
  }
  for (const list of byRegion.values()) list.sort((a, b) => a - b);
  return { identities, byRegion };
}

/**
 * When weighed origins first acted from each of some addresses, for those whose first act was from it:
 * per address, ascending. An office's or a NAT gateway's address is where many identities start, and
 * that is routine; an intruder's is where stolen identities with a history of their own turn up later,
 * however many he holds, and those uses are not counted. One pass over the roll-ups of the addresses.
 */
export function addressFirsts(db: CaseDb, addresses: Iterable<string>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const rows = stmt(db, `SELECT s.value, r.first_seen FROM origin_facet_rows r JOIN origins o ON o.id = r.origin JOIN strings s ON s.id = r.value
    WHERE r.facet = 'ip' AND o.kind NOT IN ${SKIPPED_KINDS} AND r.value IN (SELECT id FROM strings WHERE value IN (SELECT value FROM json_each(?)))
      AND r.first_seen <= (SELECT min(m.first_seen) FROM origin_facet_rows m WHERE m.origin = r.origin)`)
    .raw().iterate(JSON.stringify([...new Set(addresses)]));
  for (const [address, first] of rows as Iterable<[string, number]>) {
    const list = out.get(address);
    if (list) list.push(first);
    else out.set(address, [first]);
  }
  for (const list of out.values()) list.sort((a, b) => a - b);
  return out;
}
