// One CloudTrail record → one events row with its identity columns, touched resources and issued
// credentials. Pure and defensive: records are attacker-controlled, so wrong types degrade to null
// and only a record without the fields every event needs (time, source, name) is rejected; a record
// without an eventID gets one derived from its content.
import type { NormalizedEvent, NormalizeResult } from '../types.ts';
import { issuedCredentials } from './credentials.ts';
import { derivedEventId } from './derived-event-id.ts';
import { identityColumns } from './identity.ts';
import { identityStoreNames } from './identity-store-names.ts';
import type { ResourceContext } from './resources/context.ts';
import { extractResources } from './resources/extract-resources.ts';
import { searchText } from './search-text.ts';
import { parseAwsTime } from './time.ts';
import { bool, obj, str } from '../../json-values.ts';
import { accountId, partitionOf } from './aws-values.ts';
import { isPlaceholderAccount, isPlaceholderEventId, usable } from './placeholders.ts';

function reject(reason: string): NormalizeResult<NormalizedEvent> {
  return { ok: false, reason };
}

/** CloudTrail does not always say readOnly (old records, some services): infer it from the verb. */
function impliedReadOnly(name: string): boolean {
  return name.startsWith('Describe') || name.startsWith('Get') || name.startsWith('List') || name.startsWith('Head') || name.startsWith('Lookup');
}

export function normalizeCloudTrailRecord(record: unknown): NormalizeResult<NormalizedEvent> {
  const r = obj(record);
  if (r === null) return reject('record is not a JSON object');
  if (r.eventTime === undefined || r.eventTime === null) return reject('record has no eventTime');
  const eventTime = parseAwsTime(r.eventTime);
  if (eventTime === null) return reject('record has an unparseable eventTime');
  const eventSource = str(r.eventSource);
  if (eventSource === null) return reject('record has no eventSource');
  const eventName = str(r.eventName);
  if (eventName === null) return reject('record has no eventName');
  const ownId = usable(str(r.eventID), isPlaceholderEventId);
  const eventId = ownId ?? derivedEventId(r);
  if (eventId === null) return reject('record has no eventID and is nested too deeply to derive one');

  const rp = obj(r.requestParameters);
  const re = obj(r.responseElements);
  const ui = obj(r.userIdentity);
  const identity = identityColumns(ui, rp);
  const account = usable(accountId(r.recipientAccountId), isPlaceholderAccount) ?? identity.identityAccount;
  const awsRegion = str(r.awsRegion);
  const readOnly = bool(r.readOnly);
  const errorCode = str(r.errorCode);
  // An address links callers ("who else used it") and backs inferred session matches.
  const sourceIp = usable(str(r.sourceIPAddress));
  const userAgent = str(r.userAgent);
  const partition = partitionOf(identity.identityArn);

  const ctx: ResourceContext = {
    eventName,
    eventSource,
    rp,
    re,
    details: obj(r.serviceEventDetails),
    account,
    region: awsRegion,
    partition,
    readOnly: readOnly ?? impliedReadOnly(eventName),
    callerUserName: identity.identityType === 'IAMUser' ? identity.userName : null,
    out: [],
  };
  extractResources(ctx, r.resources, errorCode !== null);
  const resources = ctx.out;

  const issued = errorCode === null
    ? issuedCredentials({ eventName, eventSource, eventTime, rp, re, account, partition, identity, sourceIp })
    : [];

  return {
    ok: true,
    value: {
      eventId,
      eventIdDerived: ownId === null,
      eventTime,
      eventSource,
      eventName,
      awsRegion,
      accountId: account,
      ...identity,
      sourceIp,
      userAgent,
      errorCode,
      errorMessage: str(r.errorMessage),
      readOnly,
      eventType: str(r.eventType),
      sharedEventId: str(r.sharedEventID),
      requestId: str(r.requestID),
      resources,
      issuedCredentials: issued,
      identityStoreNames: identityStoreNames({ eventSource, identityType: identity.identityType, userIdentity: ui, additionalEventData: obj(r.additionalEventData), rp, re, failed: errorCode !== null }),
      searchText: searchText(
        [eventName, eventSource, identity.identityArn, identity.userName, identity.sessionName, identity.accessKeyId, sourceIp, userAgent, errorCode],
        resources,
      ),
    },
  };
}
