// Keys of one session shape resolve alike: every key EC2 issues to one instance's role, every cold
// start of one Lambda function, every AssumeRole of one user into one role. Their chains differ only
// in the key itself, its issuing call's eventID and that call's time, the three values a chain shape
// cuts out (chain-shapes.ts). So the resolution of the first key of such a template is kept, and the
// later keys of the template take it, with their own three values, without walking the chain or
// serialising it: a one-key-per-call account has a template per instance, function or caller, not
// per key.
//
// Kept only where that is provably the same answer:
// - the walk was the key's issuing call and one step to a caller named by the call itself (a service,
//   a federated subject, a user or the root), so it read nothing a later key could see differently
//   (no inference by time or address, no caller's own key);
// - the template holds every other input of that walk (the identity recorded on the call, the issuing
//   call's fields; not the source address of a federated subject's call, which the walk does not read:
//   federatedCaller), and the call's time is the key's issue time;
// - the three values are of the forms AWS gives them (key [A-Z0-9], eventID [0-9A-Za-z-], time an ISO
//   instant), none occurs in the rest of the chain or in another, and the characters beside each place
//   they were cut from are outside their alphabets: cutting them from the later key's chain then gives
//   exactly the first key's shape;
// - a template is trusted once a second key resolved the full way gave the same answer.
//
// A session named per run (an ECS task's id, Terraform's, an SDK's default name) is a fourth value of
// the same kind: a key's template is also named without it (runNamedTemplateOf), where the walk only
// writes the name into the chain (the role session's ARN and label) and never reads it otherwise: the
// recorded identity is an assumed role's session whose ARN and name are the issuing call's own, the
// name has AWS's characters (no ':' or '/' that could move the ARN's fields) and is cut from shapes
// (chain-shapes.ts CUT_SESSION), and it names no instance (the walk reads that). Such a template's
// shape has the name cut out, and a later key takes it only where its own name stands in that shape
// at the cut places and nowhere else (sessionCutsCleanly).
import { federatedCaller, INSTANCE_ID, type IssuedCredentialRow, type Resolution } from './resolve-chain.ts';
import { isPlaceholderKeyAskedOnce } from '../../ingest/normalize/placeholders.ts';
import type { Awaits } from './awaited-records.ts';
import { CUT_SESSION, withSession, type ChainShape } from './chain-shapes.ts';

/** What an actor row keeps of a resolution besides the three values, and what record could change it (awaited-records.ts). */
export type TemplateAnswer = { shapeId: number; shape: string; origin: number; proven: boolean; flags: string; instanceId: string | null; awaits: Awaits };

/** A shared template: its answer, whether a second walk confirmed it, and its shape's value runs (valueRuns). */
type Template = { answer: TemplateAnswer; trusted: boolean; runs: readonly string[] } | 'not-shared';

/**
 * The interned ids of the issuing call's session ARN and name (credentials.issued_arn, session_name),
 * and whether the recorded identity is an assumed role's session: what tells a session named per run.
 */
export type IssueIds = { arn: number | null; session: number | null; assumedRole: boolean };

const KEY = /^[A-Z0-9]{16,128}$/;
const EVENT_ID = /^[0-9A-Za-z][0-9A-Za-z-]{0,127}$/;
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
/** What may stand beside a cut place: none of the three alphabets' characters. */
const VALUE_CHAR = /[0-9A-Za-z\-:.]/;
const VALUE_RUN = /[0-9A-Za-z\-:.]+/g;
/** Templates kept at most; past it they start again (a churned account has a few per instance, function or caller). */
const KEPT = 20_000;
/**
 * Texts numbered at most; past it the numbers and the templates start again. Most keys add none (their
 * issue's texts are their template's); a key whose issue names its own run or caller key adds one or two.
 */
