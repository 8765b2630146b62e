// CloudTrail's own field names (the record contents reference), for exports that respell them:
// Athena and CloudTrail Lake lower-case every column and struct field (useridentity.principalid),
// Elastic's ECS mapping snake-cases them (aws.cloudtrail.user_identity.principal_id).
import { setOwn } from './own-field.ts';

const NAMES = [
  // top level
  'eventVersion', 'userIdentity', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userAgent',
  'errorCode', 'errorMessage', 'requestParameters', 'responseElements', 'additionalEventData', 'requestID', 'eventID',
  'readOnly', 'resources', 'eventType', 'apiVersion', 'managementEvent', 'recipientAccountId', 'serviceEventDetails',
  'sharedEventID', 'vpcEndpointId', 'vpcEndpointAccountId', 'eventCategory', 'addendum', 'sessionCredentialFromConsole',
  'edgeDeviceDetails', 'tlsDetails', 'insightDetails', 'annotation',
  // userIdentity
  'type', 'principalId', 'arn', 'accountId', 'accessKeyId', 'userName', 'invokedBy', 'identityProvider', 'credentialId',
  'sessionContext', 'attributes', 'creationDate', 'mfaAuthenticated', 'sessionIssuer', 'webIdFederationData',
  'federatedProvider', 'sourceIdentity', 'ec2RoleDelivery', 'ec2IssuedInVPC', 'onBehalfOf', 'userId', 'identityStoreArn',
  'inScopeOf', 'sourceArn', 'sourceAccount', 'issuerType', 'credentialsIssuedTo', 'assumedRoot',
  // tlsDetails, addendum
  'tlsVersion', 'cipherSuite', 'clientProvidedHostHeader', 'reason', 'updatedFields', 'originalRequestID', 'originalEventID',
];

const BY_FOLDED = new Map(NAMES.map((n) => [fold(n), n]));

/** Lower case without separators: principalId, principalid and principal_id all fold to "principalid". */
function fold(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}

/** CloudTrail's spelling of a re-cased or snake_case field name, or undefined when it is not one. */
export function cloudTrailName(name: string): string | undefined {
  return BY_FOLDED.get(fold(name));
}

/** Columns whose value is a JSON document inside CloudTrail (kept as is, keys never renamed). */
export const DOCUMENT_FIELDS = new Set(['requestParameters', 'responseElements', 'additionalEventData', 'serviceEventDetails']);

/**
 * A struct value with CloudTrail's field names restored at every level. `resources` entries spell
 * their ARN in capitals; everywhere else it is `arn`.
 */
export function restoreNames(value: unknown, inResources = false, depth = 0): unknown {
  // CloudTrail structs nest a handful of levels; anything deeper is kept as it came.
  if (depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v) => restoreNames(v, inResources, depth + 1));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue;
    const name = inResources && fold(key) === 'arn' ? 'ARN' : (cloudTrailName(key) ?? key);
    setOwn(out, name, restoreNames(v, false, depth + 1));
  }
  return out;
}

const MAX_DEPTH = 32;
