// The stored per-origin roll-ups (origin_facet_rows, migrations 0131 and 0132): each origin's source
// addresses, regions and user agents, and the addresses its SSM agent called from, with their first use
// and count, as its events give them (findings/new-values.ts reads the first three, instance-addresses.ts
// the agent's: an instance session's origin is its instance). Kept up to date by the attribution refresh,
// set-based: the new events grouped once by origin, the three columns' interned ids and whether the call
// is the agent's, then one upsert per facet; an origin a re-walk moved events to or from is counted again
// from its events (event_actors' index by origin).
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { agentCallSql } from './agent-calls.ts';
import { sortingWholeTable } from '../../db/page-cache.ts';

/** Each facet: the column it counts, and which groups count. */
const FACETS = [['ip', 'source_ip', 'true'], ['region', 'aws_region', 'true'], ['ua', 'user_agent', 'true'], ['agent-ip', 'source_ip', 'agent']] as const;

/** Adds the events after `afterEvent` to their origins' roll-ups. */
export function addOriginFacets(db: CaseDb, afterEvent: number): void {
  groupAndAdd(db, 'ea.event > ?', [afterEvent]);
}

/** Counts these origins' roll-ups again from their events (after a re-walk moved events between origins). */
export function recountOriginFacets(db: CaseDb, origins: Iterable<number>): void {
  const list = JSON.stringify([...origins]);
  if (list === '[]') return;
  stmt(db, 'DELETE FROM origin_facet_rows WHERE origin IN (SELECT value FROM json_each(?))').run(list);
  groupAndAdd(db, 'ea.origin IN (SELECT value FROM json_each(?))', [list]);
}

function groupAndAdd(db: CaseDb, where: string, args: unknown[]): void {
  db.exec('DROP TABLE IF EXISTS temp.origin_groups');
  sortingWholeTable(db, () => db.prepare(`CREATE TEMP TABLE origin_groups AS
    SELECT ea.origin, e.source_ip, e.aws_region, e.user_agent, ${agentCallSql('e')} AS agent, min(ea.event_time) AS first, count(*) AS n
    FROM event_actors ea JOIN event_rows e ON e.id = ea.event WHERE ${where} GROUP BY 1, 2, 3, 4, 5`).run(...args));
  const empty = stmt(db, "SELECT id FROM strings WHERE value = ''").pluck().get() ?? null;
  for (const [facet, column, which] of FACETS) {
    // WHERE comes before ON CONFLICT so the upsert parses as one. Prepared here, not cached: the temporary table is new each time.
    db.prepare(`INSERT INTO origin_facet_rows (origin, facet, value, first_seen, count)
      SELECT origin, '${facet}', ${column}, min(first), sum(n) FROM temp.origin_groups
      WHERE ${which} AND ${column} IS NOT NULL AND ${column} IS NOT ? GROUP BY origin, ${column}
      ON CONFLICT(origin, facet, value) DO UPDATE SET count = count + excluded.count, first_seen = min(first_seen, excluded.first_seen)`).run(empty);
  }
  db.exec('DROP TABLE temp.origin_groups');
}
