// The findings about one actor's calls, for its actor report: what findings() says of it, computed
// (built-in rules and the Sigma rules stored in the case) from that actor's roll-ups and events only, so the report stays a few index reads. 'fast' (the
// report's default) leaves out the window scans (denied-call bursts, discovery sweeps), which read
// every event of the credential; 'all' includes them. The credential's own flags (root, instance keys
// used elsewhere) are shown by the report as flags, not repeated here.
import type { ActorFlag, Finding, ResolvedActor } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { collectFindings } from './findings.ts';
import { SEVERITY_ORDER } from '../../../../shared/severity-order.ts';
import { applySuppressions, listSuppressions } from './suppressions.ts';
import { caseSigmaRules } from './sigma/case-sigma.ts';
import { storedChain } from '../attribution/stored-chain.ts';
import { CUT_SESSION } from '../attribution/chain-shapes.ts';
import { storedWords } from './stored-words.ts';

export type ActorFindingsDepth = 'fast' | 'all';

export function actorFindings(db: CaseDb, actorIds: number[], depth: ActorFindingsDepth = 'fast'): Finding[] {
  if (!actorIds.length) return [];
  const actors = new Map<number, ResolvedActor>();
  // The case's stored Sigma rules too, so the report warns of what the findings list shows.
  const extra = caseSigmaRules(db) ?? undefined;
  // The instances behind its openings and terminations as the stored run worked them out, when it is current.
  const found = collectFindings(db, actors, { scope: { actorIds: withDescendants(db, actorIds) }, depth, extra, storedWords: storedWords(db) }).findings;
  // What the investigator suppressed is not warned about here either.
  const all = applySuppressions(found, listSuppressions(db)).filter((f) => !f.suppressed);
  return all.sort((a, b) => a.firstTime.localeCompare(b.firstTime) || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/**
 * The actors whose chain's text holds `"key"`, without putting every chain back together (migration
 * 0125): the text holds it only if the chain's shape does, or a value cut out of it (the actor's key,
 * its issuing call's eventID or time) lies inside `key` or holds a quote (so it could span one of the
 * quotes). Only those candidates' chains are rebuilt and searched. Each way is an index (migrations
 * 0127, 0134): the shapes holding the key (a few thousand rows) and their actors; the actors whose key
 * (actor_key is the key whenever there is one; a credential without one has no key cut out) is one of
 * the key's substrings (`@keyParts`); the actors whose issuing call's row has one of them as eventID
 * (`@eventParts`, through event_rows' unique index) or as time (`@timeMs`, those substrings that are a
 * time the view renders, by number); the few whose eventID or time is kept as text (`@eventParts`,
 * `@timeParts`); those whose cut-out values hold a quote. The substrings are all of the key's, or those
 * of the lengths cutLengths read. A scan of every actor row asked the last ones: 0.5 s of a
 * million-event case with a new key for every call. A session name is cut out too (migration 0147),
 * but only one that can lie inside no key of AWS's form (capitals and digits) and holds no quote
 * (CUT_SESSION): for a forged key of other characters, the actors whose session name is one of its
 * substrings such a name can be (`@sessionParts`, sessionCutsInside, through actors_session).
 */
const QUOTED_CUT_IDS = `SELECT id FROM actor_rows INDEXED BY actors_quoted_cuts
  WHERE instr(actor_key, '"') > 0 OR instr(chain_event, '"') > 0 OR instr(chain_time, '"') > 0`;
const mentioning = (shapesHoldingKey: string) => `SELECT id, chain FROM actors WHERE instr(chain, @quoted) > 0 AND id IN (
    SELECT id FROM actor_rows INDEXED BY actors_shape WHERE chain_shape IN (${shapesHoldingKey})
    UNION SELECT id FROM actor_rows INDEXED BY actors_key WHERE actor_key IN (SELECT value FROM json_each(@keyParts))
    UNION SELECT a.id FROM event_rows e JOIN actor_rows a INDEXED BY actors_chain_issue ON a.chain_issue = e.id
      WHERE e.event_id IN (SELECT value FROM json_each(@eventParts))
    UNION SELECT a.id FROM event_rows e JOIN actor_rows a INDEXED BY actors_chain_issue ON a.chain_issue = e.id
      WHERE e.event_time IN (SELECT value FROM json_each(@timeMs))
    UNION SELECT id FROM actor_rows INDEXED BY actors_chain_event WHERE chain_event IN (SELECT value FROM json_each(@eventParts))
    UNION SELECT id FROM actor_rows INDEXED BY actors_chain_time WHERE chain_time IN (SELECT value FROM json_each(@timeParts))
    UNION SELECT id FROM actor_rows INDEXED BY actors_session WHERE session_name IN (
      SELECT id FROM strings WHERE value IN (SELECT value FROM json_each(@sessionParts)))
    UNION ${QUOTED_CUT_IDS})`;
const MENTIONING = mentioning('SELECT id FROM chain_shapes WHERE instr(shape, @key) > 0');
/** The same with the shapes holding the key found beforehand, for many keys in one pass (shapesHolding). */
const MENTIONING_IN_SHAPES = mentioning('SELECT value FROM json_each(@shapes)');
/** The last way alone: the actors whose cut-out values hold a quote. */
const QUOTED_CUTS = `SELECT id, chain FROM actors WHERE id IN (${QUOTED_CUT_IDS})`;

/** AWS access key ids are 16 to 128 characters; a longer one (a forged record) is searched by a scan. */
const MAX_INDEXED_KEY = 128;

/** The same for a key too long to list its substrings: every actor's cut-out values are read (the view's chain_event and chain_time). */
const MENTIONING_LONG_KEY = `SELECT id, chain FROM actors WHERE instr(chain, @quoted) > 0 AND id IN (
    SELECT id FROM actor_rows INDEXED BY actors_shape WHERE chain_shape IN (SELECT id FROM chain_shapes WHERE instr(shape, @key) > 0)
    UNION SELECT a.id FROM actors a
    WHERE instr(@key, a.access_key_id) > 0 OR instr(a.access_key_id, '"') > 0 OR instr(@key, a.chain_event) > 0 OR instr(a.chain_event, '"') > 0
      OR instr(@key, a.chain_time) > 0 OR instr(a.chain_time, '"') > 0 OR instr(@key, a.session_name) > 0)`;

/** A time as the view renders an issuing call's (migration 0134) and toISOString writes it. */
const RENDERED_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Those of `parts` that are a time as rendered, as milliseconds: how an issuing row's time is looked up. */
function renderedTimes(parts: string[]): number[] {
  const out: number[] = [];
  for (const p of parts) {
    if (!RENDERED_TIME.test(p)) continue;
    const ms = Date.parse(p);
    if (Number.isInteger(ms) && new Date(ms).toISOString() === p) out.push(ms);
  }
  return out;
}

/** The substrings of `key` that could be session names cut from a shape: none in a key of capitals and digits, as AWS writes keys. */
function sessionCutsInside(key: string): string[] {
  return /^[A-Z0-9]*$/.test(key) ? [] : substrings(key).filter((p) => CUT_SESSION.test(p));
}

/** Every non-empty substring of `key`, once; only those of the `lengths` given. */
function substrings(key: string, lengths?: ReadonlySet<number>): string[] {
  const out = new Set<string>();
  for (let i = 0; i < key.length; i++) {
    for (let j = i + 1; j <= key.length; j++) if (!lengths || lengths.has(j - i)) out.add(key.slice(i, j));
  }
  return [...out];
}

/**
 * The lengths the cut-out values of the case can have, per column, up to MAX_INDEXED_KEY: a value can
 * lie inside a key only as one of the key's substrings of its own length. AWS gives keys 20 characters,
 * eventIDs 36 and times 24, so a key is then looked up as itself, not as its 210 substrings (about half
 * a millisecond a key: seconds for an origin's thousands). Scans of the indexes (0.1-0.2 s on a million
 * one-key-per-call events), so only for reports over many keys: the actors' keys, every eventID of the
 * case (an issuing call's is among them) and the texts kept; a rendered time is always 24 characters.
 */
type CutLengths = { key: ReadonlySet<number>; event: ReadonlySet<number>; time: ReadonlySet<number> };
function cutLengths(db: CaseDb): CutLengths {
  const of = (table: string, column: string, index: string) => stmt(db, `SELECT DISTINCT length(${column}) FROM ${table} INDEXED BY ${index}
    WHERE ${column} IS NOT NULL AND length(${column}) <= ${MAX_INDEXED_KEY}`).pluck().all() as number[];
  return {
    key: new Set(of('actor_rows', 'actor_key', 'actors_key')),
    event: new Set([...of('event_rows', 'event_id', 'event_rows_event_id'), ...of('actor_rows', 'chain_event', 'actors_chain_event')]),
    time: new Set([24, ...of('actor_rows', 'chain_time', 'actors_chain_time')]),
  };
}
/** From this many keys on, the cut-out values' lengths are read first (cutLengths). */
const KEYS_FOR_CUT_LENGTHS = 200;

/**
 * The credentials plus the sessions made with their keys (a role session assumed with a leaked key):
 * findings() lists what those sessions did under the key too, since the key is in their chain.
 */
function withDescendants(db: CaseDb, actorIds: number[]): number[] {
  const keys = stmt(db, 'SELECT DISTINCT access_key_id FROM actors WHERE id IN (SELECT value FROM json_each(?)) AND access_key_id IS NOT NULL')
    .pluck().all(JSON.stringify(actorIds)) as string[];
  const out = new Set(actorIds);
  // An origin's report asks thousands of keys (a CI user's every run): one scan of the chain shapes
  // for them all, where a scan per key took 0.02-0.04 s each (minutes for 6,000 keys).
  const onePass = keys.length >= KEYS_FOR_ONE_PASS ? new Set(keys.filter((k) => k.length <= MAX_INDEXED_KEY && ALPHANUMERIC.test(k))) : new Set<string>();
  const inShapes = onePass.size > 0 ? shapesHolding(db, [...onePass]) : new Map<string, number[]>();
  const lengths = keys.length >= KEYS_FOR_CUT_LENGTHS ? cutLengths(db) : null;
  // A key no shape holds and no other cut value can lie inside has no candidate but its own actor (in
  // `out` already: actor_key is unique) and the actors with a quote in a cut value, the same for every
  // key: those are read once for all such keys (most keys of a service's or a CI user's thousands).
  const alone = new Set<string>();
  for (const key of keys) {
    if (lengths && onePass.has(key) && !inShapes.has(key) && cutsOnlyItself(key, lengths) && sessionCutsInside(key).length === 0) {
      alone.add(key);
      continue;
    }
    for (const r of rowsMentioning(db, key, onePass.has(key) ? (inShapes.get(key) ?? []) : null, lengths)) {
      if (linksKey(r.chain, (k) => k === key)) out.add(r.id);
    }
  }
  if (alone.size) for (const r of stmt(db, QUOTED_CUTS).all() as { id: number; chain: string }[]) if (linksKey(r.chain, (k) => alone.has(k))) out.add(r.id);
  return [...out];
}

/** Whether a link of the chain acts with a key `wanted` accepts. */
function linksKey(chain: string, wanted: (key: string) => boolean): boolean {
  return storedChain(chain, '[]').chain.some((l) => typeof l.accessKeyId === 'string' && wanted(l.accessKeyId));
}

/** Whether, of the case's cut-out values, only an actor key equal to `key` could lie inside it. */
function cutsOnlyItself(key: string, lengths: CutLengths): boolean {
  const asKey = substrings(key, lengths.key);
  return asKey.length === 1 && asKey[0] === key && substrings(key, lengths.event).length === 0 && substrings(key, lengths.time).length === 0;
}

/**
 * The candidate actors whose chain's text holds `"key"`; shapesHoldingKey when found beforehand
 * (shapesHolding), the cut-out values' lengths when read (cutLengths).
 */
function rowsMentioning(db: CaseDb, key: string, shapesHoldingKey: number[] | null, lengths: CutLengths | null): { id: number; chain: string }[] {
  const quoted = `"${key}"`;
  if (key.length > MAX_INDEXED_KEY) return stmt(db, MENTIONING_LONG_KEY).all({ quoted, key }) as { id: number; chain: string }[];
  const all = lengths ? null : JSON.stringify(substrings(key));
  const timeParts = lengths ? substrings(key, lengths.time) : substrings(key, new Set([24]));
  const parts = {
    keyParts: all ?? JSON.stringify(substrings(key, lengths!.key)),
    eventParts: all ?? JSON.stringify(substrings(key, lengths!.event)),
    timeParts: all ?? JSON.stringify(timeParts),
    timeMs: JSON.stringify(renderedTimes(timeParts)),
    sessionParts: JSON.stringify(sessionCutsInside(key)),
  };
  return (shapesHoldingKey
    ? stmt(db, MENTIONING_IN_SHAPES).all({ quoted, shapes: JSON.stringify(shapesHoldingKey), ...parts })
    : stmt(db, MENTIONING).all({ quoted, key, ...parts })) as { id: number; chain: string }[];
}

/** From this many keys on, the shapes holding each are found in one pass. */
const KEYS_FOR_ONE_PASS = 8;
const ALPHANUMERIC = /^[A-Za-z0-9]+$/;

/**
 * The chain shapes whose text holds each of `keys` (letters and digits only), by key, in one pass: such
 * a key lies inside a shape only within one run of letters and digits, so each run's pieces of the
 * keys' lengths are looked up.
 */
function shapesHolding(db: CaseDb, keys: string[]): Map<string, number[]> {
  const wanted = new Set(keys);
  const lengths = [...new Set(keys.map((k) => k.length))];
  const out = new Map<string, number[]>();
  for (const [id, shape] of stmt(db, 'SELECT id, shape FROM chain_shapes').raw().iterate() as IterableIterator<[number, string]>) {
    for (const run of shape.match(/[A-Za-z0-9]+/g) ?? []) {
      for (const n of lengths) {
        for (let i = 0; i + n <= run.length; i++) {
          const piece = run.slice(i, i + n);
          if (!wanted.has(piece)) continue;
          const ids = out.get(piece) ?? [];
          if (ids.at(-1) !== id) ids.push(id);
          out.set(piece, ids);
        }
      }
    }
  }
  return out;
}

/** A warning for the actor panel: the finding's own explanation (new-value details already name the value). */
export function findingFlag(f: Finding): ActorFlag {
  const selfExplained = f.kind.startsWith('new-') || f.kind === 'access-key-for-other-user';
  return {
    kind: 'finding', findingKind: f.kind, severity: f.severity, value: f.value, firstTime: f.firstTime, eventIds: f.eventIds.slice(0, 5),
    detail: selfExplained ? f.detail : `${f.title}: ${f.detail}`,
  };
}
