// CloudTrail as Amazon Security Lake keeps it: OCSF events (API Activity 6003, and Account Change,
// Authentication and the other audit classes for some calls) whose metadata names CloudTrail as the
// product, as a query over Security Lake's CloudTrail tables exports them: JSON or JSON Lines here, the
// Athena console's CSV and get-query-results through ocsf-columns.ts, its Parquet through
// parquet-source.ts. Each is rebuilt into the CloudTrail record it was mapped from, following the OCSF project's CloudTrail
// mappings: 1.1 (Security Lake's source version 2: actor.user.uid is the ARN, uid_alt the principal id)
// and 1.0 (version 1: uid the principal id, uuid the ARN). What OCSF does not map of the record is lost,
// unless Security Lake kept it in `unmapped`; the source's read_as says so.
import { ocsfFields, type OcsfFields } from './ocsf-fields.ts';
import { cloudTrailName, DOCUMENT_FIELDS } from './field-names.ts';
import { setOwn } from './own-field.ts';

export const VIA_OCSF = 'Security Lake (OCSF) CloudTrail event: record rebuilt from OCSF fields, without what OCSF does not map';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An OCSF event made from a CloudTrail record: a class, and metadata naming CloudTrail as its product. */
export function isOcsfCloudTrail(o: Record<string, unknown>): boolean {
  return (typeof o.class_uid === 'number' || typeof o.class_uid === 'string') && ocsfFields(o).text('metadata.product.name') === 'CloudTrail';
}

/** The CloudTrail record an OCSF event was made from, as far as OCSF kept it. */
export function ocsfRecord(o: Record<string, unknown>): { record: Record<string, unknown>; via: string } {
  const f = ocsfFields(o);
  const record: Record<string, unknown> = {};
  // The names are this file's own: assigned, not defined (setOwn is for names from the data).
  const put = (name: string, v: unknown) => {
    if (v !== undefined && v !== null && v !== '') record[name] = v;
  };
  put('eventVersion', f.text('metadata.product.version'));
  put('userIdentity', identityOf(o, f));
  put('eventTime', timeOf(f));
  put('eventSource', f.text('api.service.name'));
  put('eventName', f.text('api.operation') ?? f.text('activity_name'));
  put('awsRegion', f.text('cloud.region'));
  put('sourceIPAddress', f.text('src_endpoint.ip') ?? f.text('src_endpoint.domain'));
  put('userAgent', f.text('http_request.user_agent'));
  put('errorCode', f.text('api.response.error'));
  put('errorMessage', f.text('api.response.message'));
  put('requestParameters', documentOf(f.value('api.request.data')));
  put('responseElements', documentOf(f.value('api.response.data')));
  put('requestID', f.text('api.request.uid'));
  put('eventID', f.text('metadata.uid'));
  put('eventType', f.text('metadata.event_code'));
  put('apiVersion', f.text('api.version'));
  put('recipientAccountId', f.text('cloud.account.uid') ?? f.text('cloud.account_uid'));
  put('vpcEndpointId', f.text('src_endpoint.uid'));
  put('eventCategory', f.text('metadata.product.feature.name'));
  put('resources', resourcesOf(f.value('resources')));
  keepUnmapped(record, o.unmapped);
  return { record, via: VIA_OCSF };
}

