// Sequences: calls that together mean more than each one. A user or role created and then given
// administrator rights by the same origin within an hour is one critical finding (a persistent admin
// backdoor), not a medium "user created" next to a high "admin attached"; the two are folded into it,
// with any key or password made for the new user in the same hour listed among its events.
import type { Finding, ResolvedActor } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { readRawEvent } from '../../db/raw-events.ts';
import { stmt } from '../prepared.ts';
import { path, str } from '../../json-values.ts';
import { builtinRule } from './builtin/builtin-rules.ts';
import { eventFactsMany, findingOf, MAX_EVENT_IDS } from './finding-events.ts';
import { recordedName } from './recorded-names.ts';
import { binaryOrder } from '../../text-order.ts';

export const SEQUENCE_WINDOW_MS = 3600_000;

type Created = { id: number; time: number; name: string; kind: 'user' | 'role'; origin: string | null };

export function foldSequences(db: CaseDb, actors: Map<number, ResolvedActor>, all: Finding[]): Finding[] {
  const admin = all.filter((f) => f.rule?.id === 'iam-admin-policy-attached' && f.value && !f.errorCode);
  if (!admin.length) return all;
  const created = createdPrincipals(db);
  const folded = new Set<Finding>();
  const out: Finding[] = [];
  for (const grant of admin) {
    const at = Date.parse(grant.firstTime);
    const origin = grant.actor?.origin.id ?? null;
    const made = created.find((c) => c.name === grant.value && c.origin === origin && at >= c.time && at - c.time <= SEQUENCE_WINDOW_MS);
    if (!made) continue;
    const createdFinding = all.find((f) => f.rule?.id === 'iam-user-created' && f.value === made.name && f.actor?.origin.id === origin);
    const extras = all.filter((f) => f.value === made.name && f.actor?.origin.id === origin && ['iam-access-key-for-other-user', 'iam-login-profile-for-other-user'].includes(f.rule?.id ?? '') &&
      Math.abs(Date.parse(f.firstTime) - made.time) <= SEQUENCE_WINDOW_MS);
    const ids = [made.id, ...eventRowIds(db, grant.eventIds), ...extras.flatMap((f) => eventRowIds(db, f.eventIds))];
    // In time order; within one second (common: one script) the creation comes first, as it must have,
    // then the timeline's order (by eventID).
    const events = eventFactsMany(db, [...new Set(ids)]).sort((a, b) => a.time - b.time || Number(b.id === made.id) - Number(a.id === made.id)
      || binaryOrder(a.eventId, b.eventId)).slice(0, MAX_EVENT_IDS);
    const rule = builtinRule('iam-principal-created-then-admin');
    const also = extras.length ? `, then ${extras.map((f) => f.eventNames[0]).join(' and ')} for it` : '';
    const f = findingOf(db, actors, {
      kind: 'sequence', category: 'privilege-escalation', severity: 'critical', value: made.name,
      title: `${rule.title}: ${made.kind} ${made.name} created and given administrator rights${also} by ${recordedName(db, events[0].arn)}`,
      detail: `${made.kind === 'user' ? 'CreateUser' : 'CreateRole'} ${made.name}, then ${grant.title.split(':')[1]?.split(' by ')[0]?.trim() ?? 'an administrator policy'} ` +
        `${Math.round((at - made.time) / 60_000)} minutes later${also}: ${rule.explanation}`,
    }, events);
    out.push({ ...f, rule, evidence: [...(createdFinding?.evidence ?? []), ...(grant.evidence ?? [])] });
    folded.add(grant);
    if (createdFinding) folded.add(createdFinding);
  }
  return [...all.filter((f) => !folded.has(f)), ...out];
}

/** CloudTrail row ids of the given event ids. */
function eventRowIds(db: CaseDb, eventIds: string[]): number[] {
  const get = stmt(db, 'SELECT id FROM event_rows WHERE event_id = ?').pluck();
  return eventIds.map((e) => get.get(e) as number | undefined).filter((x): x is number => x !== undefined);
}

/** Successful CreateUser / CreateRole calls with the name created and the origin behind them. */
function createdPrincipals(db: CaseDb): Created[] {
  const rows = stmt(db, `SELECT e.id, e.event_time AS time, ea.actor FROM event_rows e LEFT JOIN event_actors ea ON ea.event = e.id
    WHERE e.event_name IN (SELECT id FROM strings WHERE value IN ('CreateUser', 'CreateRole')) AND e.error_code IS NULL ORDER BY e.event_time, e.event_id`).all() as
    { id: number; time: number; actor: number | null }[];
  const originOf = stmt(db, 'SELECT o.ident FROM actors a JOIN origins o ON o.id = a.origin WHERE a.id = ?').pluck();
  return rows.flatMap((r) => {
    const raw = readRawEvent(db, r.id);
    const user = str(path(raw, 'requestParameters', 'userName'));
    const role = str(path(raw, 'requestParameters', 'roleName'));
    const name = user ?? role;
    if (!name) return [];
    const origin = r.actor === null ? null : ((originOf.get(r.actor) as string | undefined) ?? null);
    return [{ id: r.id, time: r.time, name, kind: user ? 'user' : 'role', origin } as Created];
  });
}