const NUMBERED = 50_000;
/** The identity ids a name holds (IdentityIds), and all its fields: the issue-time flag, those ids, the issue's fourteen texts. */
const IDENTITY_FIELDS = 10;
const NAME_FIELDS = 1 + IDENTITY_FIELDS + 14;
/** A missing id or text in a name (ids and numbers start at 1). */
const NONE = -1;
/** In a name without the session's name (runNamedTemplateOf): its place, the identity ARN that is the issue's own, a principal id present. */
const RUN_NAMED = -2;
const ISSUED_ARN = -3;
const PRESENT = -4;
/** The places of an identity's ARN, principal id and session name among the identity ids, and of the issue's ARN and session name among its texts. */
const ARN_AT = 1 + 1;
const PRINCIPAL_AT = 1 + 3;
const SESSION_AT = 1 + 6;
const ISSUED_ARN_AT = 1 + IDENTITY_FIELDS + 1;
const ISSUED_SESSION_AT = 1 + IDENTITY_FIELDS + 3;
/** A session name as AWS takes one (RoleSessionName). */
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/**
 * The interned ids (strings.id, unique per text) of what a walk reads of the recorded identity besides
 * the key, its time and address: type, ARN, account, principal id, user name, session issuer, session
 * name, invoked by, source identity, on behalf of. Equal ids are equal texts, so they name a template
 * as the texts would, without reading or hashing a text per key.
 */
export type IdentityIds = readonly (number | null)[];

