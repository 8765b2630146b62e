// What a set of credentials did, per facet (address, agent, region, call, error) and value, summed
// over them: the tallies of an actor report. From their roll-ups (actor_facets) or, for credentials of
// few calls each, from their events, whichever reads less (rollups-or-events.ts): the same rows either
// way. A Lambda service's 75,000 single-call credentials on a million events: 1.1-1.8 s through the
// roll-up view, 0.4 s from their 150,000 events. Only the most called values of each facet leave
// SQLite, each with its facet's totals: that service has as many addresses as credentials.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { actorsEventsCheaperThanRollups } from './rollups-or-events.ts';

export type FacetRow = { facet: string; value: string; count: number; errors: number; first: number; last: number };
/** A facet over all its values: how many values, how many calls, the first and last of them. */
export type FacetTotal = { values: number; calls: number; first: number | null; last: number | null };
export type CredentialFacets = { rows: FacetRow[]; totals: Map<string, FacetTotal> };

const FROM_ROLLUPS = `SELECT facet, value, sum(count) AS count, sum(errors) AS errors, min(first_seen) AS first, max(last_seen) AS last
  FROM actor_facets WHERE actor IN (SELECT value FROM json_each(@ids)) GROUP BY facet, value`;

// As refresh-derived.ts rolls them up: each facet's column grouped by interned id (distinct ids are
// distinct texts), a call counted as an error when it has an error code; missing and empty values are no facet.
const FACET_COLUMNS = [['ip', 'source_ip'], ['ua', 'user_agent'], ['region', 'aws_region'], ['name', 'event_name'], ['error', 'error_code']] as const;
const EVENTS = `ev AS MATERIALIZED (
    SELECT ${FACET_COLUMNS.map(([, c]) => `e.${c}`).join(', ')}, e.event_time FROM event_actors ea JOIN event_rows e ON e.id = ea.event
    WHERE ea.actor IN (SELECT value FROM json_each(@ids)))`;
const FROM_EVENTS = `SELECT g.facet, s.value, g.count, g.errors, g.first, g.last FROM (
    ${FACET_COLUMNS.map(([facet, c]) => `SELECT '${facet}' AS facet, ${c} AS id, count(*) AS count, count(error_code) AS errors,
      min(event_time) AS first, max(event_time) AS last FROM ev GROUP BY ${c}`).join('\n    UNION ALL ')}) g
  JOIN strings s ON s.id = g.id WHERE s.value <> ''`;

/** The first `@listed` rows of each facet, the most called first (ties by value), each with its facet's totals. */
const listed = (ctes: string[], rows: string) => `WITH ${[...ctes, `f AS (${rows})`].join(', ')}
  SELECT facet, value, count, errors, first, last, n AS values_, calls, first_all, last_all FROM (
    SELECT f.*, row_number() OVER (PARTITION BY facet ORDER BY count DESC, value) AS rank, count(*) OVER p AS n, sum(count) OVER p AS calls,
      min(first) OVER p AS first_all, max(last) OVER p AS last_all
    FROM f WINDOW p AS (PARTITION BY facet))
  WHERE rank <= @listed ORDER BY count DESC, facet, value`;

/** Both ways, for the test that they agree. */
export const FACET_QUERIES = { fromRollups: listed([], FROM_ROLLUPS), fromEvents: listed([EVENTS], FROM_EVENTS) };

type ListedRow = FacetRow & { values_: number; calls: number; first_all: number | null; last_all: number | null };

/** The tallies of these credentials, at most `perFacet` values of each facet. */
export function credentialFacets(db: CaseDb, actorIds: readonly number[], perFacet: number): CredentialFacets {
  const sql = actorsEventsCheaperThanRollups(db, actorIds) ? FACET_QUERIES.fromEvents : FACET_QUERIES.fromRollups;
  const rows: FacetRow[] = [];
  const totals = new Map<string, FacetTotal>();
  for (const r of stmt(db, sql).all({ ids: JSON.stringify(actorIds), listed: perFacet }) as ListedRow[]) {
    rows.push({ facet: r.facet, value: r.value, count: r.count, errors: r.errors, first: r.first, last: r.last });
    if (!totals.has(r.facet)) totals.set(r.facet, { values: r.values_, calls: r.calls, first: r.first_all, last: r.last_all });
  }
  return { rows, totals };
}