/** The caller: actor.user and actor.session (an Authentication event may name the user at `user`). */
function identityOf(o: Record<string, unknown>, f: OcsfFields): Record<string, unknown> | null {
  const user = isObject(f.value('actor.user')) ? 'actor.user' : isObject(o.user) ? 'user' : null;
  if (user === null && f.value('actor.invoked_by') === undefined) return null;
  const ui: Record<string, unknown> = {};
  const put = (name: string, v: unknown) => {
    if (v !== undefined && v !== null && v !== '') ui[name] = v;
  };
  if (user !== null) {
    // 1.1 maps the ARN to uid and the principal id to uid_alt; 1.0 the principal id to uid and the ARN to uuid.
    const ids = [f.text(`${user}.uid`), f.text(`${user}.uuid`), f.text(`${user}.uid_alt`)].filter((v): v is string => v !== null);
    put('type', f.text(`${user}.type`));
    put('principalId', ids.find((v) => !v.startsWith('arn:')));
    put('arn', ids.find((v) => v.startsWith('arn:')));
    put('accountId', f.text(`${user}.account.uid`) ?? f.text(`${user}.account_uid`));
    put('accessKeyId', f.text(`${user}.credential_uid`));
    put('userName', f.text(`${user}.name`));
  }
  put('invokedBy', f.text('actor.invoked_by'));
  put('identityProvider', f.text('actor.idp.name'));
  const issuer = f.text('actor.session.issuer');
  const created = f.text('actor.session.created_time_dt') ?? isoOf(f.value('actor.session.created_time'));
  const mfa = f.value('actor.session.is_mfa') ?? f.value('actor.session.mfa');
  if (issuer !== null || created !== null || typeof mfa === 'boolean') {
    const attributes: Record<string, unknown> = {};
    if (created !== null) attributes.creationDate = created;
    if (typeof mfa === 'boolean') attributes.mfaAuthenticated = String(mfa);
    ui.sessionContext = { ...(issuer !== null ? { sessionIssuer: { arn: issuer } } : {}), attributes };
  }
  return ui;
}

/** `time` is epoch milliseconds; `time_dt` (the datetime profile) its ISO text. */
function timeOf(f: OcsfFields): string | null {
  return f.text('time_dt') ?? isoOf(f.value('time'));
}

function isoOf(v: unknown): string | null {
  if (typeof v === 'string' && v !== '') return /^\d+$/.test(v) ? isoOf(Number(v)) : v;
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** api.request.data and api.response.data: the JSON document, or its text (Security Lake's Parquet keeps it as a string). */
function documentOf(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

function resourcesOf(v: unknown): Record<string, unknown>[] | null {
  if (!Array.isArray(v)) return null;
  const out = v.filter(isObject).map((r) => {
    const resource: Record<string, unknown> = {};
    const fields = ocsfFields(r);
    const arn = fields.text('uid');
    const account = fields.text('owner.account.uid') ?? fields.text('account_uid');
    const type = fields.text('type');
    if (arn !== null) resource.ARN = arn;
    if (account !== null) resource.accountId = account;
    if (type !== null) resource.type = type;
    return resource;
  });
  return out.length > 0 ? out : null;
}

/**
 * The record's top-level fields OCSF has no place for, and those a class without an `api` object (an
 * Authentication event: ConsoleLogin's `responseElements.ConsoleLogin`) may leave there instead.
 */
const UNMAPPED_FIELDS = new Set([
  'additionalEventData', 'sharedEventID', 'managementEvent', 'readOnly', 'serviceEventDetails', 'sessionCredentialFromConsole',
  'tlsDetails', 'vpcEndpointAccountId', 'edgeDeviceDetails', 'addendum', 'annotation', 'recipientAccountId', 'eventCategory',
  'requestParameters', 'responseElements', 'errorCode', 'errorMessage',
]);
/** Of those, the ones CloudTrail writes as true or false: a map of text holds them as "true" and "false". */
const BOOLEAN_FIELDS = new Set(['managementEvent', 'readOnly', 'sessionCredentialFromConsole']);

/**
 * What Security Lake left unmapped, under CloudTrail's names (`sharedEventID`, `additionalEventData`,
 * or a field of one, `additionalEventData.MFAUsed`): put back where the record had it, never over a
 * mapped field.
 */
function keepUnmapped(record: Record<string, unknown>, unmapped: unknown): void {
  if (!isObject(unmapped)) return;
  for (const [key, value] of Object.entries(unmapped)) {
    const [head, ...rest] = key.split('.');
    const name = cloudTrailName(head);
    if (name === undefined || !UNMAPPED_FIELDS.has(name) || rest.length > 1 || value === null || value === undefined) continue;
    if (rest.length === 0) {
      if (Object.hasOwn(record, name)) continue;
      const kept = BOOLEAN_FIELDS.has(name) && (value === 'true' || value === 'false') ? value === 'true' : value;
      setOwn(record, name, DOCUMENT_FIELDS.has(name) ? documentOf(kept) : kept);
    } else {
      const held = Object.hasOwn(record, name) ? record[name] : undefined;
      const parent = isObject(held) ? held : {};
      if (!Object.hasOwn(parent, rest[0])) setOwn(parent, rest[0], value);
      setOwn(record, name, parent);
    }
  }
}
