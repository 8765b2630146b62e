// Elastic exports of CloudTrail: Elasticsearch hits ({_index, _id, _source}) and search responses
// ({hits: {hits: […]}}), and documents in ECS form as Filebeat's AWS module and Elastic Agent's AWS
// integration write them: the original record in event.original when it was kept, else the record's
// fields spread over ECS (@timestamp, event.action, event.provider, cloud.region, source.address,
// user_agent.original) and aws.cloudtrail.* in snake_case. Logstash documents (the record plus
// @timestamp/@version) are read by logstash.ts.
import { cloudTrailName, DOCUMENT_FIELDS, restoreNames } from './field-names.ts';
import { fieldAt, hasFieldPrefix, textAt } from './ecs-fields.ts';
import { setOwn } from './own-field.ts';

export const VIA_EVENT_ORIGINAL = 'Elastic (ECS) document: record from event.original';
export const VIA_ECS_FIELDS = 'Elastic (ECS) document: record rebuilt from ECS fields (aws.cloudtrail.*, event.*), without what ECS does not map';

/** An Elasticsearch hit or elasticdump line: the document is `_source`. */
export function sourceOfHit(o: Record<string, unknown>): Record<string, unknown> | null {
  const source = o._source;
  if (typeof source !== 'object' || source === null || Array.isArray(source)) return null;
  return '_index' in o || '_id' in o ? (source as Record<string, unknown>) : null;
}

/** The hits of a search response ({took, hits: {total, hits: […]}}), or null. */
export function hitsOf(o: Record<string, unknown>): unknown[] | null {
  const hits = o.hits;
  if (typeof hits !== 'object' || hits === null || Array.isArray(hits)) return null;
  const list = (hits as Record<string, unknown>).hits;
  return Array.isArray(list) ? list : null;
}

/** An ECS document carrying CloudTrail: aws.cloudtrail.* fields, or event.original beside @timestamp. */
export function isEcsCloudTrail(o: Record<string, unknown>): boolean {
  return hasFieldPrefix(o, 'aws.cloudtrail') || (typeof fieldAt(o, 'event.original') === 'string' && '@timestamp' in o);
}

/** The record of an ECS document, and how it was read; null when event.original is not a record. */
export function ecsRecord(doc: Record<string, unknown>): { record: Record<string, unknown>; via: string } | null {
  const original = fieldAt(doc, 'event.original');
  if (typeof original === 'string') {
    try {
      const parsed = JSON.parse(original) as unknown;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        const record = parsed as Record<string, unknown>;
        if (record.eventTime === undefined && typeof doc['@timestamp'] === 'string') record.eventTime = doc['@timestamp'];
        return { record, via: VIA_EVENT_ORIGINAL };
      }
    } catch {
      // not JSON: rebuild from the fields
    }
  }
  if (!hasFieldPrefix(doc, 'aws.cloudtrail')) return null;
  return { record: fromFields(doc), via: VIA_ECS_FIELDS };
}

/** ECS fields that hold a CloudTrail field outside aws.cloudtrail (Filebeat's pipeline moves them there). */
const ECS_TO_CLOUDTRAIL: [string, string][] = [
  ['@timestamp', 'eventTime'],
  ['event.id', 'eventID'],
  ['event.action', 'eventName'],
  ['event.provider', 'eventSource'],
  ['cloud.region', 'awsRegion'],
  ['source.address', 'sourceIPAddress'],
  ['source.ip', 'sourceIPAddress'],
  ['user_agent.original', 'userAgent'],
  ['cloud.account.id', 'recipientAccountId'],
];

function fromFields(doc: Record<string, unknown>): Record<string, unknown> {
  const ct = fieldAt(doc, 'aws.cloudtrail');
  const record: Record<string, unknown> = {};
  // Flat documents carry aws.cloudtrail.x keys instead of an aws.cloudtrail object: gather them.
  const fields: Record<string, unknown> = typeof ct === 'object' && ct !== null && !Array.isArray(ct) ? { ...(ct as Record<string, unknown>) } : {};
  for (const [key, v] of Object.entries(doc)) {
    if (key.startsWith('aws.cloudtrail.')) setPath(fields, key.slice('aws.cloudtrail.'.length).split('.'), v);
  }
  for (const [key, v] of Object.entries(fields)) {
    if (key === 'flattened') continue;
    const name = cloudTrailName(key) ?? key;
    setOwn(record, name, DOCUMENT_FIELDS.has(name) ? documentOf(v, fields, key) : restoreNames(name === 'resources' ? zipColumns(v) : v, name === 'resources'));
  }
  const ui = (record.userIdentity ??= {}) as Record<string, unknown>;
  if (typeof ui === 'object' && ui !== null) {
    // ECS puts mfa_authenticated and creation_date directly in session_context; CloudTrail under attributes.
    const ctx = ui.sessionContext as Record<string, unknown> | undefined;
    if (typeof ctx === 'object' && ctx !== null && (ctx.mfaAuthenticated !== undefined || ctx.creationDate !== undefined)) {
      const { mfaAuthenticated, creationDate, ...rest } = ctx;
      ui.sessionContext = { ...rest, attributes: { ...(rest.attributes as object | undefined), mfaAuthenticated, creationDate } };
    }
    // Filebeat moves the principal's id and name to user.*, and the caller's account to cloud.account.id.
    ui.principalId ??= textAt(doc, 'user.id') ?? undefined;
    if (ui.type === 'IAMUser') ui.userName ??= textAt(doc, 'user.name') ?? undefined;
    if (ui.accountId === undefined && textAt(doc, 'cloud.account.id') !== null) ui.accountId = textAt(doc, 'cloud.account.id');
  }
  for (const [from, to] of ECS_TO_CLOUDTRAIL) {
    if (record[to] === undefined) {
      const v = textAt(doc, from);
      if (v !== null) record[to] = v;
    }
  }
  if (record.errorCode === undefined && textAt(doc, 'error.code') !== null) record.errorCode = textAt(doc, 'error.code');
  if (record.errorMessage === undefined && textAt(doc, 'error.message') !== null) record.errorMessage = textAt(doc, 'error.message');
  return JSON.parse(JSON.stringify(record)) as Record<string, unknown>; // drops the undefined the defaults left
}

/** request_parameters is a string of the JSON (or of Java's map printing); flattened.* holds the object. */
function documentOf(v: unknown, fields: Record<string, unknown>, key: string): unknown {
  const flat = fieldAt(fields.flattened, key);
  if (typeof flat === 'object' && flat !== null) return flat;
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

function setPath(target: Record<string, unknown>, parts: string[], v: unknown): void {
  let node = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = Object.hasOwn(node, parts[i]) ? node[parts[i]] : undefined;
    if (typeof next !== 'object' || next === null || Array.isArray(next)) setOwn(node, parts[i], {});
    node = node[parts[i]] as Record<string, unknown>;
  }
  setOwn(node, parts[parts.length - 1], Array.isArray(v) && v.length === 1 ? v[0] : v);
}

/**
 * Elasticsearch stores an array of objects as arrays per field when it is not `nested`
 * ({arn: [a, b], type: [t, u]}): back to one object per entry.
 */
function zipColumns(v: unknown): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  const columns = Object.entries(v as Record<string, unknown>);
  const length = Math.max(0, ...columns.map(([, c]) => (Array.isArray(c) ? c.length : 1)));
  return Array.from({ length }, (_, i) => Object.fromEntries(columns.map(([k, c]) => [k, Array.isArray(c) ? c[i] : c])));
}
