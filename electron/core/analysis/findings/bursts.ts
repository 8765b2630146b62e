// Many calls of one kind by one credential in a short window: AccessDenied / UnauthorizedOperation
// bursts (an attacker probing what a stolen key may do) and sweeps of distinct read-only calls
// (List*/Describe*/Get* enumeration). Windows over the threshold that touch are merged into one finding.
import type { Finding, ResolvedActor } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { MAX_EVENT_IDS, eventFactsMany, findingOf, shortArn } from './finding-events.ts';
import type { ActorScope } from './new-values.ts';
import { EVENT_ORDER } from '../event-order.ts';
import { largestRuns } from './analyzer-caps.ts';

export const DENIED_CODES = ['AccessDenied', 'AccessDeniedException', 'Client.AccessDenied', 'UnauthorizedOperation', 'Client.UnauthorizedOperation',
  'UnauthorizedAccess', 'UnauthorizedException', 'AuthorizationError', 'Forbidden'];
export const SWEEP_DISTINCT_CALLS = 10;
const SWEEP_MAX_MS = 2 * 3600_000;

/** A window's activity of one key (a credential; an address for sign-in failures): window number, calls, distinct calls, last time. */
export type Win = { key: number; w: number; n: number; kinds: number; last: number };

/** Runs of consecutive windows with activity, per key; a run counts when one of its windows reached the threshold. */
export type Run = { key: number; from: number; to: number; n: number; last: number; hit: boolean };

export function merge(rows: Win[], qualifies: (w: Win) => boolean): Run[] {
  const out: Run[] = [];
  for (const r of rows.sort((a, b) => a.key - b.key || a.w - b.w)) {
    const last = out[out.length - 1];
    if (last && last.key === r.key && last.to === r.w - 1) {
      last.to = r.w;
      last.n += r.n;
      last.last = Math.max(last.last, r.last);
      last.hit ||= qualifies(r);
    } else out.push({ key: r.key, from: r.w, to: r.w, n: r.n, last: r.last, hit: qualifies(r) });
  }
  return out.filter((r) => r.hit);
}

