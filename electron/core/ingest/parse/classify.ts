// Decides what a parsed JSON value is (CloudTrail container, record, EventBridge envelope, LookupEvents
// output, CloudWatch Logs envelope, digest, AWS CLI configuration document) and turns it into items.
// Detection is by keys, never by file name.
import type { ConfigKind, DetectorFormat, RecordRejection, SourceKind } from '../types.ts';
import { configDocumentProblem } from './config-bounds.ts';
import { CREDENTIAL_REPORT_HEADER, csvToObjects } from './csv.ts';
import { isOcsfVpcFlow, ocsfFlowFields, type FlowFieldValue } from './exported/ocsf-flow.ts';
import { isOcsfCloudTrail } from './exported/ocsf-cloudtrail.ts';
import { exportedContainerItems, exportedItem, isExportedRecord } from './exported/exported-record.ts';
import { cleanMessage } from './json-message.ts';
import { detectorElementItem, detectorEnvelopeItem, findingsContainerItems, isDetectorEnvelope, isDetectorShape } from './detectors/detector-items.ts';

export type Item =
  /** A container was recognised: decides the source's kind even when it holds no records. */
  | { t: 'kind'; kind: SourceKind }
  /**
   * via: how a reader reshaped the record (exported formats, envelopes), kept on the source. bytes: the
   * JSON it was read from, where the reader knows it, which bounds a batch by size (item-batches.ts).
   * pos: where it lies in the input, where the reader has that text already (a record found in a flow
   * log or findings source is rejected there).
   */
  | { t: 'rec'; v: unknown; via?: string; bytes?: number; pos?: string }
  /** A VPC flow log line carried in a CloudWatch Logs message. */
  | { t: 'line'; text: string; pos: string }
  /** A VPC flow log record as Security Lake keeps it: its fields in OCSF_FLOW_FIELDS order (exported/ocsf-flow.ts). */
  | { t: 'flow'; fields: FlowFieldValue[]; pos: string }
  | { t: 'rej'; r: RecordRejection }
  | { t: 'config'; kind: ConfigKind; doc: unknown }
  /** Findings of an AWS detector (one, or the list an EventBridge envelope carries), read as they are. */
  | { t: 'finding'; format: DetectorFormat; list: unknown[]; pos: string; via?: string }
  | { t: 'unknown'; reason: string; pos?: string };

/** Keys whose array value can be streamed element by element from a huge file. */
export const STREAM_KEYS = new Set(['Records', 'Events', 'logEvents', 'events', 'Findings']);

const CONFIG_ARRAY_KEYS: [string, ConfigKind][] = [
  ['Reservations', 'describe-instances'],
  ['SecurityGroups', 'describe-security-groups'],
  ['SecurityGroupRules', 'describe-security-group-rules'],
  ['NetworkInterfaces', 'describe-network-interfaces'],
  ['Vpcs', 'describe-vpcs'],
  ['Subnets', 'describe-subnets'],
  ['NetworkAcls', 'describe-network-acls'],
  ['FlowLogs', 'describe-flow-logs'],
  ['AccessKeyMetadata', 'list-access-keys'],
  ['configurationItems', 'get-resource-config-history'],
];
const GAAD_KEYS = ['UserDetailList', 'RoleDetailList', 'GroupDetailList'];

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function looksLikeCloudTrailRecord(o: Record<string, unknown>): boolean {
  return (
    typeof o.eventName === 'string' ||
    typeof o.eventSource === 'string' ||
    (typeof o.eventVersion === 'string' && ('eventTime' in o || 'userIdentity' in o))
  );
}

function isEnvelope(o: Record<string, unknown>): boolean {
  return typeof o['detail-type'] === 'string' && 'detail' in o;
}

function isLookupItem(o: Record<string, unknown>): boolean {
  return typeof o.CloudTrailEvent === 'string';
}

/** Gives each record among `items` its share of the `bytes` of JSON they were all read from. */
export function sized(items: Item[], bytes: number): Item[] {
  const share = items.length > 0 ? bytes / items.length : 0;
  for (const item of items) if (item.t === 'rec') item.bytes = share;
  return items;
}

export function position(prefix: string, label: string): string {
  return prefix ? `${prefix}, ${label}` : label;
}

/**
 * One element of a Records array or a bare array: envelopes are unwrapped, exported documents
 * (SIEM and query exports, which carry no eventTime of their own) reshaped, anything else passes.
 */
export function recordItem(v: unknown, pos: string): Item {
  if (isObject(v)) {
    if (isOcsfVpcFlow(v)) return { t: 'flow', fields: ocsfFlowFields(v), pos };
    if (isEnvelope(v)) return envelopeItem(v, pos);
    if (isLookupItem(v)) return lookupItem(v, pos);
    if (v.eventTime === undefined) {
      if (isDetectorShape(v)) return detectorElementItem(v, pos);
      return located(exportedItem(v), pos) ?? { t: 'rec', v, pos };
    }
  }
  return { t: 'rec', v, pos };
}

/** A reshaped record with its place in the input. */
function located(item: Item | null, pos: string): Item | null {
  return item?.t === 'rec' ? { ...item, pos } : item;
}

