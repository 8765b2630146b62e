// Each identity's first call of each event name (identity_first_calls, migration 0143), kept by the
// attribution refresh so the findings' routine baseline (findings/rules/baseline.ts) reads an
// identity's first uses as a few seeks. The identity is the baseline's: an instance session's role (a
// fleet of short-lived instances shares it), else the credential's origin. Before, the baseline grouped
// the first uses of every credential sharing the identity at each ask: the 4,667 keys of one instance
// role of a million-event case made that actor report 30 ms, and the whole case's baseline 0.11–0.15 s
// of CPU of every findings run.
//
// Read from the credentials' own roll-ups (their `name` rows, and the only event of a credential used
// once), which refreshDerived has brought up to date for the new events before this runs: a pass over
// those rather than over the events, whose grouping cost 0.7–1.9 s on a million. A credential's rows
// hold its calls from every ingest, so adding a credential's rows again changes nothing (the upsert
// keeps the earliest): what a refresh adds is the rows of the credentials its new events came to.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { sortingWholeTable } from '../../db/page-cache.ts';

/**
 * An actor's identity as the two columns of identity_first_calls, over `actor_rows a LEFT JOIN origins
 * o`: (role, 0) for an instance's session with a role (the strings.id of the issuer's ARN), else (0,
 * origin). The baseline names an actor's identity with the same SQL.
 */
export const IDENTITY_COLUMNS = `CASE WHEN o.kind = 'instance' AND a.session_issuer_arn IS NOT NULL THEN a.session_issuer_arn ELSE 0 END AS role,
  CASE WHEN o.kind = 'instance' AND a.session_issuer_arn IS NOT NULL THEN 0 ELSE a.origin END AS origin`;

/**
 * The rows of the credentials `actorsSql` selects (a condition on `a`, the actor row, with named
 * parameters `params`; null for every credential) added to their identities' first calls. The empty
 * name is no call name, as in the roll-ups.
 */
function addFirstCallsOf(db: CaseDb, actorsSql: string | null, params: Record<string, unknown> = {}): void {
  const empty = stmt(db, "SELECT id FROM strings WHERE value = ''").pluck().get() ?? null;
  const facetsOf = actorsSql === null ? '' : `AND f.actor IN (SELECT a.id FROM actor_rows a WHERE ${actorsSql})`;
  const onlyEventsOf = actorsSql === null ? '' : `AND (${actorsSql})`;
  // Prepared here, not cached: the condition varies. WHERE true comes before ON CONFLICT so the upsert parses as one.
  sortingWholeTable(db, () => db.prepare(`INSERT INTO identity_first_calls (role, origin, name, first_seen)
    SELECT k.role, k.origin, c.name, min(c.first) FROM (
      SELECT f.actor, f.value AS name, f.first_seen AS first FROM actor_facet_rows f WHERE f.facet = 'name' ${facetsOf}
      UNION ALL
      SELECT a.id, e.event_name, e.event_time FROM actor_rows a JOIN event_rows e ON e.id = a.only_event
      WHERE e.event_name IS NOT @empty ${onlyEventsOf}) c
    JOIN (SELECT a.id, ${IDENTITY_COLUMNS} FROM actor_rows a LEFT JOIN origins o ON o.id = a.origin) k ON k.id = c.actor
    WHERE true GROUP BY 1, 2, 3
    ON CONFLICT(role, origin, name) DO UPDATE SET first_seen = min(first_seen, excluded.first_seen)`).run({ ...params, empty }));
}

/**
 * Adds the first calls of the credentials the events after `lastEvent` came to; with `all`, of every
 * credential (a first refresh, where they are most of the case: no list of them is made).
 */
export function addIdentityFirstCalls(db: CaseDb, lastEvent: number, all: boolean): void {
  if (all) {
    addFirstCallsOf(db, null);
    return;
  }
  db.exec('DROP TABLE IF EXISTS temp.first_call_actors; CREATE TEMP TABLE first_call_actors (id INTEGER PRIMARY KEY)');
  stmt(db, 'INSERT OR IGNORE INTO temp.first_call_actors (id) SELECT actor FROM event_actors WHERE event > ?').run(lastEvent);
  addFirstCallsOf(db, 'a.id IN (SELECT id FROM temp.first_call_actors)');
  db.exec('DROP TABLE temp.first_call_actors');
}

/**
 * Counts again the identities of these origins (after a re-walk moved credentials between origins):
 * the origins themselves and the roles of their instances' sessions lose their rows, then get those of
 * every credential of theirs, wherever those credentials now are.
 */
export function recountIdentityFirstCalls(db: CaseDb, origins: Iterable<number>): void {
  const list = JSON.stringify([...origins]);
  if (list === '[]') return;
  db.exec('DROP TABLE IF EXISTS temp.first_call_roles; CREATE TEMP TABLE first_call_roles (id INTEGER PRIMARY KEY)');
  stmt(db, `INSERT OR IGNORE INTO temp.first_call_roles (id) SELECT session_issuer_arn FROM actor_rows
    WHERE origin IN (SELECT value FROM json_each(?)) AND session_issuer_arn IS NOT NULL`).run(list);
  stmt(db, `DELETE FROM identity_first_calls WHERE (role = 0 AND origin IN (SELECT value FROM json_each(?)))
    OR role IN (SELECT id FROM temp.first_call_roles)`).run(list);
  addFirstCallsOf(db, 'a.origin IN (SELECT value FROM json_each(@origins)) OR a.session_issuer_arn IN (SELECT id FROM temp.first_call_roles)', { origins: list });
  db.exec('DROP TABLE temp.first_call_roles');
}
