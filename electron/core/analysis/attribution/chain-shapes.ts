// A chain stored once per shape (migration 0125): the keys of one session or role resolve to chains
// that differ only in the key itself, its issuing call's eventID and that call's time. Those three are
// cut out of the chain's JSON (replaced by char(1), char(2), char(3)), the rest is stored once in
// chain_shapes, and the actor keeps the issuing call's row, whose eventID and time the `actors` view
// reads to put the chain back together with replace() (migration 0134). JSON.stringify escapes every
// control character, so the markers never clash with the chain's own text, and replacing a value where
// it occurs is undone exactly by putting it back in the reverse order, whatever the value holds.
//
// The session name is cut out too (char(4), migration 0147), where it names one run rather than one
// holder: Terraform, CodeBuild, ECS tasks and the SDKs' default names (botocore-session-1733563200) give
// each session a name of its own, and its chain then had a shape of its own (about 1.4 KB of shape and
// index per key). The view puts back the actor's own session name (actor_rows.session_name), which is
// the text cut. Only a name holding a character an AWS access key cannot (a small letter or anything
// but capitals and digits) and no quote or backslash is cut (CUT_SESSION): such a name can never lie
// inside, or across the edge of, a quoted key of AWS's form in the chain's text, so the mention search
// (findings/actor-findings.ts) finds such a key's chains in the shapes as before; a forged key of other
// characters is looked for among the session names too.
import type { CaseDb } from '../../db/open-case.ts';
import type { ChainLink } from '../../../../shared/engine-types.ts';
import { stmt } from '../prepared.ts';
import { isoTime, type IssuedCredentialRow } from './resolve-chain.ts';

export type ChainShape = { shape: string; event: string | null; time: string | null; session: string | null };

/**
 * A session name cut from a shape: two characters or more, one of them neither a capital nor a digit,
 * none a quote, a backslash or a control character (JSON writes those escaped, and the other cuts'
 * markers are control characters: such a name could only match across a marker).
 */
export const CUT_SESSION = /^(?=[^]*[^A-Z0-9])[^"\\\u0000-\u001f]{2,}$/;

/**
 * The chain's shape and the values cut out of it; `key` is the actor's access key as stored, `session`
 * its session name as stored (the view puts back exactly these).
 */
export function chainShapeOf(chain: ChainLink[], key: string | null, session: string | null): ChainShape {
  const json = JSON.stringify(chain);
  const keyed = key ? json.replaceAll(key, '\u0001') : json;
  const issuedBy = chain[0]?.issuedBy;
  // A value is kept only where it was cut (a replacement that found nothing leaves the text as it was).
  const evented = issuedBy?.eventId ? keyed.replaceAll(issuedBy.eventId, '\u0002') : keyed;
  const timed = issuedBy?.eventTime ? evented.replaceAll(issuedBy.eventTime, '\u0003') : evented;
  const named = session !== null && CUT_SESSION.test(session) ? timed.replaceAll(session, '\u0004') : timed;
  return {
    shape: named,
    event: evented !== keyed ? issuedBy!.eventId : null,
    time: timed !== evented ? issuedBy!.eventTime : null,
    session: named !== timed ? session : null,
  };
}

/** The shape with its session name put back: the text the key, eventID and time were cut from. */
export function withSession(cut: ChainShape): string {
  return cut.session === null ? cut.shape : cut.shape.replaceAll('\u0004', cut.session);
}

/** The issuing call's event row: what the view reads for char(2) and char(3). */
export type IssueRow = { id: number; eventId: string; time: number };

/** An actor row's cut-out values as stored: the issuing call's row, and the values it does not give back, as text. */
export type StoredCuts = { issue: number | null; event: string | null; time: string | null };

/** The last millisecond the view renders as toISOString writes it (9999-12-31T23:59:59.999Z), migration 0134. */
const RENDERED_MS = 253_402_300_799_999;

/**
 * What an actor row keeps of its cut-out values (migration 0134): the issuing call's row, and a value
 * as text only where that row does not give it back: an eventID holding a quote (the index of quoted
 * cut values must see it), a time the view does not render (before 1970, after 9999), or no row.
 */
export function storedCuts(cut: ChainShape, issue: IssueRow | null): StoredCuts {
  if (cut.event === null && cut.time === null) return { issue: null, event: null, time: null };
  const rendered = issue !== null && Number.isInteger(issue.time) && issue.time >= 0 && issue.time <= RENDERED_MS ? isoTime(issue.time) : null;
  return {
    issue: issue?.id ?? null,
    event: cut.event !== null && (cut.event !== issue?.eventId || cut.event.includes('"')) ? cut.event : null,
    time: cut.time !== null && cut.time !== rendered ? cut.time : null,
  };
}

/**
 * The row of the call with this eventID (unique in event_rows): the key's own issue as already read
 * (`known`, the lookups' credential row) when it is that call, else looked up.
 */
export function issueRowOf(db: CaseDb, eventId: string | null | undefined, known?: IssuedCredentialRow): IssueRow | null {
  if (!eventId) return null;
  if (known?.eventId === eventId && known.eventRow != null && known.eventTime !== null) return { id: known.eventRow, eventId, time: known.eventTime };
  return (stmt(db, 'SELECT id, event_id AS eventId, event_time AS time FROM event_rows WHERE event_id = ?').get(eventId) as IssueRow | undefined) ?? null;
}

/**
 * Shapes kept in memory at most; past it the cache starts again. Shapes are few next to actors, but not
 * few: 69,386 of them (45 MB of text) on five million one-key-per-call events.
 */
const CACHED_SHAPES = 10_000;

/** The id of each shape, stored when new; cached for the refresh, bounded (a shape not cached is looked up by its unique index). */
export function chainShapeStore(db: CaseDb) {
  const find = stmt(db, 'SELECT id FROM chain_shapes WHERE shape = ?').pluck();
  const insert = stmt(db, 'INSERT INTO chain_shapes (shape) VALUES (?)');
  let cache = new Map<string, number>();
  return {
    idFor(shape: string): number {
      let id = cache.get(shape);
      if (id !== undefined) return id;
      id = (find.get(shape) as number | undefined) ?? Number(insert.run(shape).lastInsertRowid);
      if (cache.size >= CACHED_SHAPES) cache = new Map();
      cache.set(shape, id);
      return id;
    },
  };
}
