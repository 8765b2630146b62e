// The last hops of a path, read once from the target's side (paths.ts): who touched the target, with
// which key, as which session of which role. A forward step list is capped (a busy session has
// thousands of keys, a role thousands of sessions), so a path search could walk past the one key that
// made the call; these steps add it to the lists of the nodes next to the target, and the search
// expands those nodes first within a depth. One bounded range of the target's event_resources rows.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { roleOfSession } from '../../../../shared/resource-ids.ts';
import type { Step } from './path-steps.ts';

/** Rows of the target read (its earliest touches, one range of its links in time order): a resource named by more calls than this is rare. */
export const GOAL_ROWS = 5_000;
/** Keys that touched the target whose issuance is looked up (one primary-key read each). */
export const GOAL_KEYS = 1_000;

type Touch = { t: number; ev: string; name: string };

export type Goal = {
  id: string;
  /** Touches made with each key, and made by each identity without a key, earliest first. */
  byKey: Map<string, Touch[]>;
  byIdentity: Map<string, Touch[]>;
  /** Keys each identity touched the target with (its first touch with each), and the sessions of each role that did. */
  keysOf: Map<string, Map<string, Touch[]>>;
  sessionsOf: Map<string, Set<string>>;
  /** The keys that touched it, by the key or identity that asked for each: kept as their own hop when the rest fold into the role. */
  issuedBy: Map<string, { key: string; t: number | null; ev: string | null; name: string | null }[]>;
};

export function goalOf(db: CaseDb, to: string, reads: boolean): Goal {
  const goal: Goal = { id: to, byKey: new Map(), byIdentity: new Map(), keysOf: new Map(), sessionsOf: new Map(), issuedBy: new Map() };
  const rows = stmt(db, `SELECT k.value AS key, s.value AS arn, e.event_time AS t, e.event_id AS ev, n.value AS name
    FROM (SELECT event, touch FROM event_resources WHERE resource_id = ? ORDER BY event_time LIMIT ${GOAL_ROWS * 4}) r JOIN event_rows e ON e.id = r.event
    LEFT JOIN strings k ON k.id = e.access_key_id LEFT JOIN strings s ON s.id = e.identity_arn JOIN strings n ON n.id = e.event_name
    WHERE e.error_code IS NULL ${reads ? '' : "AND r.touch <> 'read'"} ORDER BY e.event_time, e.event_id LIMIT ${GOAL_ROWS}`).all(to) as ({ key: string | null; arn: string | null } & Touch)[];
  const push = <K>(m: Map<K, Touch[]>, k: K, v: Touch) => m.set(k, [...(m.get(k) ?? []), v]);
  for (const r of rows) {
    const touch = { t: r.t, ev: r.ev, name: r.name };
    if (r.key) push(goal.byKey, r.key, touch);
    if (!r.arn) continue;
    if (!r.key) push(goal.byIdentity, r.arn, touch);
    if (r.key) {
      if (!goal.keysOf.has(r.arn)) goal.keysOf.set(r.arn, new Map());
      push(goal.keysOf.get(r.arn)!, r.key, touch);
    }
    const role = roleOfSession(r.arn);
    if (role) goal.sessionsOf.set(role, (goal.sessionsOf.get(role) ?? new Set()).add(r.arn));
  }
  const issued = stmt(db, `SELECT c.caller_key AS callerKey, c.caller_arn AS callerArn, c.issued_at AS t, e.event_id AS ev, n.value AS name
    FROM credentials c LEFT JOIN event_rows e ON e.id = c.issued_event LEFT JOIN strings n ON n.id = e.event_name WHERE c.access_key_id = ?`);
  for (const key of [...goal.byKey.keys()].slice(0, GOAL_KEYS)) {
    const c = issued.get(key) as { callerKey: string | null; callerArn: string | null; t: number | null; ev: string | null; name: string | null } | undefined;
    if (!c) continue;
    for (const by of new Set([c.callerKey, c.callerArn])) if (by) goal.issuedBy.set(by, [...(goal.issuedBy.get(by) ?? []), { key, t: c.t, ev: c.ev, name: c.name }]);
  }
  return goal;
}

/**
 * How near `node` is to the target, for the order of expansion (lower first): 0 a key that touched it
 * (the hop names the key that made the call), 1 an identity that did or a role whose session did, 2 the rest.
 */
export function goalRank(goal: Goal, node: string): number {
  if (goal.byKey.has(node)) return 0;
  return goal.byIdentity.has(node) || goal.keysOf.has(node) || goal.sessionsOf.has(node) ? 1 : 2;
}

const firstFrom = (list: Touch[] | undefined, notBefore: number) => list?.find((x) => x.t >= notBefore);

/** The steps from `node` that reach the target, or the key or session that touched it, at or after notBefore. */
export function goalSteps(goal: Goal, node: string, notBefore: number): Step[] {
  const steps: Step[] = [];
  const add = (to: string, kind: string, x: Touch | undefined) => {
    if (x) steps.push({ to, kind, t: x.t, eventId: x.ev, eventName: x.name });
  };
  add(goal.id, 'called', firstFrom(goal.byKey.get(node), notBefore));
  add(goal.id, 'called', firstFrom(goal.byIdentity.get(node), notBefore));
  // The key that touched the target, from whoever asked for it (the others of its role may be folded).
  for (const i of goal.issuedBy.get(node) ?? []) {
    if (i.t === null || i.t >= notBefore) steps.push({ to: i.key, kind: 'issued', t: i.t, eventId: i.ev, eventName: i.name });
  }
  for (const [key, list] of goal.keysOf.get(node) ?? []) {
    // A role's session reaches the target in one hop (its keys are folded); a user or a key through its key.
    if (roleOfSession(node)) add(goal.id, 'called', firstFrom(list, notBefore));
    else add(key, 'uses-key', firstFrom(list, notBefore));
  }
  return steps;
}
