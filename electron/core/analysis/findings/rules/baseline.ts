// What an identity does routinely, so rules about calls that are ordinary for some identities (reading
// secrets, SSM commands, terminations) report only the ones that are new for the identity behind them.
// The baseline key is the resolved origin — the person or role behind every key and session — except
// for instance credentials, where it is the instance's role: a fleet of short-lived instances behaving
// as the ones before them is not new. A call is routine when the identity first made it inside the
// learning window (the first LEARNING_FRACTION of the case's span less its far-dated events, when it is
// long enough to learn from), or more than ROUTINE_AFTER_MS before this call. AWS service principals
// are automation.
import type { CaseDb } from '../../../db/open-case.ts';
import { stmt } from '../../prepared.ts';
import type { ActorScope } from '../new-values.ts';
import { eventSpan } from '../../timeline/event-span.ts';
import { IDENTITY_COLUMNS } from '../../attribution/identity-first-calls.ts';

/** An actor's id, its identity (role, origin: identity-first-calls.ts) and whether an AWS service acts. */
const KEY_ROWS = `SELECT a.id, ${IDENTITY_COLUMNS}, o.kind IS 'aws-service' FROM actor_rows a LEFT JOIN origins o ON o.id = a.origin`;

/** The stored first calls of `@names`, each with its identity. */
const FIRST_CALLS = `SELECT f.role, f.origin, s.value, f.first_seen FROM identity_first_calls f JOIN strings s ON s.id = f.name
  WHERE f.name IN (SELECT id FROM strings WHERE value IN (SELECT value FROM json_each(@names)))`;
/** The same of one identity (`@role`, `@origin`): a seek per name. */
export const FIRST_CALLS_OF_IDENTITY = `${FIRST_CALLS} AND f.role = @role AND f.origin = @origin`;

export const LEARNING_FRACTION = 0.2;
export const MIN_LEARNING_SPAN_MS = 6 * 3600_000;
export const MAX_LEARNING_MS = 7 * 24 * 3600_000;
export const ROUTINE_AFTER_MS = 3600_000;

export type Baseline = {
  /** End of the learning window; -Infinity when the case is too short to learn from. */
  learningEnd: number;
  keyOf(actor: number | null): string | null;
  /** The actor is an AWS service acting for the account. */
  automated(actor: number | null): boolean;
  routine(actor: number | null, name: string, time: number): boolean;
  /** The only spans in which a call of `name` can be non-routine for someone: an hour from each identity's first use after the learning window. */
  newSpans(name: string): [number, number][];
};

export function learningEndOf(first: number | null, last: number | null): number {
  if (first === null || last === null || last - first < MIN_LEARNING_SPAN_MS) return -Infinity;
  return first + Math.min(MAX_LEARNING_MS, (last - first) * LEARNING_FRACTION);
}

type ActorKeyRow = [id: number, role: number, origin: number, automated: 0 | 1];
type FirstCallRow = [role: number, origin: number, name: string, first: number];

/**
 * The baseline for the calls named `names` (the routine-sensitive rules' event names), from each
 * identity's stored first calls (identity_first_calls). With a scope (an actor report) only the
 * identities of those credentials are read: routine() and automated() are asked only of the scope's
 * rows, and newSpans() only picks which of those rows to read (a scoped row that is not routine lies in
 * an hour from its own identity's first use), so the answer is the same as with the whole case's
 * baseline.
 */
export function loadBaseline(db: CaseDb, names: string[], scope?: ActorScope): Baseline {
  // The span the events fall in, not their first and last: one record dated 1970 left nothing learnt
  // (every first call new), one dated 9999 made the whole case the learning window (nothing new).
  const span = eventSpan(db);
  const learningEnd = learningEndOf(span?.from ?? null, span?.to ?? null);
  const actorKey = new Map<number, string>();
  const automatedActors = new Set<number>();
  // One text per identity, shared by its credentials: a million credentials have a few hundred
  // identities, and a text of its own for each was about 100 MB of heap.
  const keyTexts = new Map<string, string>();
  const keyOf = (role: number, origin: number): string => {
    const key = `${role}:${origin}`;
    const shared = keyTexts.get(key);
    if (shared !== undefined) return shared;
    keyTexts.set(key, key);
    return key;
  };
  const learn = ([id, role, origin, automated]: ActorKeyRow): string => {
    if (automated) automatedActors.add(id);
    const key = keyOf(role, origin);
    actorKey.set(id, key);
    return key;
  };
  let keyOfActor = (id: number): string | undefined => actorKey.get(id);
  const namesJson = JSON.stringify(names);
  let firstCalls: FirstCallRow[];
  if (scope) {
    const inScope = stmt(db, `${KEY_ROWS} WHERE a.id IN (SELECT value FROM json_each(?))`).raw().all(JSON.stringify(scope.actorIds)) as ActorKeyRow[];
    const identities = new Map(inScope.map((r) => [learn(r), [r[1], r[2]] as const]));
    const ofIdentity = stmt(db, FIRST_CALLS_OF_IDENTITY).raw();
    firstCalls = names.length ? [...identities.values()].flatMap(([role, origin]) => ofIdentity.all({ names: namesJson, role, origin }) as FirstCallRow[]) : [];
  } else {
    // Asked per credential when a row names one, and remembered: reading every credential of the case
    // up front, even from the indexes alone, cost 2–3 s and 100 MB of heap for a million events with a
    // new key for every call, of which the rules ask about a fraction.
    const row = stmt(db, `${KEY_ROWS} WHERE a.id = ?`).raw();
    const missing = new Set<number>();
    keyOfActor = (id) => {
      const known = actorKey.get(id);
      if (known !== undefined || missing.has(id)) return known;
      const r = row.get(id) as ActorKeyRow | undefined;
      if (r) return learn(r);
      missing.add(id);
      return undefined;
    };
    firstCalls = names.length ? (stmt(db, FIRST_CALLS).raw().all({ names: namesJson }) as FirstCallRow[]) : [];
  }
  const firstUse = new Map<string, number>();
  const firstUsesOfName = new Map<string, number[]>();
  for (const [role, origin, name, first] of firstCalls) {
    firstUse.set(`${keyOf(role, origin)}\u0000${name}`, first);
    let list = firstUsesOfName.get(name);
    if (!list) firstUsesOfName.set(name, (list = []));
    list.push(first);
  }
  return {
    learningEnd,
    keyOf: (actor) => (actor === null ? null : (keyOfActor(actor) ?? null)),
    automated: (actor) => actor !== null && (keyOfActor(actor), automatedActors.has(actor)),
    routine(actor, name, time) {
      const key = actor === null ? undefined : keyOfActor(actor);
      if (!key) return false;
      const first = firstUse.get(`${key}\u0000${name}`);
      return first !== undefined && (first < learningEnd || first < time - ROUTINE_AFTER_MS);
    },
    newSpans(name) {
      const spans = (firstUsesOfName.get(name) ?? []).filter((t) => t >= learningEnd).sort((a, b) => a - b).map((t): [number, number] => [t, t + ROUTINE_AFTER_MS]);
      const merged: [number, number][] = [];
      for (const s of spans) {
        const last = merged[merged.length - 1];
        if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
        else merged.push([...s]);
      }
      return merged;
    },
  };
}
