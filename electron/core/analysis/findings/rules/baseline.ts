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
import { actorsEventsCheaperThanRollups, caseEventsCheaperThanRollups } from '../../attribution/rollups-or-events.ts';
import { eventSpan } from '../../timeline/event-span.ts';

/** An actor's id, origin and role (the issuer's text), from which its baseline key is made. */
const KEY_ROWS = `SELECT a.id, a.origin, s.value FROM actor_rows a LEFT JOIN strings s ON s.id = a.session_issuer_arn`;

/**
 * The first calls of `names` by the credentials `actors`, from their roll-ups: the actor_facets view's
 * rows, read as seeks of (facet, value, actor) in the roll-ups' value index for each name's id and
 * credential, and the events of credentials used once (its single-event arm). Through the view, every
 * call name of every credential was named to be compared (the 4,667 keys of an instance role: 10–17 ms
 * against 8).
 */
export const SCOPED_NAME_ROLLUPS = `SELECT f.actor, s.value, f.first_seen AS first FROM actor_facet_rows f JOIN strings s ON s.id = f.value
  WHERE f.facet = 'name' AND f.actor IN (SELECT value FROM json_each(@actors))
    AND f.value IN (SELECT id FROM strings WHERE value IN (SELECT value FROM json_each(@names)))
  UNION ALL
  SELECT a.id, s.value, e.event_time FROM actor_rows a JOIN event_rows e ON e.id = a.only_event JOIN strings s ON s.id = e.event_name
  WHERE a.id IN (SELECT value FROM json_each(@actors)) AND s.value IN (SELECT value FROM json_each(@names)) AND s.value <> ''`;

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

type ActorKeyRow = [id: number, origin: number, issuer: string | null];

/**
 * The baseline for the calls named `names` (the routine-sensitive rules' event names). With a scope
 * (an actor report) only the identities of those credentials are learnt: their keys, and the first
 * uses of every credential sharing one of them. routine() and automated() are asked only of the
 * scope's rows, and newSpans() only picks which of those rows to read (a scoped row that is not
 * routine lies in an hour from its own identity's first use), so the answer is the same as with the
 * whole case's baseline, without reading every actor and roll-up of the case (4 s of a million-event
 * case with a new key for every call).
 */