export function resolutionTemplates() {
  const templates = new TemplateTable();
  // The issue's texts, numbered in the order first met: the lookups hand out one string object per
  // interned text, whose hash V8 keeps, so numbering one is a map hit.
  const numbered = new Map<string, number>();
  const numberOf = (v: string | null | undefined): number => {
    if (v === null || v === undefined) return NONE;
    let n = numbered.get(v);
    if (n === undefined) numbered.set(v, (n = numbered.size + 1));
    return n;
  };
  /** The name being asked for: filled by templateOf, copied only when a template is stored under it. */
  const name = new Float64Array(NAME_FIELDS);

  /**
   * Names the template of a key's resolution into `name` and gives the name's hash, or null when its
   * walk may depend on more than the template holds.
   */
  function templateOf(key: string, ids: IdentityIds, cred: IssuedCredentialRow): number | null {
    // A masked key is no key to the walk (resolve-chain.ts): its chain is not its template's.
    if (cred.accessKeyId !== key || !KEY.test(key) || isPlaceholderKeyAskedOnce(key)) return null;
    if (cred.eventId === null || !EVENT_ID.test(cred.eventId) || cred.eventName === null || cred.eventTime === null) return null;
    if (cred.issuedAt !== null && cred.issuedAt !== cred.eventTime) return null;
    if (numbered.size >= NUMBERED) {
      numbered.clear();
      templates.clear();
    }
    if (ids.length !== IDENTITY_FIELDS) throw new Error(`a template is named by ${IDENTITY_FIELDS} identity ids, not ${ids.length}`);
    name[0] = cred.issuedAt === null ? 0 : 1;
    for (let i = 0; i < IDENTITY_FIELDS; i++) name[1 + i] = ids[i] ?? NONE;
    // The caller's address only where the walk reads it: a federated subject's is none of its answer.
    const callerIp = federatedCaller(cred) === null ? cred.callerIp : null;
    const texts = [cred.kind, cred.issuedArn, cred.roleArn, cred.sessionName, cred.sourceIdentity, cred.callerArn, cred.callerType,
      cred.callerKey, callerIp, cred.subject, cred.issuer, cred.eventName, cred.sharedEventId, cred.callerAccount];
    for (let i = 0; i < texts.length; i++) name[1 + IDENTITY_FIELDS + i] = numberOf(texts[i]);
    return hashOf(name);
  }

  /**
   * Turns the name in `name`, which templateOf has just given this key, into the name of its template
   * without its session's name (the identity's ARN and principal id, the session's name, the issue's
   * ARN and name), and gives its hash; null when the key's session is not one named per run (the
   * header's conditions).
   */
  function runNamedTemplateOf(ids: IdentityIds, cred: IssuedCredentialRow, issue: IssueIds): number | null {
    const s = cred.sessionName;
    if (!issue.assumedRole || s === null || !SESSION_NAME.test(s) || !CUT_SESSION.test(s) || INSTANCE_ID.test(s)) return null;
    if (issue.arn === null || ids[1] !== issue.arn || issue.session === null || ids[6] !== issue.session) return null;
    if (cred.issuedArn === null || !cred.issuedArn.endsWith(`/${s}`)) return null;
    name[ARN_AT] = ISSUED_ARN;
    // The walk reads a session's principal id only to know there is one.
    name[PRINCIPAL_AT] = ids[3] === null ? NONE : PRESENT;
    name[SESSION_AT] = RUN_NAMED;
    name[ISSUED_ARN_AT] = numberOf(cred.issuedArn.slice(0, -s.length));
    name[ISSUED_SESSION_AT] = RUN_NAMED;
    return hashOf(name);
  }

  /** A key resolved the full way: starts the template `name` names, or confirms (or refuses) the one started. */
  function learnAs(hash: number, runNamed: boolean, key: string, cred: IssuedCredentialRow, res: Resolution, answer: TemplateAnswer, cut: ChainShape): void {
    const known = templates.get(name, hash);
    if (known === 'not-shared' || known?.trusted) return;
    if (known) {
      templates.set(name, hash, sameAnswer(known.answer, answer) ? { ...known, trusted: true } : 'not-shared');
      return;
    }
    const oneStep = res.chain.length === 2 && res.chain[1].basis === 'key' && res.chain[1].issuedBy === null && res.chain[0].issuedBy?.eventId === cred.eventId;
    const sharable = oneStep && cut.event === cred.eventId && cut.time !== null && res.flags.every((f) => !('accessKeyId' in f));
    // Named with its session's name, the key, eventID and time were cut from the text with that name in
    // it: a later key of the template (the same name) gives that text back once its own three values
    // are cut as cleanly, and cutting the same name from it gives the same shape. Named without it, the
    // shape with the name cut out is what later keys' values must cut cleanly from, the name's place
    // standing alone like the others'.
    const cutFrom = runNamed ? cut.shape : withSession(cut);
    const shares = sharable && (!runNamed || (cut.session !== null && sessionCutsCleanly(cut.shape, cut.session, key, cred.eventId!, cut.time!)))
      && slotsStandAlone(cutFrom);
    const runs = shares ? valueRuns(cutFrom) : [];
    templates.set(name, hash, shares && cutsCleanly(runs, key, cred.eventId!, cut.time!) ? { answer, trusted: false, runs } : 'not-shared');
  }

  return {
    /**
     * The answer of this key's template, when it is trusted and the key's values cut cleanly out of
     * its shape: the template named with the session's name, else the one named without it; else
     * undefined, and the key is resolved the full way and offered with `learn`.
     */
    answerFor(key: string, ids: IdentityIds, cred: IssuedCredentialRow | undefined, eventTime: string, issue: IssueIds): TemplateAnswer | undefined {
      const hash = cred ? templateOf(key, ids, cred) : null;
      if (hash === null) return undefined;
      const t = templates.get(name, hash);
      if (t !== undefined && t !== 'not-shared' && t.trusted) return cutsCleanly(t.runs, key, cred!.eventId!, eventTime) ? t.answer : undefined;
      const runHash = runNamedTemplateOf(ids, cred!, issue);
      const r = runHash === null ? undefined : templates.get(name, runHash);
      if (r === undefined || r === 'not-shared' || !r.trusted) return undefined;
      return cutsCleanly(r.runs, key, cred!.eventId!, eventTime) && sessionCutsCleanly(r.answer.shape, cred!.sessionName!, key, cred!.eventId!, eventTime)
        ? r.answer : undefined;
    },
    /** A key resolved the full way: starts its templates, or confirms (or refuses) those started. */
    learn(key: string, ids: IdentityIds, cred: IssuedCredentialRow | undefined, res: Resolution, answer: TemplateAnswer, cut: ChainShape, issue: IssueIds): void {
      if (!cred) return;
      const hash = templateOf(key, ids, cred);
      if (hash === null) return;
      learnAs(hash, false, key, cred, res, answer, cut);
      const runHash = runNamedTemplateOf(ids, cred, issue);
      if (runHash !== null) learnAs(runHash, true, key, cred, res, answer, cut);
    },
  };
}

