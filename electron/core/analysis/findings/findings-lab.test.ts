// The lab's answers, on small hand-made CloudTrail records stored through the real normalizer: the
// admin-user sequence, root sign-in without MFA, replication to another account, blind windows after
// StopLogging, exposure over IPv6, routine work that is not reported, and ATT&CK ids on everything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRecords, memoryCase } from '../../../../test-support/case-fixtures.ts';
import { findings } from './findings.ts';

const ACCOUNT = '111111111111';
const alice = { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, accessKeyId: 'AKIAALICE00000000001', userName: 'alice' };
const root = { type: 'Root', arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, principalId: ACCOUNT };
let n = 0;

function rec(time: string, name: string, source: string, identity: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    eventVersion: '1.09', eventTime: time, eventSource: source, eventName: name, awsRegion: 'us-east-1', eventID: `lab-${++n}`,
    sourceIPAddress: '198.51.100.7', userAgent: 'aws-cli/2.15.0', recipientAccountId: ACCOUNT, userIdentity: identity, requestParameters: null,
    responseElements: null, eventType: 'AwsApiCall', ...extra,
  };
}

function run(records: unknown[]) {
  const db = memoryCase();
  loadRecords(db, records);
  return findings(db);
}

test('CreateUser then AttachUserPolicy(AdministratorAccess) within the hour is one critical finding; a day apart it is two', () => {
  const create = rec('2025-01-01T10:00:00Z', 'CreateUser', 'iam.amazonaws.com', alice, { requestParameters: { userName: 'svc-backup2' } });
  const attach = (t: string) => rec(t, 'AttachUserPolicy', 'iam.amazonaws.com', alice, { requestParameters: { userName: 'svc-backup2', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' } });
  const soon = run([create, attach('2025-01-01T10:05:00Z')]).findings;
  assert.deepEqual(soon.map((f) => [f.rule?.id, f.severity]), [['iam-principal-created-then-admin', 'critical']]);
  assert.match(soon[0].title, /user svc-backup2 created and given administrator rights/);
  assert.deepEqual(soon[0].rule?.techniques, ['T1136.003', 'T1098.003']);
  const apart = run([create, attach('2025-01-02T12:00:00Z')]).findings.map((f) => f.rule?.id).sort();
  assert.deepEqual(apart, ['iam-admin-policy-attached', 'iam-user-created']);
});

test('root console sign-in without MFA is critical and says MFA; with MFA it is still reported', () => {
  const login = (mfa: string) => rec('2025-01-01T10:00:00Z', 'ConsoleLogin', 'signin.amazonaws.com', root, {
    responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { LoginTo: 'https://console.aws.amazon.com/', MobileVersion: 'No', MFAUsed: mfa },
  });
  const without = run([login('No')]).findings.find((f) => f.rule?.id === 'console-login-without-mfa');
  assert.equal(without?.severity, 'critical');
  assert.match(without!.title, /root signed in without MFA/);
  assert.match(without!.detail, /MFAUsed: No/);
  const withMfa = run([login('Yes')]).findings.find((f) => f.rule?.id === 'console-login-without-mfa');
  assert.match(withMfa!.title, /root signed in to the console \(with MFA\)/);
  assert.equal(withMfa!.severity, 'medium');
});

test('a bucket replicated to another account names the destination bucket and the account', () => {
  const put = rec('2025-01-01T10:00:00Z', 'PutBucketReplication', 's3.amazonaws.com', alice, {
    requestParameters: {
      bucketName: 'payroll-exports', replication: '',
      ReplicationConfiguration: { Role: `arn:aws:iam::${ACCOUNT}:role/repl`, Rule: { ID: 'r1', Status: 'Enabled', Destination: { Bucket: 'arn:aws:s3:::drop-zone-77', Account: '999988887777' } } },
    },
  });
  const f = run([put]).findings.find((x) => x.rule?.id === 's3-replication-configured');
  assert.equal(f?.severity, 'high');
  assert.equal(f?.value, 'payroll-exports');
  assert.match(f!.title, /payroll-exports replicated to arn:aws:s3:::drop-zone-77 in account 999988887777/);
  assert.ok(f!.evidence?.some((e) => e.field === 'requestParameters.ReplicationConfiguration' && e.value.includes('999988887777')));
});

test('StopLogging opens a blind window to the next StartLogging, or to the end of the data', () => {
  const stop = rec('2025-01-01T10:00:00Z', 'StopLogging', 'cloudtrail.amazonaws.com', alice, { requestParameters: { name: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main` } });
  const start = rec('2025-01-01T12:30:00Z', 'StartLogging', 'cloudtrail.amazonaws.com', alice, { requestParameters: { name: 'main' } });
  const later = rec('2025-01-01T18:00:00Z', 'ListBuckets', 's3.amazonaws.com', alice);
  const closed = run([stop, start, later]).blindWindows!;
  assert.deepEqual(closed.map((w) => [w.trail, w.cause, w.from, w.to, w.open]), [[`arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`, 'stopped', '2025-01-01T10:00:00.000Z', '2025-01-01T12:30:00.000Z', false]]);
  assert.match(closed[0].detail, /for 2\.5 hours/);
  assert.equal(closed[0].actor?.origin.id, alice.arn);
  const open = run([stop, later]).blindWindows!;
  assert.deepEqual(open.map((w) => [w.to, w.open]), [['2025-01-01T18:00:00.000Z', true]]);
  // The end of the data is that of the span its events fall in, not a record dated 9999.
  const afternoon = [13, 14, 15, 16, 17].map((h) => rec(`2025-01-01T${h}:00:00Z`, 'ListBuckets', 's3.amazonaws.com', alice));
  const farLater = run([stop, ...afternoon, later, rec('9999-12-31T23:59:59Z', 'ListBuckets', 's3.amazonaws.com', alice)]).blindWindows!;
  assert.deepEqual(farLater.map((w) => [w.to, w.open]), [['2025-01-01T18:00:00.000Z', true]]);
  assert.match(farLater[0].detail, /for 8 hours, until the end of the data/);
  const failed = run([{ ...stop, errorCode: 'AccessDenied' }, later]).blindWindows!;
  assert.deepEqual(failed, [], 'a refused StopLogging stopped nothing');
  const narrowed = rec('2025-01-01T10:00:00Z', 'PutEventSelectors', 'cloudtrail.amazonaws.com', alice, {
    requestParameters: { trailName: 'main', eventSelectors: [{ readWriteType: 'All', includeManagementEvents: false, dataResources: [] }] },
  });
  assert.deepEqual(run([narrowed, later]).blindWindows!.map((w) => w.cause), ['narrowed']);
});

test('security groups: ::/0 on RDP is high, 0.0.0.0/0 on 443 low, one public address on SSH nothing', () => {
  const open = (t: string, perm: Record<string, unknown>) => rec(t, 'AuthorizeSecurityGroupIngress', 'ec2.amazonaws.com', alice, {
    requestParameters: { groupId: 'sg-0lab', ipPermissions: { items: [{ ipProtocol: 'tcp', groups: {}, prefixListIds: {}, ipRanges: {}, ipv6Ranges: {}, ...perm }] } },
  });
  const all = run([
    open('2025-01-01T10:00:00Z', { fromPort: 3389, toPort: 3389, ipv6Ranges: { items: [{ cidrIpv6: '::/0' }] } }),
    open('2025-01-01T13:00:00Z', { fromPort: 443, toPort: 443, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }),
    open('2025-01-01T16:00:00Z', { fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '203.0.113.9/32' }] } }),
  ]).findings.filter((f) => f.rule?.id === 'ec2-security-group-open-to-world');
  assert.deepEqual(all.map((f) => [f.severity, f.title.split(': ')[1].split(' by ')[0]]), [
    ['high', 'sg-0lab ingress tcp/3389 from ::/0'],
    ['low', 'sg-0lab ingress tcp/443 from 0.0.0.0/0'],
  ]);
});

test('routine work is not reported: a role that reads secrets all week; a newcomer reading them is', () => {
  const app = { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app/i-0app`, accountId: ACCOUNT, accessKeyId: 'ASIAAPP0000000000001',
    sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/app`, userName: 'app' } } };
  const records: unknown[] = [];
  for (let h = 0; h < 7 * 24; h += 3) {
    records.push(rec(new Date(Date.parse('2025-01-01T00:00:00Z') + h * 3600_000).toISOString(), 'GetSecretValue', 'secretsmanager.amazonaws.com', app, { requestParameters: { secretId: 'db-password' } }));
  }
  records.push(rec('2025-01-06T10:00:00Z', 'GetSecretValue', 'secretsmanager.amazonaws.com', alice, { requestParameters: { secretId: 'db-password' } }));
  records.push(rec('2025-01-06T10:01:00Z', 'GetSecretValue', 'secretsmanager.amazonaws.com', alice, { requestParameters: { secretId: 'stripe-key' } }));
  const secrets = run(records).findings.filter((f) => f.rule?.id === 'secrets-retrieved');
  assert.deepEqual(secrets.map((f) => [f.actor?.origin.id, f.count]), [[alice.arn, 2]]);
  assert.match(secrets[0].title, /db-password; stripe-key \(2 calls\)/);

  // A record dated far from the rest (a time zeroed to 1970, a year typed as 9999) changes nothing: the
  // learning window is the first part of the span the events fall in. Spanning 1970, nothing was
  // learnt and the role's first reads were new; spanning 9999, the whole week was learning, and alice's
  // reads routine.
  for (const far of ['1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z']) {
    const listUsers = rec(far, 'ListUsers', 'iam.amazonaws.com', alice);
    const withFar = run([...records, listUsers]).findings.filter((f) => f.rule?.id === 'secrets-retrieved');
    assert.deepEqual(withFar.map((f) => [f.actor?.origin.id, f.count]), [[alice.arn, 2]], far);
  }
});

test('a user who signs in without MFA every day is told once, with how many times; a newcomer\'s first sign-in on its own', () => {
  const bob = { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/bob`, accountId: ACCOUNT, principalId: 'AIDABOB00000000000001', userName: 'bob' };
  const login = (t: string, who: Record<string, unknown>) => rec(t, 'ConsoleLogin', 'signin.amazonaws.com', who, {
    responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { LoginTo: 'https://console.aws.amazon.com/', MobileVersion: 'No', MFAUsed: 'No' },
  });
  const day = (d: number, hour = 9) => new Date(Date.parse('2025-01-01T00:00:00Z') + d * 86_400_000 + hour * 3_600_000).toISOString();
  // Thirty days of bob's password-only sign-ins; carol's first one on the last day.
  const records = [...Array.from({ length: 30 }, (_, d) => login(day(d), bob)), login(day(29, 15), { ...bob, arn: `arn:aws:iam::${ACCOUNT}:user/carol`, principalId: 'AIDACAROL000000000001', userName: 'carol' })];
  const found = run(records).findings.filter((f) => f.rule?.id === 'console-login-without-mfa');
  const bobs = found.filter((f) => f.actor?.origin.id === bob.arn);
  // The learning window (its first days) holds bob's first sign-ins, which make the rest routine.
  const routine = bobs.find((f) => f.severity === 'low')!;
  assert.ok(routine.count > 20, `${routine.count} sign-ins told once`);
  assert.equal(bobs.filter((f) => f.severity === 'low').length, 1);
  assert.match(routine.detail, new RegExp(`Routine for this identity: ${routine.count} times from 2025-01-\\d\\dT09:00:00.000Z to 2025-01-30T09:00:00.000Z\\.$`));
  const carols = found.filter((f) => f.actor?.origin.label === 'user/carol');
  assert.deepEqual(carols.map((f) => [f.severity, f.count]), [['medium', 1]]);
});
