// What a set of credentials did, per facet (address, agent, region, call, error) and value, summed
// over them: the tallies of an actor report. From their roll-ups (actor_facet_rows, and a credential
// used once by its one event) or, for credentials of few calls each, from their events, whichever reads
// less (rollups-or-events.ts): the same rows either
// way. A Lambda service's 75,000 single-call credentials on a million events: 1.1-1.8 s through the
// roll-up view, 0.4 s from their 150,000 events. Only the most called values of each facet leave
// SQLite, each with its facet's totals: that service has as many addresses as credentials.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { actorsEventsCheaperThanRollups } from './rollups-or-events.ts';
import { clippedStart, LIST_FIELD_CHARS } from '../../../../shared/api/bounds.ts';

export type FacetRow = { facet: string; value: string; count: number; errors: number; first: number; last: number };
/** A facet over all its values: how many values, how many calls, the first and last of them. */
export type FacetTotal = { values: number; calls: number; first: number | null; last: number | null };
export type CredentialFacets = { rows: FacetRow[]; totals: Map<string, FacetTotal> };

// Values are grouped and ranked by their interned ids and the start a list shows (LIST_FIELD_CHARS),
// never by their whole text: thirty user agents of 15 MB sorted whole held one report at 1.3 GB for
// 21 s. Distinct ids are distinct texts; values that share their shown start are ranked by id.
const ACTORS = 'SELECT value FROM json_each(@ids)';
// As refresh-derived.ts rolls them up: each facet's column grouped by interned id, a call counted as an
// error when it has an error code; missing and empty values are no facet.
const FACET_COLUMNS = [['ip', 'source_ip'], ['ua', 'user_agent'], ['region', 'aws_region'], ['name', 'event_name'], ['error', 'error_code']] as const;

// The credentials' roll-up rows, and for a credential used once (which has none) its one event, as the
// actor_facets view's arms read it.
const FROM_ROLLUPS = `SELECT facet, value AS id, sum(count) AS count, sum(errors) AS errors, min(first_seen) AS first, max(last_seen) AS last FROM (
    SELECT facet, value, count, errors, first_seen, last_seen FROM actor_facet_rows WHERE actor IN (${ACTORS})
    ${FACET_COLUMNS.map(([facet, c]) => `UNION ALL SELECT '${facet}', e.${c}, 1, e.error_code IS NOT NULL, e.event_time, e.event_time
      FROM actors a JOIN event_rows e ON e.id = a.only_event WHERE a.id IN (${ACTORS})`).join('\n    ')})
  GROUP BY facet, value`;

const EVENTS = `ev AS MATERIALIZED (
    SELECT ${FACET_COLUMNS.map(([, c]) => `e.${c}`).join(', ')}, e.event_time FROM event_actors ea JOIN event_rows e ON e.id = ea.event
    WHERE ea.actor IN (${ACTORS}))`;
const FROM_EVENTS = FACET_COLUMNS.map(([facet, c]) => `SELECT '${facet}' AS facet, ${c} AS id, count(*) AS count, count(error_code) AS errors,
      min(event_time) AS first, max(event_time) AS last FROM ev GROUP BY ${c}`).join('\n    UNION ALL ');

/**
 * The first `@listed` values of each facet, the most called first (ties by their shown start, then id),
 * each with its facet's totals; `bytes`, the full UTF-8 size of a value longer than its shown start.
 */
const listed = (ctes: string[], grouped: string) => `WITH ${[...ctes, `g AS (${grouped})`].join(', ')},
  f AS (SELECT g.*, substr(s.value, 1, ${LIST_FIELD_CHARS}) AS value FROM g JOIN strings s ON s.id = g.id
    WHERE g.id IS NOT (SELECT id FROM strings WHERE value = ''))
  SELECT facet, value, count, errors, first, last, n AS values_, calls, first_all, last_all,
    CASE WHEN length(value) = ${LIST_FIELD_CHARS} THEN (SELECT CASE WHEN length(s.value) > ${LIST_FIELD_CHARS} THEN length(CAST(s.value AS BLOB)) END
      FROM strings s WHERE s.id = ranked.id) END AS bytes
  FROM (
    SELECT f.*, row_number() OVER (PARTITION BY facet ORDER BY count DESC, value, id) AS rank, count(*) OVER p AS n, sum(count) OVER p AS calls,
      min(first) OVER p AS first_all, max(last) OVER p AS last_all
    FROM f WINDOW p AS (PARTITION BY facet)) ranked
  WHERE rank <= @listed ORDER BY count DESC, facet, value, id`;

/** Both ways, for the test that they agree. */
export const FACET_QUERIES = { fromRollups: listed([], FROM_ROLLUPS), fromEvents: listed([EVENTS], FROM_EVENTS) };

type ListedRow = FacetRow & { values_: number; calls: number; first_all: number | null; last_all: number | null; bytes: number | null };

/** The tallies of these credentials, at most `perFacet` values of each facet. */
export function credentialFacets(db: CaseDb, actorIds: readonly number[], perFacet: number): CredentialFacets {
  const sql = actorsEventsCheaperThanRollups(db, actorIds) ? FACET_QUERIES.fromEvents : FACET_QUERIES.fromRollups;
  const rows: FacetRow[] = [];
  const totals = new Map<string, FacetTotal>();
  for (const r of stmt(db, sql).all({ ids: JSON.stringify(actorIds), listed: perFacet }) as ListedRow[]) {
    // A value cut to its start says so, and its size, as the answers' net (clipStrings) would.
    const value = r.bytes === null ? r.value : clippedStart(r.value, r.bytes, LIST_FIELD_CHARS);
    rows.push({ facet: r.facet, value, count: r.count, errors: r.errors, first: r.first, last: r.last });
    if (!totals.has(r.facet)) totals.set(r.facet, { values: r.values_, calls: r.calls, first: r.first_all, last: r.last_all });
  }
  return { rows, totals };
}
