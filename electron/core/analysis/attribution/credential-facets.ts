// What a set of credentials did, per facet (address, agent, region, call, error) and value, summed
// over them: the tallies of an actor report. From their roll-ups (actor_facets) or, for credentials of
// few calls each, from their events, whichever reads less (rollups-or-events.ts): the same rows either
// way. A Lambda service's 75,000 single-call credentials on a million events: 1.1-1.8 s through the
// roll-up view, 0.4 s from their 150,000 events.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { actorsEventsCheaperThanRollups } from './rollups-or-events.ts';

export type FacetRow = { facet: string; value: string; count: number; errors: number; first: number; last: number };

// The most-called first; ties by facet and value, so either way gives one order.
const ORDER = 'ORDER BY count DESC, facet, value';

const FROM_ROLLUPS = `SELECT facet, value, sum(count) AS count, sum(errors) AS errors, min(first_seen) AS first, max(last_seen) AS last
  FROM actor_facets WHERE actor IN (SELECT value FROM json_each(?)) GROUP BY facet, value ${ORDER}`;

// As refresh-derived.ts rolls them up: each facet's column grouped by interned id (distinct ids are
// distinct texts), a call counted as an error when it has an error code; missing and empty values are no facet.
const FACET_COLUMNS = [['ip', 'source_ip'], ['ua', 'user_agent'], ['region', 'aws_region'], ['name', 'event_name'], ['error', 'error_code']] as const;
const FROM_EVENTS = `WITH ev AS MATERIALIZED (
    SELECT ${FACET_COLUMNS.map(([, c]) => `e.${c}`).join(', ')}, e.event_time FROM event_actors ea JOIN event_rows e ON e.id = ea.event
    WHERE ea.actor IN (SELECT value FROM json_each(?)))
  SELECT g.facet, s.value, g.count, g.errors, g.first, g.last FROM (
    ${FACET_COLUMNS.map(([facet, c]) => `SELECT '${facet}' AS facet, ${c} AS id, count(*) AS count, count(error_code) AS errors,
      min(event_time) AS first, max(event_time) AS last FROM ev GROUP BY ${c}`).join('\n    UNION ALL ')}) g
  JOIN strings s ON s.id = g.id WHERE s.value <> '' ${ORDER}`;

export function credentialFacets(db: CaseDb, actorIds: readonly number[]): FacetRow[] {
  const sql = actorsEventsCheaperThanRollups(db, actorIds) ? FROM_EVENTS : FROM_ROLLUPS;
  return stmt(db, sql).all(JSON.stringify(actorIds)) as FacetRow[];
}

/** Both ways, for the test that they agree. */
export const FACET_QUERIES = { FROM_ROLLUPS, FROM_EVENTS };
