// A batch of normalized events as the reader posts it to the writer: every distinct text once, in a
// table, and every field a number in one Float64Array, in a fixed order. postMessage's structured
// clone of 5,000 event objects cost the reader ~7–10 µs an event and the writer more to rebuild them
// (every object's keys written and read again, the same ARN, agent and account texts copied dozens of
// times, searchText repeating them); a table of distinct texts and one typed array cost a fraction.
// decodeEvents gives back objects equal to the ones encoded (optional fields absent where they were).
import type { IdentityStoreName, IssuedCredential, NormalizedEvent, TouchedResource } from './types.ts';
import type { PreparedEventBatch } from './prepare-batch.ts';
import type { ResourceType, Touch } from '../../../shared/resource-ids.ts';
import { ownMemory } from './own-memory.ts';

export type EncodedEvents = { texts: string[]; slots: Float64Array; count: number };

/** Slot values that are not a text's index (texts are 0, 1, 2…). */
const NULL = -1;
const ABSENT = -2;
const FALSE = -3;
const TRUE = -4;

// The fields of each object, in slot order. `s` a text or null, `u` the same for a text that is
// rarely repeated (not looked up in the table: hashing it would cost more than a copy), `b` a boolean
// or null, `n` a number or null, `o` an optional text (absent, null or a text). The type checks below
// fail to compile when an object gains a field that is not listed here.
const EVENT_FIELDS = [
  ['eventId', 'u'], ['eventIdDerived', 'b'], ['eventTime', 'n'], ['eventSource', 's'], ['eventName', 's'], ['awsRegion', 's'],
  ['accountId', 's'], ['identityType', 's'], ['identityArn', 's'], ['identityAccount', 's'], ['principalId', 's'],
  ['accessKeyId', 's'], ['userName', 's'], ['sessionIssuerArn', 's'], ['sessionName', 's'], ['invokedBy', 's'],
  ['sourceIdentity', 's'], ['onBehalfOf', 's'], ['mfaAuthenticated', 'b'], ['sourceIp', 's'], ['userAgent', 's'],
  ['errorCode', 's'], ['errorMessage', 'u'], ['readOnly', 'b'], ['eventType', 's'], ['sharedEventId', 's'],
  ['requestId', 'u'], ['searchText', 'u'],
] as const;
const RESOURCE_FIELDS = [['id', 's'], ['type', 's'], ['touch', 's'], ['name', 'o'], ['accountId', 'o'], ['region', 'o'], ['arn', 'o']] as const;
const CREDENTIAL_FIELDS = [
  ['accessKeyId', 's'], ['kind', 's'], ['issuedAt', 'n'], ['expiresAt', 'n'], ['issuedArn', 's'], ['roleArn', 's'],
  ['sessionName', 's'], ['sourceIdentity', 's'], ['callerArn', 's'], ['callerType', 's'], ['callerKey', 's'],
  ['callerIp', 's'], ['subject', 's'], ['issuer', 's'],
] as const;
const STORE_NAME_FIELDS = [['userId', 's'], ['userName', 's']] as const;

type Field = readonly [string, 's' | 'u' | 'b' | 'n' | 'o'];

type Listed<F extends readonly Field[]> = F[number][0];
/** true when the listed keys are exactly the object's (the lists excepted): else a compile error below. */
type Exactly<T, F extends readonly Field[]> = [Exclude<keyof T, Listed<F>>] extends [never] ? ([Exclude<Listed<F>, keyof T>] extends [never] ? true : false) : false;
const EVENT_FIELDS_COMPLETE: Exactly<Omit<NormalizedEvent, 'resources' | 'issuedCredentials' | 'identityStoreNames'>, typeof EVENT_FIELDS> = true;
const RESOURCE_FIELDS_COMPLETE: Exactly<TouchedResource, typeof RESOURCE_FIELDS> = true;
const CREDENTIAL_FIELDS_COMPLETE: Exactly<IssuedCredential, typeof CREDENTIAL_FIELDS> = true;
const STORE_NAME_FIELDS_COMPLETE: Exactly<IdentityStoreName, typeof STORE_NAME_FIELDS> = true;
void [EVENT_FIELDS_COMPLETE, RESOURCE_FIELDS_COMPLETE, CREDENTIAL_FIELDS_COMPLETE, STORE_NAME_FIELDS_COMPLETE];

/** Slots an event takes at most in the usual case (28 fields, three counts, a credential, two resources): the first size. */
const SLOTS_PER_EVENT = 64;

class Encoder {
  readonly texts: string[] = [];
  private readonly index = new Map<string, number>();
  // Sized for the batch from the start: growing by doubling left three or four arrays as garbage a batch.
  slots: Float64Array;
  at = 0;

  constructor(events: number) {
    this.slots = new Float64Array(Math.max(4096, events * SLOTS_PER_EVENT));
  }

  push(v: number): void {
    if (this.at === this.slots.length) {
      const grown = new Float64Array(this.slots.length * 2);
      grown.set(this.slots);
      this.slots = grown;
    }
    this.slots[this.at++] = v;
  }