export function loadBaseline(db: CaseDb, names: string[], scope?: ActorScope): Baseline {
  // The span the events fall in, not their first and last: one record dated 1970 left nothing learnt
  // (every first call new), one dated 9999 made the whole case the learning window (nothing new).
  const span = eventSpan(db);
  const learningEnd = learningEndOf(span?.from ?? null, span?.to ?? null);
  const actorKey = new Map<number, string>();
  const automatedActors = new Set<number>();
  const kinds = new Map((stmt(db, 'SELECT id, kind FROM origins').raw().all() as [number, string][]));
  // One text per baseline key, shared by its credentials: a million credentials have a few hundred
  // keys, and a text of its own for each was about 100 MB of heap.
  const keyTexts = new Map<string, string>();
  let keyOfActor = (id: number): string | undefined => actorKey.get(id);
  const keyOfRow = ([id, origin, issuer]: ActorKeyRow): string => {
    const kind = kinds.get(origin);
    if (kind === 'aws-service') automatedActors.add(id);
    const key = kind === 'instance' && issuer ? `role:${issuer}` : `origin:${origin}`;
    const shared = keyTexts.get(key);
    if (shared !== undefined) return shared;
    keyTexts.set(key, key);
    return key;
  };
  if (scope) {
    const inScope = stmt(db, `${KEY_ROWS} WHERE a.id IN (SELECT value FROM json_each(?))`).raw().all(JSON.stringify(scope.actorIds)) as ActorKeyRow[];
    const wanted = new Set(inScope.map(keyOfRow));
    const origins = [...new Set(inScope.map((r) => r[1]))];
    const issuers = [...new Set(inScope.filter((r) => kinds.get(r[1]) === 'instance' && r[2] !== null).map((r) => r[2]!))];
    // Every credential of those origins, and of those roles (instance credentials share their role's).
    const sharing = [
      ...(stmt(db, `${KEY_ROWS} WHERE a.origin IN (SELECT value FROM json_each(?))`).raw().all(JSON.stringify(origins)) as ActorKeyRow[]),
      ...(stmt(db, `${KEY_ROWS} WHERE a.session_issuer_arn IN (SELECT id FROM strings WHERE value IN (SELECT value FROM json_each(?)))`)
        .raw().all(JSON.stringify(issuers)) as ActorKeyRow[]),
    ];
    for (const r of sharing) {
      const key = keyOfRow(r);
      if (wanted.has(key)) actorKey.set(r[0], key);
    }
  } else {
    // Asked per credential when a roll-up or a row names one, and remembered (with the issuer's text,
    // read once per issuer): reading every credential of the case up front, even from the indexes alone,
    // cost 2–3 s and 100 MB of heap for a million events with a new key for every call, of which the
    // baseline and the rules ask about a fraction.
    const row = stmt(db, 'SELECT origin, session_issuer_arn FROM actor_rows WHERE id = ?').raw();
    const text = stmt(db, 'SELECT value FROM strings WHERE id = ?').pluck();
    const issuerText = new Map<number, string | null>();
    const textOf = (issuer: number): string | null => {
      let t = issuerText.get(issuer);
      if (t === undefined) issuerText.set(issuer, (t = (text.get(issuer) as string | undefined) ?? null));
      return t;
    };
    const missing = new Set<number>();
    keyOfActor = (id) => {
      const known = actorKey.get(id);
      if (known !== undefined || missing.has(id)) return known;
      const r = row.get(id) as [number, number | null] | undefined;
      if (!r) {
        missing.add(id);
        return undefined;
      }
      const key = keyOfRow([id, r[0], r[1] === null ? null : textOf(r[1])]);
      actorKey.set(id, key);
      return key;
    };
  }
  const firstUse = new Map<string, number>();
  const firstUsesOfName = new Map<string, number[]>();
  if (names.length) {
    const scoped = scope ? [...actorKey.keys()] : [];
    const rows = (scope
      // The credentials sharing the scope's identities: their calls of those names when they are few next
      // to the credentials (a service's 75,000 cold starts: 1.3 s through the roll-up view), else their roll-ups.
      ? actorsEventsCheaperThanRollups(db, scoped)
        ? stmt(db, `SELECT ea.actor, s.value, ea.event_time AS first FROM event_actors ea JOIN event_rows e ON e.id = ea.event
            JOIN strings s ON s.id = e.event_name WHERE ea.actor IN (SELECT value FROM json_each(?)) AND s.value IN (SELECT value FROM json_each(?))`)
          .iterate(JSON.stringify(scoped), JSON.stringify(names))
        : stmt(db, SCOPED_NAME_ROLLUPS).iterate({ names: JSON.stringify(names), actors: JSON.stringify(scoped) })
      // The whole case: with credentials many next to events, the calls of those names themselves
      // (event_rows_name_time), whose earliest per identity is what their roll-ups' first_seen say (the
      // roll-up view reads every single-event credential's event: a second per million credentials);
      // else the roll-ups (fewer rows than calls: 200,000 GetParameter calls of a few dozen roles).
      : caseEventsCheaperThanRollups(db)
        ? stmt(db, `SELECT ea.actor, s.value, ea.event_time AS first FROM strings s JOIN event_rows e INDEXED BY event_rows_name_time ON e.event_name = s.id
            JOIN event_actors ea ON ea.event = e.id WHERE s.value IN (SELECT value FROM json_each(?))`).iterate(JSON.stringify(names))
        : stmt(db, `SELECT actor, value, first_seen AS first FROM actor_facets WHERE facet = 'name' AND value IN (SELECT value FROM json_each(?))`)
          .iterate(JSON.stringify(names))) as Iterable<{ actor: number; value: string; first: number }>;
    for (const r of rows) {
      const key = keyOfActor(r.actor);
      if (!key) continue;
      const k = `${key}\u0000${r.value}`;
      const prev = firstUse.get(k);
      if (prev === undefined || r.first < prev) firstUse.set(k, r.first);
    }
    for (const [k, first] of firstUse) {
      const name = k.slice(k.indexOf('\u0000') + 1);
      let list = firstUsesOfName.get(name);
      if (!list) firstUsesOfName.set(name, (list = []));
      list.push(first);
    }
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
