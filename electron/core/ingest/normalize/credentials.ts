// Credentials an event issued: the temporary key STS returned, or the access key IAM created, with
// who asked for it. This is the join that traces later calls (userIdentity.accessKeyId) to a caller.
import { iamArnWithoutPath } from '../../../../shared/resource-ids.ts';
import type { IdentityColumns, IssuedCredential } from '../types.ts';
import { child, str, text } from '../../json-values.ts';
import type { Obj } from '../../json-values.ts';
import { parseAwsTime } from './time.ts';
import { isPlaceholderArn, isPlaceholderKey, usable } from './placeholders.ts';

const STS_ISSUERS = new Set(['AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity', 'GetSessionToken', 'GetFederationToken']);

export type CredentialInput = {
  eventName: string;
  eventSource: string;
  eventTime: number;
  rp: Obj | null;
  re: Obj | null;
  account: string | null;
  partition: string;
  identity: IdentityColumns;
  sourceIp: string | null;
};

export function issuedCredentials(e: CredentialInput): IssuedCredential[] {
  if (e.re === null) return [];
  if (e.eventSource === 'sts.amazonaws.com' && STS_ISSUERS.has(e.eventName)) {
    const creds = child(e.re, 'credentials');
    // A masked key in the response issues nothing: it would tie every later use of the mask to this caller.
    const key = usable(str(creds?.accessKeyId), isPlaceholderKey);
    if (key === null) return [];
    const role = usable(str(e.rp?.roleArn), isPlaceholderArn);
    const issuedArn = usable(
      text(child(e.re, 'assumedRoleUser'), 'arn') ??
      text(child(e.re, 'federatedUser'), 'arn') ??
      (e.eventName === 'GetSessionToken' ? e.identity.identityArn : null),
      isPlaceholderArn,
    );
    return [{
      accessKeyId: key,
      kind: e.eventName,
      issuedAt: e.eventTime,
      expiresAt: parseAwsTime(creds?.expiration),
      issuedArn,
      roleArn: role !== null ? iamArnWithoutPath(role) : null,
      sessionName: usable(str(e.rp?.roleSessionName) ?? (e.eventName === 'GetFederationToken' ? str(e.rp?.name) : null)),
      sourceIdentity: usable(str(e.re.sourceIdentity) ?? str(e.rp?.sourceIdentity)),
      ...caller(e),
      subject: usable(str(e.re.subject) ?? str(e.re.subjectFromWebIdentityToken)),
      // AssumeRoleWithSAML: the assertion's Issuer; AssumeRoleWithWebIdentity: the token's iss (provider).
      issuer: issuerOf(e),
    }];
  }
  if (e.eventSource === 'iam.amazonaws.com' && e.eventName === 'CreateAccessKey') {
    const ak = child(e.re, 'accessKey');
    const key = usable(str(ak?.accessKeyId), isPlaceholderKey);
    if (key === null) return [];
    // Without userName the key is for the caller itself.
    const user = usable(str(ak?.userName) ?? str(e.rp?.userName)) ?? e.identity.userName;
    const issuedArn = user !== null && e.account !== null
      ? `arn:${e.partition}:iam::${e.account}:user/${user}`
      : e.identity.identityType === 'IAMUser' ? e.identity.identityArn : null;
    return [{
      accessKeyId: key,
      kind: 'CreateAccessKey',
      issuedAt: e.eventTime,
      expiresAt: null,
      issuedArn,
      roleArn: null,
      sessionName: null,
      sourceIdentity: null,
      ...caller(e),
      subject: null,
      issuer: null,
    }];
  }
  return [];
}

/** An issuer is a URL or a host name: anything longer than this is not one, and is not shown in every chain. */
const MAX_ISSUER = 1024;

function issuerOf(e: CredentialInput): string | null {
  const v = usable(e.eventName === 'AssumeRoleWithSAML' ? str(e.re?.issuer) : e.eventName === 'AssumeRoleWithWebIdentity' ? str(e.re?.provider) : null);
  return v !== null && v.length <= MAX_ISSUER ? v : null;
}

function caller(e: CredentialInput): Pick<IssuedCredential, 'callerArn' | 'callerType' | 'callerKey' | 'callerIp'> {
  return {
    callerArn: e.identity.identityArn,
    callerType: e.identity.identityType,
    callerKey: e.identity.accessKeyId,
    callerIp: e.sourceIp,
  };
}