  text(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.texts.length;
      this.texts.push(s);
      this.index.set(s, i);
    }
    return i;
  }

  /** False when a value is not of its field's kind: the caller then posts the objects as they are. */
  fields(o: object, fields: readonly Field[]): boolean {
    for (const [key, kind] of fields) {
      const v = (o as Record<string, unknown>)[key];
      if (kind === 'n') {
        if (v === null) this.push(NaN);
        else if (typeof v === 'number' && !Number.isNaN(v)) this.push(v);
        else return false;
      } else if (kind === 'b') {
        if (v === null) this.push(NULL);
        else if (typeof v === 'boolean') this.push(v ? TRUE : FALSE);
        else return false;
      } else if (typeof v === 'string') {
        if (kind === 'u') {
          this.push(this.texts.length);
          this.texts.push(v);
        } else this.push(this.text(v));
      } else if (v === null) this.push(NULL);
      else if (v === undefined && kind === 'o' && !Object.prototype.hasOwnProperty.call(o, key)) this.push(ABSENT);
      else return false;
    }
    return true;
  }
}

/** The events encoded, or null when a value is not of its field's kind: such a batch is posted as objects. */
export function encodeEvents(events: readonly NormalizedEvent[]): EncodedEvents | null {
  const e = new Encoder(events.length);
  for (const ev of events) {
    if (!e.fields(ev, EVENT_FIELDS)) return null;
    e.push(ev.resources.length);
    for (const r of ev.resources) if (!e.fields(r, RESOURCE_FIELDS)) return null;
    e.push(ev.issuedCredentials.length);
    for (const c of ev.issuedCredentials) if (!e.fields(c, CREDENTIAL_FIELDS)) return null;
    e.push(ev.identityStoreNames.length);
    for (const n of ev.identityStoreNames) if (!e.fields(n, STORE_NAME_FIELDS)) return null;
  }
  return { texts: e.texts, slots: e.slots.subarray(0, e.at), count: events.length };
}

/** The events encodeEvents was given, as equal objects. */
export function decodeEvents({ texts, slots, count }: EncodedEvents): NormalizedEvent[] {
  let at = 0;
  const text = (): string | null => {
    const v = slots[at++];
    return v >= 0 ? texts[v] : null;
  };
  const flag = (): boolean | null => {
    const v = slots[at++];
    return v === NULL ? null : v === TRUE;
  };
  const num = (): number | null => {
    const v = slots[at++];
    return Number.isNaN(v) ? null : v;
  };
  const optional = (o: Record<string, unknown>, key: string): void => {
    const v = slots[at++];
    if (v !== ABSENT) o[key] = v >= 0 ? texts[v] : null;
  };
  const events: NormalizedEvent[] = new Array(count);
  for (let i = 0; i < count; i++) {
    // Object literals in the order of EVENT_FIELDS (arguments are evaluated left to right).
    const event = {
      eventId: text() as string, eventIdDerived: flag() as boolean, eventTime: num() as number, eventSource: text() as string,
      eventName: text() as string, awsRegion: text(), accountId: text(), identityType: text(), identityArn: text(),
      identityAccount: text(), principalId: text(), accessKeyId: text(), userName: text(), sessionIssuerArn: text(),
      sessionName: text(), invokedBy: text(), sourceIdentity: text(), onBehalfOf: text(), mfaAuthenticated: flag(),
      sourceIp: text(), userAgent: text(), errorCode: text(), errorMessage: text(), readOnly: flag(), eventType: text(),
      sharedEventId: text(), requestId: text(), searchText: text() as string,
      resources: [] as TouchedResource[], issuedCredentials: [] as IssuedCredential[], identityStoreNames: [] as IdentityStoreName[],
    };
    for (let n = slots[at++]; n > 0; n--) {
      const r: TouchedResource = { id: text() as string, type: text() as ResourceType, touch: text() as Touch };
      optional(r, 'name');
      optional(r, 'accountId');
      optional(r, 'region');
      optional(r, 'arn');
      event.resources.push(r);
    }
    for (let n = slots[at++]; n > 0; n--) {
      event.issuedCredentials.push({
        accessKeyId: text() as string, kind: text() as string, issuedAt: num() as number, expiresAt: num(), issuedArn: text(),
        roleArn: text(), sessionName: text(), sourceIdentity: text(), callerArn: text(), callerType: text(), callerKey: text(),
        callerIp: text(), subject: text(), issuer: text(),
      });
    }
    for (let n = slots[at++]; n > 0; n--) event.identityStoreNames.push({ userId: text() as string, userName: text() as string });
    events[i] = event;
  }
  return events;
}

/** A prepared batch as the reader posts it: its events encoded (objects when they could not be). */
export type PostedEventBatch = Omit<PreparedEventBatch, 'events'> & { events: EncodedEvents | NormalizedEvent[] };

export function forPosting(batch: PreparedEventBatch): PostedEventBatch {
  return { ...batch, events: encodeEvents(batch.events) ?? batch.events };
}

/**
 * The memory a posted batch can hand over rather than have copied: the encoded slots and the
 * compressed raw blocks, each its own allocation (own-memory.ts). The reader never reads them again
 * after posting; a clone would leave its copy as garbage on the reader until a full collection.
 */
export function movableMemory(batch: PostedEventBatch): ArrayBuffer[] {
  const moved = new Set<ArrayBuffer>();
  const views: ArrayBufferView[] = [...batch.blocks, ...(Array.isArray(batch.events) ? [] : [batch.events.slots])];
  for (const view of views) {
    const memory = ownMemory(view);
    if (memory) moved.add(memory);
  }
  return [...moved];
}

/** The batch the reader prepared, on the writer's side. */
export function postedBatch(batch: PostedEventBatch): PreparedEventBatch {
  return { ...batch, events: Array.isArray(batch.events) ? batch.events : decodeEvents(batch.events) };
}