function envelopeItem(o: Record<string, unknown>, pos: string): Item {
  const detector = detectorEnvelopeItem(o, pos);
  if (detector) return detector;
  if (!String(o['detail-type']).endsWith('via CloudTrail')) {
    return { t: 'rej', r: { position: pos, reason: 'EventBridge event that carries neither a CloudTrail record (detail-type "… via CloudTrail") nor a detector finding ("GuardDuty Finding", "Security Hub Findings - Imported")' } };
  }
  return { t: 'rec', v: o.detail, via: 'EventBridge events: records from detail' };
}

/** An element of LookupEvents' `Events`: the record is the `CloudTrailEvent` string. */
export function lookupItem(v: unknown, pos: string): Item {
  if (!isObject(v) || !isLookupItem(v)) return recordItem(v, pos);
  let record: unknown;
  try {
    record = JSON.parse(v.CloudTrailEvent as string);
  } catch (err) {
    return { t: 'rej', r: { position: pos, reason: `CloudTrailEvent is not valid JSON: ${cleanMessage(err)}` } };
  }
  // EventTime comes as epoch seconds (float) or ISO text depending on the CLI; use it only when the
  // record itself has no time.
  if (isObject(record) && record.eventTime === undefined && v.EventTime !== undefined) {
    const t = typeof v.EventTime === 'number' ? new Date(v.EventTime * 1000) : new Date(String(v.EventTime));
    if (!Number.isNaN(t.getTime())) record.eventTime = t.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return { t: 'rec', v: record, via: 'LookupEvents output: records from CloudTrailEvent' };
}

/** A CloudWatch Logs message: JSON (CloudTrail delivered to a log group) or a flow log line. */
export function messageItem(v: unknown, pos: string): Item {
  const message = isObject(v) ? v.message : undefined;
  if (typeof message !== 'string') return { t: 'rej', r: { position: pos, reason: 'log event without a message string' } };
  const trimmed = message.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      const item = recordItem(JSON.parse(trimmed), pos);
      return item.t === 'rec' ? { ...item, via: item.via ?? 'CloudWatch Logs events: records from message' } : item;
    } catch (err) {
      return { t: 'rej', r: { position: pos, reason: `message is not valid JSON: ${cleanMessage(err)}` } };
    }
  }
  return { t: 'line', text: message, pos };
}

/** The item for an array element of a streamed container key. */
export function elementItem(key: string, v: unknown, pos: string): Item {
  if (key === 'Events') return lookupItem(v, pos);
  if (key === 'logEvents' || key === 'events') return messageItem(v, pos);
  if (key === 'Findings') return detectorElementItem(v, pos);
  return recordItem(v, pos);
}

/** The kind a container key announces before its elements are seen, when it does. */
export function kindOfStreamKey(key: string): SourceKind | null {
  return key === 'Records' || key === 'Events' ? 'cloudtrail' : null;
}

/** Classifies one top-level JSON value. `prefix` locates it in the input ('' for a whole file). */
export function classifyValue(v: unknown, prefix: string): Item[] {
  if (Array.isArray(v)) return classifyArray(v, prefix);
  if (!isObject(v)) return [{ t: 'unknown', reason: `unrecognized JSON document (${describe(v)} at top level)` }];
  const items: Item[] = [];
  const streamKey = containerKey(v);
  if (streamKey) {
    const list = v[streamKey] as unknown[];
    const kind = kindOfStreamKey(streamKey);
    if (kind) items.push({ t: 'kind', kind });
    for (let i = 0; i < list.length; i++) items.push(elementItem(streamKey, list[i], position(prefix, `record ${i + 1}`)));
    return items;
  }
  if ('digestStartTime' in v && 'digestEndTime' in v) return [{ t: 'kind', kind: 'cloudtrail-digest' }];
  if (v.messageType === 'CONTROL_MESSAGE') return [];
  if (isEnvelope(v)) return [envelopeItem(v, prefix || 'record 1')];
  // Security Lake's events: two keys say which, before the walks the other shapes take.
  if (isOcsfVpcFlow(v) || isOcsfCloudTrail(v)) return [recordItem(v, prefix || 'record 1')];
  // A record (a Logstash one lacks eventTime: reshaped). Envelopes were handled above.
  if (looksLikeCloudTrailRecord(v)) {
    const pos = prefix || 'record 1';
    return [v.eventTime === undefined ? (located(exportedItem(v), pos) ?? { t: 'rec', v, pos }) : { t: 'rec', v, pos }];
  }
  // Detector findings: a GetFindings or ASFF document, or one finding on its own (a JSON Lines line).
  const findings = findingsContainerItems(v, prefix);
  if (findings) return findings;
  if (isDetectorShape(v)) return [detectorElementItem(v, prefix || 'finding 1')];
  const exported = exportedContainerItems(v, prefix);
  if (exported) return exported;
  if (isExportedRecord(v)) return [recordItem(v, prefix || 'record 1')];
  const config = classifyConfig(v);
  if (config) return [config];
  return [{ t: 'unknown', reason: `unrecognized JSON document (${keyCount(Object.keys(v).length)}, none of them one Trailscope reads)` }];
}