/** Denied-call bursts and discovery sweeps; what was left out over the analyzers' bounds goes to `notes`. */
export function burstFindings(db: CaseDb, actors: Map<number, ResolvedActor>, threshold: number, windowMinutes: number, notes: string[], scope?: ActorScope): Finding[] {
  const W = Math.max(1, windowMinutes) * 60_000;
  const out: Finding[] = [];
  // Scoped to some credentials, each scan reads only their events (event_actors_actor).
  const only = scope ? 'AND ea.actor IN (SELECT value FROM json_each(?))' : '';
  const scopeArgs = scope ? [JSON.stringify(scope.actorIds)] : [];
  const denied = stmt(db, `SELECT ea.actor AS key, e.event_time / ${W} AS w, count(*) AS n, 0 AS kinds, max(e.event_time) AS last FROM event_rows e JOIN event_actors ea ON ea.event = e.id
    WHERE e.error_code IS NOT NULL AND e.error_code IN (SELECT id FROM strings WHERE value IN (SELECT value FROM json_each(?))) ${only}
    GROUP BY 1, 2`).all(JSON.stringify(DENIED_CODES), ...scopeArgs) as Win[];
  const deniedEvents = stmt(db, `SELECT e.id FROM event_actors ea JOIN event_rows e ON e.id = ea.event
    WHERE ea.actor = ? AND e.event_time >= ? AND e.event_time < ? AND e.error_code IN (SELECT id FROM strings WHERE value IN (SELECT value FROM json_each(?)))
    ORDER BY ${EVENT_ORDER} LIMIT ${MAX_EVENT_IDS}`).pluck();
  for (const b of largestRuns(merge(denied, (w) => w.n >= threshold), 'access-denied-burst', notes)) {
    const ids = deniedEvents.all(b.key, b.from * W, (b.to + 1) * W, JSON.stringify(DENIED_CODES)) as number[];
    const events = eventFactsMany(db, ids);
    if (!events.length) continue;
    const names = new Set(events.map((e) => e.name));
    out.push(findingOf(db, actors, {
      kind: 'access-denied-burst', category: 'discovery', severity: names.size >= 3 ? 'high' : 'medium', value: null, count: b.n, lastTime: b.last,
      title: `${b.n} denied calls by ${shortArn(events[0].arn)} in ${(b.to - b.from + 1) * windowMinutes} minutes`,
      detail: `Calls refused with ${[...new Set(events.map((e) => e.error))].join(', ')} across ${names.size} different API calls: probing what the credential may do.`,
    }, events));
  }
  // Only the windows of credentials with a window over the threshold can make a run that counts: the
  // others stay in SQLite (a million one-call credentials have 430,000 windows of read-only calls).
  // Without a scope, the credentials that could sweep at all may be few next to the events: then only
  // their events are read (sweepCandidates).
  const sweepScope = scope ? scopeArgs : sweepCandidates(db);
  const sweeps = stmt(db, `WITH w AS MATERIALIZED (
      SELECT ea.actor AS key, e.event_time / ${W} AS w, count(*) AS n, count(DISTINCT e.event_name) AS kinds, max(e.event_time) AS last
      FROM event_rows e JOIN event_actors ea ON ea.event = e.id WHERE e.read_only = 1
        ${sweepScope ? 'AND ea.actor IN (SELECT value FROM json_each(?))' : ''} GROUP BY 1, 2)
    SELECT * FROM w WHERE key IN (SELECT key FROM w WHERE kinds >= ${SWEEP_DISTINCT_CALLS})`).all(...(sweepScope ?? [])) as Win[];
  const sweepEvents = stmt(db, `SELECT e.id FROM event_actors ea JOIN event_rows e ON e.id = ea.event
    WHERE ea.actor = ? AND e.event_time >= ? AND e.event_time < ? AND e.read_only = 1 ORDER BY ${EVENT_ORDER} LIMIT ${MAX_EVENT_IDS}`).pluck();
  // An identity that lists all day long is an inventory tool, not a sweep: only bursts that start and stop.
  const sweepRuns = merge(sweeps, (w) => w.kinds >= SWEEP_DISTINCT_CALLS).filter((r) => (r.to - r.from + 1) * W <= SWEEP_MAX_MS);
  for (const b of largestRuns(sweepRuns, 'discovery-sweep', notes)) {
    const events = eventFactsMany(db, sweepEvents.all(b.key, b.from * W, (b.to + 1) * W) as number[]);
    if (!events.length) continue;
    out.push(findingOf(db, actors, {
      kind: 'discovery-sweep', category: 'discovery', severity: 'low', value: null, count: b.n, lastTime: b.last,
      title: `Discovery sweep by ${shortArn(events[0].arn)}: ${b.n} read-only calls`,
      detail: `Many distinct List/Describe/Get calls in a short time: enumeration of the account (also what inventory tools and Terraform plans do).`,
    }, events));
  }
  return out;
}

/** What reading an event by its credential costs, in events read in order (a random page against the next one: about 5 µs against 0.8). */
const RANDOM_READS_PER_SCANNED_EVENT = 6;

/**
 * The credentials that made at least SWEEP_DISTINCT_CALLS different calls, as a scope argument, when
 * reading their events one credential at a time costs less than reading every event; else null. Only
 * they can have a window of that many different calls. Their stored roll-ups say which they are (a
 * 'name' row per different call): a credential of a single call has none, and a new key for every call
 * leaves a million events with about a hundred such credentials.
 */
function sweepCandidates(db: CaseDb): [string] | null {
  const rows = stmt(db, `SELECT actor, sum(count) FROM actor_facet_rows WHERE facet = 'name' GROUP BY actor HAVING count(*) >= ${SWEEP_DISTINCT_CALLS}`)
    .raw().all() as [number, number][];
  const theirs = rows.reduce((n, r) => n + r[1], 0);
  const events = stmt(db, 'SELECT count(*) FROM event_actors').pluck().get() as number;
  return theirs * RANDOM_READS_PER_SCANNED_EVENT < events ? [JSON.stringify(rows.map((r) => r[0]))] : null;
}
