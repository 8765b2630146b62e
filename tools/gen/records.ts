// CloudTrail record assembly: identities and the record itself, with keys in the order AWS writes them.
import type { Rng } from './prng.ts';
import type { Role, User } from './types.ts';
import { isoSeconds } from './time-ip.ts';

export type Identity = Record<string, unknown>;

export type Call = {
  time: number;
  region: string;
  source: string;
  name: string;
  identity: Identity;
  ip: string;
  ua: string;
  params: unknown;
  response: unknown;
  readOnly: boolean;
  error?: [string, string];
  additional?: unknown;
  resources?: unknown[];
  eventType?: string;
  sharedEventID?: string;
  console?: boolean;
  /** A data event (an S3 object's read or write): not a management event. */
  dataEvent?: boolean;
  recipient: string;
};

export type CloudTrailRecord = Record<string, unknown> & { eventID: string; eventTime: string; awsRegion: string; eventName: string };

export function userIdentity(account: string, user: User, accessKeyId?: string, consoleSession?: { creationMs: number; mfa: boolean }): Identity {
  const id: Identity = { type: 'IAMUser', principalId: user.id, arn: user.arn, accountId: account };
  if (accessKeyId) id.accessKeyId = accessKeyId;
  id.userName = user.name;
  if (consoleSession) {
    id.sessionContext = { attributes: { creationDate: isoSeconds(consoleSession.creationMs), mfaAuthenticated: String(consoleSession.mfa) } };
  }
  return id;
}

export function assumedRoleIdentity(account: string, role: Role, sessionName: string, accessKeyId: string, creationMs: number, opts: { mfa?: boolean; ec2?: boolean; sourceIdentity?: string; webIdentityProvider?: string } = {}): Identity {
  const sessionContext: Record<string, unknown> = {
    sessionIssuer: { type: 'Role', principalId: role.id, arn: role.arn, accountId: account, userName: role.name },
    attributes: { creationDate: isoSeconds(creationMs), mfaAuthenticated: String(opts.mfa ?? false) },
  };
  if (opts.ec2) sessionContext.ec2RoleDelivery = '2.0';
  else sessionContext.webIdFederationData = opts.webIdentityProvider ? { federatedProvider: opts.webIdentityProvider, attributes: {} } : {};
  if (opts.sourceIdentity) sessionContext.sourceIdentity = opts.sourceIdentity;
  return {
    type: 'AssumedRole',
    principalId: `${role.id}:${sessionName}`,
    arn: sessionArn(account, role, sessionName),
    accountId: account,
    accessKeyId,
    sessionContext,
  };
}

export function sessionArn(account: string, role: Role, sessionName: string): string {
  return `arn:aws:sts::${account}:assumed-role/${role.name}/${sessionName}`;
}

export function serviceIdentity(service: string): Identity {
  return { type: 'AWSService', invokedBy: service };
}

const HOSTS: Record<string, (region: string) => string> = {
  'iam.amazonaws.com': () => 'iam.amazonaws.com',
  'signin.amazonaws.com': () => 'signin.aws.amazon.com',
  's3.amazonaws.com': () => 's3.amazonaws.com',
  'monitoring.amazonaws.com': (r) => `monitoring.${r}.amazonaws.com`,
};

function host(source: string, region: string): string {
  const h = HOSTS[source];
  return h ? h(region) : `${source.slice(0, source.indexOf('.'))}.${region}.amazonaws.com`;
}

// Services whose records CloudTrail still writes as 1.08.
const V108 = new Set(['sts.amazonaws.com', 'signin.amazonaws.com', 'ssm.amazonaws.com', 'kms.amazonaws.com', 'logs.amazonaws.com']);

export function buildRecord(rng: Rng, c: Call): CloudTrailRecord {
  const requestID = rng.uuid();
  const eventID = rng.uuid();
  const r: Record<string, unknown> = {
    eventVersion: V108.has(c.source) ? '1.08' : '1.09',
    userIdentity: c.identity,
    eventTime: isoSeconds(c.time),
    eventSource: c.source,
    eventName: c.name,
    awsRegion: c.region,
    sourceIPAddress: c.ip,
    userAgent: c.ua,
  };
  if (c.error) {
    // A failed console sign-in has an errorMessage but no errorCode.
    if (c.error[0]) r.errorCode = c.error[0];
    r.errorMessage = c.error[1];
  }
  r.requestParameters = c.params;
  r.responseElements = c.error?.[0] ? null : withRequestId(c.response, c.source, requestID);
  if (c.additional) r.additionalEventData = c.additional;
  if (c.eventType !== 'AwsConsoleSignIn') r.requestID = requestID;
  r.eventID = eventID;
  r.readOnly = c.readOnly;
  if (c.resources) r.resources = c.resources;
  r.eventType = c.eventType ?? 'AwsApiCall';
  r.managementEvent = !c.dataEvent;
  r.recipientAccountId = c.recipient;
  if (c.sharedEventID) r.sharedEventID = c.sharedEventID;
  r.eventCategory = c.dataEvent ? 'Data' : 'Management';
  r.tlsDetails = { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: host(c.source, c.region) };
  if (c.console) r.sessionCredentialFromConsole = 'true';
  return r as CloudTrailRecord;
}

// EC2 echoes the request id inside its response elements.
function withRequestId(response: unknown, source: string, requestID: string): unknown {
  if (response && source === 'ec2.amazonaws.com' && typeof response === 'object') return { requestId: requestID, ...(response as object) };
  return response ?? null;
}

export function denied(arn: string, action: string, resource = '*', ec2 = false): [string, string] {
  if (ec2) {
    return ['Client.UnauthorizedOperation', `You are not authorized to perform this operation. User: ${arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`];
  }
  return ['AccessDenied', `User: ${arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`];
}
