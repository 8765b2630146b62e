// Records that start sessions: AssumeRole (by a user, by EC2 for an instance profile, cross-account)
// and console sign-in. The ASIA key each returns is what later records carry in userIdentity.accessKeyId.
import type { Rng } from './prng.ts';
import type { Account, Role, User } from './types.ts';
import { accessKeyId, ALNUM } from './prng.ts';
import type { CloudTrailRecord, Identity } from './records.ts';
import { buildRecord, sessionArn } from './records.ts';
import { stsDate } from './time-ip.ts';

export type Issued = { record: CloudTrailRecord; accessKeyId: string; expiresMs: number };

export function assumeRole(rng: Rng, a: {
  account: Account; time: number; region: string; caller: Identity; ip: string; ua: string; role: Role; sessionName: string;
  durationSeconds: number; externalId?: string; crossAccount?: boolean;
}): Issued {
  const key = accessKeyId(rng, 'ASIA');
  const expiresMs = a.time + a.durationSeconds * 1000;
  const params: Record<string, unknown> = { roleArn: a.role.arn, roleSessionName: a.sessionName };
  if (a.durationSeconds !== 3600) params.durationSeconds = a.durationSeconds;
  if (a.externalId) params.externalId = a.externalId;
  const record = buildRecord(rng, {
    time: a.time,
    region: a.region,
    source: 'sts.amazonaws.com',
    name: 'AssumeRole',
    identity: a.caller,
    ip: a.ip,
    ua: a.ua,
    params,
    response: {
      credentials: { accessKeyId: key, sessionToken: 'IQoJb3JpZ2luX2VjE' + rng.chars(ALNUM, 120), expiration: stsDate(expiresMs) },
      assumedRoleUser: { assumedRoleId: `${a.role.id}:${a.sessionName}`, arn: sessionArn(a.account.id, a.role, a.sessionName) },
    },
    readOnly: true,
    resources: [{ accountId: a.account.id, type: 'AWS::IAM::Role', ARN: a.role.arn }],
    sharedEventID: a.crossAccount ? rng.uuid() : undefined,
    recipient: a.account.id,
  });
  return { record, accessKeyId: key, expiresMs };
}

/**
 * AssumeRoleWithWebIdentity as a GitHub Actions job logs it (OIDC token from token.actions.githubusercontent.com):
 * every run gets a new key, and every run's session has the same name.
 */
export function assumeRoleWithWebIdentity(rng: Rng, a: {
  account: Account; time: number; provider: string; subject: string; ip: string; ua: string; role: Role; sessionName: string; durationSeconds: number;
}): Issued {
  const key = accessKeyId(rng, 'ASIA');
  const expiresMs = a.time + a.durationSeconds * 1000;
  const record = buildRecord(rng, {
    time: a.time,
    region: 'us-east-1',
    source: 'sts.amazonaws.com',
    name: 'AssumeRoleWithWebIdentity',
    identity: { type: 'WebIdentityUser', principalId: `${a.provider}:sts.amazonaws.com:${a.subject}`, userName: a.subject, identityProvider: a.provider },
    ip: a.ip,
    ua: a.ua,
    params: { roleArn: a.role.arn, roleSessionName: a.sessionName, durationSeconds: a.durationSeconds },
    response: {
      credentials: { accessKeyId: key, sessionToken: 'IQoJb3JpZ2luX2VjE' + rng.chars(ALNUM, 120), expiration: stsDate(expiresMs) },
      subjectFromWebIdentityToken: a.subject,
      assumedRoleUser: { assumedRoleId: `${a.role.id}:${a.sessionName}`, arn: sessionArn(a.account.id, a.role, a.sessionName) },
      provider: a.provider,
      audience: 'sts.amazonaws.com',
    },
    readOnly: true,
    resources: [{ accountId: a.account.id, type: 'AWS::IAM::Role', ARN: a.role.arn }],
    recipient: a.account.id,
  });
  return { record, accessKeyId: key, expiresMs };
}

export function consoleLogin(rng: Rng, a: { account: Account; time: number; user: User; ip: string; ua: string; success: boolean }): CloudTrailRecord {
  return buildRecord(rng, {
    time: a.time,
    region: 'us-east-1',
    source: 'signin.amazonaws.com',
    name: 'ConsoleLogin',
    identity: { type: 'IAMUser', principalId: a.user.id, arn: a.user.arn, accountId: a.account.id, userName: a.user.name },
    ip: a.ip,
    ua: a.ua,
    params: null,
    response: { ConsoleLogin: a.success ? 'Success' : 'Failure' },
    // A failed sign-in carries an errorMessage but still reports ConsoleLogin: Failure in the response.
    additional: { LoginTo: 'https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true', MobileVersion: 'No', MFAIdentifier: a.user.mfa ? `arn:aws:iam::${a.account.id}:mfa/${a.user.name}` : undefined, MFAUsed: a.user.mfa ? 'Yes' : 'No' },
    error: a.success ? undefined : ['', 'Failed authentication'],
    readOnly: false,
    eventType: 'AwsConsoleSignIn',
    recipient: a.account.id,
  });
}
