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
import { federatedCaller, type IssuedCredentialRow, type Resolution } from './resolve-chain.ts';
import { isPlaceholderKeyAskedOnce } from '../../ingest/normalize/placeholders.ts';
import type { Awaits } from './awaited-records.ts';
import { withSession, type ChainShape } from './chain-shapes.ts';

/** What an actor row keeps of a resolution besides the three values, and what record could change it (awaited-records.ts). */
export type TemplateAnswer = { shapeId: number; shape: string; origin: number; proven: boolean; flags: string; instanceId: string | null; awaits: Awaits };

/** A shared template: its answer, whether a second walk confirmed it, and its shape's value runs (valueRuns). */
type Template = { answer: TemplateAnswer; trusted: boolean; runs: readonly string[] } | 'not-shared';

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
/** The identity ids a name holds (IdentityIds), and all its fields: the issue-time flag, those ids, the thirteen texts. */
const IDENTITY_FIELDS = 10;
const NAME_FIELDS = 1 + IDENTITY_FIELDS + 13;
/** A missing id or text in a name (ids and numbers start at 1). */
const NONE = -1;

/**
 * The interned ids (strings.id, unique per text) of what a walk reads of the recorded identity besides
 * the key, its time and address: type, ARN, account, principal id, user name, session issuer, session
 * name, invoked by, source identity, on behalf of. Equal ids are equal texts, so they name a template
 * as the texts would, without reading or hashing a text per key.
 */
export type IdentityIds = readonly (number | null)[];

export function resolutionTemplates() {
  const templates = new TemplateTable();
  // The texts, numbered in the order first met: the lookups hand out one string object per
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
      cred.callerKey, callerIp, cred.subject, cred.issuer, cred.eventName, cred.sharedEventId];
    for (let i = 0; i < texts.length; i++) name[1 + IDENTITY_FIELDS + i] = numberOf(texts[i]);
    return hashOf(name);
  }

  return {
    /**
     * The answer of this key's template, when it is trusted and the key's values cut cleanly out of
     * its shape; else undefined, and the key is resolved the full way and offered with `learn`.
     */
    answerFor(key: string, ids: IdentityIds, cred: IssuedCredentialRow | undefined, eventTime: string): TemplateAnswer | undefined {
      const hash = cred ? templateOf(key, ids, cred) : null;
      const t = hash === null ? undefined : templates.get(name, hash);
      if (t === undefined || t === 'not-shared' || !t.trusted) return undefined;
      return cutsCleanly(t.runs, key, cred!.eventId!, eventTime) ? t.answer : undefined;
    },
    /** A key resolved the full way: starts its template, or confirms (or refuses) the one started. */
    learn(key: string, ids: IdentityIds, cred: IssuedCredentialRow | undefined, res: Resolution, answer: TemplateAnswer, cut: ChainShape): void {
      const hash = cred ? templateOf(key, ids, cred) : null;
      if (hash === null) return;
      const known = templates.get(name, hash);
      if (known === 'not-shared' || known?.trusted) return;
      if (known) {
        templates.set(name, hash, sameAnswer(known.answer, answer) ? { ...known, trusted: true } : 'not-shared');
        return;
      }
      const oneStep = res.chain.length === 2 && res.chain[1].basis === 'key' && res.chain[1].issuedBy === null && res.chain[0].issuedBy?.eventId === cred!.eventId;
      // The key, eventID and time were cut from the text with the session name in it: a later key of the
      // template (the same session name, its ids being in the name) gives that text back once its own
      // three values are cut as cleanly, and cutting the same name from it then gives the same shape.
      const cutFrom = withSession(cut);
      const shares = oneStep && cut.event === cred!.eventId && cut.time !== null && res.flags.every((f) => !('accessKeyId' in f))
        && slotsStandAlone(cutFrom);
      const runs = shares ? valueRuns(cutFrom) : [];
      templates.set(name, hash, shares && cutsCleanly(runs, key, cred!.eventId!, cut.time!) ? { answer, trusted: false, runs } : 'not-shared');
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

/** Every place a value was cut from has, on both sides, a character no value can hold. */
function slotsStandAlone(shape: string): boolean {
  for (let i = 0; i < shape.length; i++) {
    const c = shape.charCodeAt(i);
    if (c < 1 || c > 3) continue;
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