function containerKey(o: Record<string, unknown>): string | null {
  if (Array.isArray(o.Records)) return 'Records';
  if (Array.isArray(o.Events)) return 'Events';
  if (Array.isArray(o.logEvents)) return 'logEvents';
  // filter-log-events prints {"events":[{"logStreamName","timestamp","message",...}], "searchedLogStreams":...}
  if (Array.isArray(o.events) && (o.events.length === 0 ? 'searchedLogStreams' in o : isObject(o.events[0]) && 'message' in o.events[0])) {
    return 'events';
  }
  // GetFindings / ASFF documents whose first finding is one Trailscope reads (others are unrecognized).
  if (Array.isArray(o.Findings) && isObject(o.Findings[0]) && isDetectorShape(o.Findings[0])) return 'Findings';
  return null;
}

function classifyArray(list: unknown[], prefix: string): Item[] {
  if (list.length === 0) return [{ t: 'unknown', reason: 'empty JSON array: nothing to read' }];
  const first = list[0];
  if (isObject(first) && startsRecordArray(first)) {
    // An array of detector findings (or of their envelopes) takes its kind from its first finding.
    const items: Item[] = isDetectorShape(first) || isDetectorEnvelope(first) ? [] : [{ t: 'kind', kind: isOcsfVpcFlow(first) ? 'flowlog' : 'cloudtrail' }];
    for (let i = 0; i < list.length; i++) items.push(recordItem(list[i], position(prefix, `record ${i + 1}`)));
    return items;
  }
  // An array of CloudWatch Logs envelopes or Records files: classify each.
  if (isObject(first) && containerKey(first)) {
    return list.flatMap((v, i) => classifyValue(v, position(prefix, `element ${i + 1}`)));
  }
  return [{ t: 'unknown', reason: `unrecognized JSON array (first element: ${describe(first)})` }];
}

/** True when the first element of an array says the array holds CloudTrail records (in any known wrapping). */
export function startsRecordArray(first: Record<string, unknown>): boolean {
  return looksLikeCloudTrailRecord(first) || isEnvelope(first) || isLookupItem(first) || isExportedRecord(first) || isDetectorShape(first) || isOcsfVpcFlow(first);
}

/** Top-level keys of an exported results document too big for the fast path: it is read whole. */
export function isExportedContainerKeys(keys: string[]): boolean {
  return keys.includes('hits') || keys.includes('ResultSet') || keys.includes('QueryResultRows') || (keys.includes('results') && keys.includes('preview'));
}

/** AWS CLI configuration output, recognised by its top-level keys, and refused when out of bounds. */
export function classifyConfig(o: Record<string, unknown>): Item | null {
  const kind = configKindOf(o);
  if (kind !== null) {
    const problem = configDocumentProblem(o);
    return problem === null ? { t: 'config', kind, doc: o } : { t: 'unknown', reason: problem };
  }
  if (typeof o.Content === 'string' && ('ReportFormat' in o || 'GeneratedTime' in o)) {
    const csv = decodeCredentialReport(o.Content);
    if (csv === null) return { t: 'unknown', reason: 'credential report Content is neither CSV nor base64-encoded CSV' };
    return { t: 'config', kind: 'get-credential-report', doc: csvToObjects(csv) };
  }
  return null;
}

function configKindOf(o: Record<string, unknown>): ConfigKind | null {
  if (GAAD_KEYS.some((k) => Array.isArray(o[k]))) return 'get-account-authorization-details';
  if (Array.isArray(o.Policies) && (o.Policies.length === 0 || (isObject(o.Policies[0]) && 'PolicyVersionList' in o.Policies[0]))) {
    return 'get-account-authorization-details';
  }
  for (const [key, kind] of CONFIG_ARRAY_KEYS) {
    if (Array.isArray(o[key])) return kind;
  }
  return null;
}

/** Top-level keys whose array a configuration document is made of (streamed from huge files). */
export const CONFIG_LIST_KEYS = new Set([...GAAD_KEYS, 'Policies', ...CONFIG_ARRAY_KEYS.map(([k]) => k)]);

function decodeCredentialReport(content: string): string | null {
  if (content.startsWith(CREDENTIAL_REPORT_HEADER)) return content;
  const decoded = Buffer.from(content, 'base64').toString('utf8');
  return decoded.startsWith(CREDENTIAL_REPORT_HEADER) ? decoded : null;
}

/** "3 top-level keys": key names are the input's content, so reasons count them and never list them. */
export function keyCount(n: number): string {
  return n === 0 ? 'no keys' : `${n.toLocaleString('en-US')} top-level key${n === 1 ? '' : 's'}`;
}

/** What a value is, without any of its content. */
function describe(v: unknown): string {
  if (Array.isArray(v)) return `an array of ${v.length.toLocaleString('en-US')}`;
  if (v === null) return 'null';
  if (isObject(v)) {
    const n = Object.keys(v).length;
    return `an object with ${n.toLocaleString('en-US')} key${n === 1 ? '' : 's'}, not a CloudTrail record`;
  }
  return `a ${typeof v}`;
}