/**
 * Templates by name, a name being a row of numbers (NAME_FIELDS): hashed into buckets, and each
 * candidate compared whole, so two names are one template only when every field is equal. Numbers
 * rather than a text spelled from them: building and hashing a text of two dozen fields per key was
 * most of a templated key's cost.
 */
class TemplateTable {
  private buckets = new Map<number, { name: Float64Array; template: Template }[]>();
  size = 0;

  get(name: Float64Array, hash: number): Template | undefined {
    return this.entry(name, hash)?.template;
  }

  /** Stores a copy of the name; past KEPT templates the table starts again. */
  set(name: Float64Array, hash: number, template: Template): void {
    const known = this.entry(name, hash);
    if (known) {
      known.template = template;
      return;
    }
    if (this.size >= KEPT) this.clear();
    const bucket = this.buckets.get(hash);
    const entry = { name: name.slice(), template };
    if (bucket) bucket.push(entry);
    else this.buckets.set(hash, [entry]);
    this.size++;
  }

  clear(): void {
    this.buckets = new Map();
    this.size = 0;
  }

  private entry(name: Float64Array, hash: number) {
    const bucket = this.buckets.get(hash);
    if (bucket) for (const e of bucket) if (sameName(e.name, name)) return e;
    return undefined;
  }
}

function sameName(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** FNV-1a over both 32-bit halves of each field (ids may pass 2^31). */
function hashOf(name: Float64Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    const v = name[i];
    h = Math.imul(h ^ (v | 0), 0x01000193);
    h = Math.imul(h ^ ((v / 0x100000000) | 0), 0x01000193);
  }
  return h;
}

function sameAnswer(a: TemplateAnswer, b: TemplateAnswer): boolean {
  return a.shapeId === b.shapeId && a.origin === b.origin && a.proven === b.proven && a.flags === b.flags && a.instanceId === b.instanceId
    && a.awaits === b.awaits;
}

/** Every place a value (a session name too) was cut from has, on both sides, a character no key, eventID or time can hold. */
function slotsStandAlone(shape: string): boolean {
  for (let i = 0; i < shape.length; i++) {
    const c = shape.charCodeAt(i);
    if (c < 1 || c > 4) continue;
    if (VALUE_CHAR.test(shape[i - 1] ?? '') || VALUE_CHAR.test(shape[i + 1] ?? '')) return false;
  }
  return true;
}

/**
 * The runs of VALUE_CHAR characters in a shape, longest first. A key, eventID or time is made of those
 * characters only, so it occurs in the shape only inside one of them: looking in the runs at least as
 * long as the value answers what searching the whole shape (about a kilobyte) would, for each key.
 */
function valueRuns(shape: string): string[] {
  return (shape.match(VALUE_RUN) ?? []).sort((a, b) => b.length - a.length);
}

/** Whether `value` (made of VALUE_CHAR characters) occurs in the shape whose runs these are. */
function inRuns(runs: readonly string[], value: string): boolean {
  for (const run of runs) {
    if (run.length < value.length) return false;
    if (run.includes(value)) return true;
  }
  return false;
}

/**
 * The time is of AWS's form, none of the three values holds another, and none occurs in the shape's own
 * text (given as its valueRuns). The key's and eventID's forms were tested when the template was named
 * (templateOf gives no name otherwise).
 */
function cutsCleanly(runs: readonly string[], key: string, eventId: string, time: string): boolean {
  return ISO_TIME.test(time)
    && !eventId.includes(key) && !time.includes(key) && !time.includes(eventId)
    && !inRuns(runs, key) && !inRuns(runs, eventId) && !inRuns(runs, time);
}

/**
 * A session named per run takes a shape with its name cut out (char(4)) only where cutting the name
 * from the shape's text with the name put back gives exactly the shape (the name stands at the cut
 * places and nowhere else, across them neither), and the name holds none of the other three values
 * (they are cut before it).
 */
function sessionCutsCleanly(shape: string, session: string, key: string, eventId: string, time: string): boolean {
  return !session.includes(key) && !session.includes(eventId) && !session.includes(time)
    && shape.replaceAll('\u0004', session).replaceAll(session, '\u0004') === shape;
}
