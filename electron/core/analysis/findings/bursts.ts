// Many refused calls by one credential in a short window: AccessDenied / UnauthorizedOperation bursts
// (an attacker probing what a stolen key may do). Windows over the threshold that touch are merged
// into one finding; the same windows and runs serve the discovery sweeps (sweeps.ts) and the failed
// sign-ins (sign-in-failures.ts).
import type { Finding, ResolvedActor } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { MAX_EVENT_IDS, eventFactsMany, findingOf } from './finding-events.ts';
import { recordedName } from './recorded-names.ts';
import type { ActorScope } from './new-values.ts';
import { EVENT_ORDER } from '../event-order.ts';
import { largestRuns } from './analyzer-caps.ts';

export const DENIED_CODES = ['AccessDenied', 'AccessDeniedException', 'Client.AccessDenied', 'UnauthorizedOperation', 'Client.UnauthorizedOperation',
  'UnauthorizedAccess', 'UnauthorizedException', 'AuthorizationError', 'Forbidden'];

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

/** Denied-call bursts; what was left out over the analyzers' bound goes to `notes`. */
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
      title: `${b.n} denied calls by ${recordedName(db, events[0].arn)} in ${(b.to - b.from + 1) * windowMinutes} minutes`,
      detail: `Calls refused with ${[...new Set(events.map((e) => e.error))].join(', ')} across ${names.size} different API calls: probing what the credential may do.`,
    }, events));
  }
  return out;
}
