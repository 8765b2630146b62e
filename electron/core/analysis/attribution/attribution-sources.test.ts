// Attribution from each kind of record that can name a person, through the real path (writer,
// refreshDerived, actor report). Records follow the CloudTrail record reference; real samples
// (Panther's rule tests, Stratus detonations) are used unchanged where they hold the case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRecords, memoryCase } from '../../../../test-support/case-fixtures.ts';
import { pantherEvents, stratusRecords } from '../../../../test-support/real-samples.ts';
import { actorReport } from './actor-report.ts';
import { CaseWriter } from '../../ingest/writer.ts';
import { refreshDerived } from '../refresh-derived.ts';
import { AWAITS_TWIN } from './awaited-records.ts';

const A = '111122223333';
type SampleRecord = { eventName?: string; sharedEventID?: string; userIdentity?: { type?: string; arn?: string };
  responseElements: { credentials: { accessKeyId: string } } };
const panther = () => pantherEvents().map((e) => e.record as SampleRecord);
const rec = (id: string, time: string, name: string, source: string, userIdentity: object, extra: object = {}) => ({
  eventVersion: '1.08', eventID: id, eventTime: time, eventSource: source, eventName: name, awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.7', userAgent: 'aws-cli/2.15.0 Python/3.11.6', recipientAccountId: A, userIdentity, ...extra,
});
const alice = { type: 'IAMUser', principalId: 'AIDA2ALICE0000000001', arn: `arn:aws:iam::${A}:user/alice`, accountId: A, accessKeyId: 'AKIA2ALICE000000KEY1', userName: 'alice' };
const deploySession = (key?: string) => ({
  type: 'AssumedRole', principalId: 'AROA2DEPLOY000000001:deploy', arn: `arn:aws:sts::${A}:assumed-role/ops/deploy`, accountId: A,
  ...(key === undefined ? {} : { accessKeyId: key }),
  sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROA2DEPLOY000000001', arn: `arn:aws:iam::${A}:role/ops`, accountId: A, userName: 'ops' },
    attributes: { creationDate: '2024-05-01T09:00:00Z', mfaAuthenticated: 'false' } },
});
const deployIssued = (key: string, expiration: string) => ({
  credentials: { accessKeyId: key, sessionToken: 'token', expiration },
  assumedRoleUser: { assumedRoleId: 'AROA2DEPLOY000000001:deploy', arn: `arn:aws:sts::${A}:assumed-role/ops/deploy` },
});
const assumeOps = rec('a1', '2024-05-01T09:00:00Z', 'AssumeRole', 'sts.amazonaws.com', alice, {
  requestParameters: { roleArn: `arn:aws:iam::${A}:role/ops`, roleSessionName: 'deploy', durationSeconds: 3600 },
  responseElements: deployIssued('ASIA2DEPLOY00000KEY1', 'May 1, 2024, 10:00:00 AM'),
});

test('a role session whose calls carry no key, or a masked one, is inferred from the AssumeRole that named it', () => {
  const db = memoryCase();
  loadRecords(db, [
    assumeOps,
    rec('u1', '2024-05-01T09:10:00Z', 'CreateUser', 'iam.amazonaws.com', deploySession()),
    rec('u2', '2024-05-01T09:12:00Z', 'DeleteTrail', 'cloudtrail.amazonaws.com', deploySession('ASIA****************')),
  ]);
  const r = actorReport(db, `arn:aws:sts::${A}:assumed-role/ops/deploy`);
  assert.ok(r);
  assert.equal(r.eventCount, 2);
  assert.equal(r.actor.origin.id, alice.arn);
  assert.equal(r.actor.origin.proven, false);
  assert.equal(r.actor.chain[1].proof, 'inferred');
  assert.equal(r.actor.chain[1].basis, 'session-name-ip-time');
  assert.equal(r.actor.chain[0].issuedBy?.eventId, 'a1');
  assert.match(r.actor.chain[1].detail, /same source IP/);
});

test('a session used after every AssumeRole naming it had expired is not pinned on the last caller', () => {
  const db = memoryCase();
  loadRecords(db, [assumeOps, rec('u1', '2024-05-01T15:00:00Z', 'CreateUser', 'iam.amazonaws.com', deploySession())]);
  const r = actorReport(db, `arn:aws:sts::${A}:assumed-role/ops/deploy`);
  assert.notEqual(r?.actor.origin.id, alice.arn);
  assert.ok(r?.actor.flags.some((f) => f.kind === 'chain-broken'));
});

/** Panther's real sample of a cross-account AssumeRole (the owner's copy), the caller's copy, and the calls around them. */
function crossAccountRecords() {
  // Its key is a placeholder (SAMPLE_ACCESS_KEY, which issues nothing), so a usable key is put in its
  // place. The caller's copy is written from the reference.
  const owner = structuredClone(panther().find((r) => r.eventName === 'AssumeRole' && r.userIdentity?.type === 'AWSAccount' && r.sharedEventID)!);
  owner.responseElements.credentials.accessKeyId = 'ASIA2SAMPLEROLEKEY01';
  // The anonymised sample gives the caller the role's own account; AWS writes the caller's, the one its
  // own copy below is recorded in.
  (owner.userIdentity as { accountId: string }).accountId = '444455556666';
  const lambdaSession = { type: 'AssumedRole', principalId: 'AROA2LAMBDA000000001:lambda-name', arn: `arn:aws:sts::444455556666:assumed-role/lambda-exec/lambda-name`,
    accountId: '444455556666', accessKeyId: 'ASIA2LAMBDA00000KEY1',
    sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::444455556666:role/lambda-exec', accountId: '444455556666', userName: 'lambda-exec' } } };
  const callerCopy = { ...structuredClone(owner), eventID: 'caller-copy-1', recipientAccountId: '444455556666', userIdentity: lambdaSession };
  const lambdaIssue = rec('l1', '2024-12-12T16:00:00Z', 'AssumeRole', 'sts.amazonaws.com', { type: 'AWSService', invokedBy: 'lambda.amazonaws.com' }, {
    sourceIPAddress: 'lambda.amazonaws.com', recipientAccountId: '444455556666',
    requestParameters: { roleArn: 'arn:aws:iam::444455556666:role/lambda-exec', roleSessionName: 'lambda-name' },
    responseElements: { credentials: { accessKeyId: 'ASIA2LAMBDA00000KEY1', expiration: 'Dec 12, 2024, 11:00:00 PM' },
      assumedRoleUser: { arn: 'arn:aws:sts::444455556666:assumed-role/lambda-exec/lambda-name' } } });
  const use = rec('s1', '2024-12-12T16:05:00Z', 'ListBuckets', 's3.amazonaws.com', { type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/SampleRole/SampleSession`,
    accountId: A, accessKeyId: 'ASIA2SAMPLEROLEKEY01', sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${A}:role/SampleRole` } } });
  return { owner, lambdaSession, callerCopy, lambdaIssue, use };
}

function assertLambdaCaller(r: ReturnType<typeof actorReport>, lambdaSession: { arn: string }) {
  assert.ok(r);
  assert.deepEqual(r.actor.chain.map((l) => l.kind), ['role-session', 'role-session', 'aws-service']);
  assert.equal(r.actor.chain[1].id, lambdaSession.arn);
  assert.equal(r.actor.chain[1].basis, 'key');
  assert.match(r.actor.chain[1].detail, /sharedEventID fe4784a8/);
  assert.equal(r.actor.origin.id, 'lambda.amazonaws.com');
  assert.equal(r.actor.origin.proven, true);
  assert.ok(r.actor.flags.some((f) => f.kind === 'cross-account' && f.fromAccount === '444455556666' && f.toAccount === A));
}

test('cross-account AssumeRole: the role owner\'s copy (caller "AWSAccount") is completed by the caller\'s copy through sharedEventID', () => {
  const { owner, lambdaSession, callerCopy, lambdaIssue, use } = crossAccountRecords();
  const db = memoryCase();
  // The owner's copy first: it is the one the credentials table keeps.
  loadRecords(db, [owner, lambdaIssue, use, callerCopy]);
  assertLambdaCaller(actorReport(db, 'ASIA2SAMPLEROLEKEY01'), lambdaSession);
});

test('cross-account AssumeRole: the caller\'s copy arriving in a later ingest (the other account\'s trail) re-resolves the session', () => {
  const { owner, lambdaSession, callerCopy, lambdaIssue, use } = crossAccountRecords();
  const db = memoryCase();
  loadRecords(db, [owner, use], 'AWSLogs/111122223333/CloudTrail/us-east-1/a.json');
  const before = actorReport(db, 'ASIA2SAMPLEROLEKEY01');
  assert.equal(before?.actor.origin.kind, 'aws-account', 'only the account is known from the owner\'s copy');
  // Which account, the owner's copy says (userIdentity.accountId), though it names the caller by no ARN.
  const callerAccount = '444455556666';
  assert.deepEqual([before?.actor.origin.label, before?.actor.origin.accountId], [`account ${callerAccount}`, callerAccount]);
  assert.ok(before?.actor.flags.some((f) => f.kind === 'cross-account' && f.fromAccount === callerAccount && f.toAccount === A), 'from that account into the role\'s');
  // The caller's copy alone: it issues no key the case lacks (its key is the owner's copy's), yet names the caller.
  loadRecords(db, [callerCopy], 'AWSLogs/444455556666/CloudTrail/us-east-1/b.json');
  const twin = actorReport(db, 'ASIA2SAMPLEROLEKEY01')?.actor.chain[1];
  assert.deepEqual([twin?.id, twin?.basis, twin?.proof], [lambdaSession.arn, 'key', 'proven']);
  loadRecords(db, [lambdaIssue], 'AWSLogs/444455556666/CloudTrail/us-east-1/c.json');
  assertLambdaCaller(actorReport(db, 'ASIA2SAMPLEROLEKEY01'), lambdaSession);
  // Found by the session too, as the responder would ask.
  assert.equal(actorReport(db, `arn:aws:sts::${A}:assumed-role/SampleRole/SampleSession`)?.actor.origin.id, 'lambda.amazonaws.com');
});

test('an issue only the other account\'s copy can complete awaits that copy: a later ingest of other keys leaves its session alone', () => {
  const { owner, callerCopy, use } = crossAccountRecords();
  const db = memoryCase();
  const write = (records: unknown[]) => {
    const writer = new CaseWriter(db);
    const id = writer.startSource({ path: `part-${Math.random()}.json`, sha256: String(Math.random()), size: 0, kind: 'cloudtrail' });
    writer.writeCloudTrail(id, records);
    writer.finishSource(id, 'done');
    return refreshDerived(db);
  };
  write([owner, use]);
  const awaits = () => db.prepare(`SELECT awaits FROM actor_rows WHERE actor_key = 'ASIA2SAMPLEROLEKEY01'`).pluck().get();
  assert.equal(awaits(), AWAITS_TWIN);
  // Another role's key issued to someone else: a new credential, which cannot complete this issue.
  const other = { ...structuredClone(callerCopy), eventID: 'other-issue', sharedEventID: undefined, requestParameters: { roleArn: `arn:aws:iam::${A}:role/Other`, roleSessionName: 'x' } };
  (other as { responseElements: unknown }).responseElements = { credentials: { accessKeyId: 'ASIA2OTHERROLEKEY001', sessionToken: 't', expiration: 'Jun 1, 2024, 11:00:00 AM' },
    assumedRoleUser: { assumedRoleId: 'AROA2OTHERROLE000001:x', arn: `arn:aws:sts::${A}:assumed-role/Other/x` } };
  assert.equal(write([other]).reresolved, 0);
  // The caller's copy does.
  assert.ok(write([callerCopy]).reresolved >= 1);
  assert.notEqual(actorReport(db, 'ASIA2SAMPLEROLEKEY01')?.actor.origin.kind, 'aws-account');
});

test('Identity Center sessions (real Panther samples) are inferred to be the person they are named after', () => {
  const db = memoryCase();
  const sso = panther().filter((r) => /AWSReservedSSO_/.test(r.userIdentity?.arn ?? '') && ['GetSecretValue', 'GetSigninToken', 'ModifyDBSnapshotAttribute'].includes(r.eventName ?? ''));
  assert.ok(sso.length >= 2);
  loadRecords(db, sso);
  const secrets = actorReport(db, 'ASIASXP6SDP2LKLKYYC4');
  assert.ok(secrets);
  assert.equal(secrets.actor.origin.kind, 'identity-center-user');
  assert.equal(secrets.actor.origin.id, 'evil.genius');
  assert.equal(secrets.actor.origin.proven, false);
  assert.equal(secrets.actor.chain.at(-1)?.basis, 'sso-session-name');
  // A console sign-in token asked for with no key in the record at all.
  const signin = actorReport(db, 'user@example.com');
  assert.equal(signin?.matchedBy, 'origin');
  assert.equal(signin?.actor.origin.kind, 'identity-center-user');
  assert.deepEqual(signin?.eventNames.map((n) => n.value), ['GetSigninToken']);
  assert.equal(actorReport(db, 'fake.user')?.actor.origin.kind, 'identity-center-user');
});

test('Stratus serial-console detonation: the Identity Center session is named by its principal id where the anonymized ARN lost the session', () => {
  const db = memoryCase();
  loadRecords(db, stratusRecords('aws.lateral-movement.ec2-serial-console-send-ssh-public-key'));
  const r = actorReport(db, 'ASIA2HJRQF0DHNYEE9N1');
  assert.equal(r?.actor.origin.kind, 'identity-center-user');
  assert.equal(r?.actor.origin.id, 'randomca0L529zwNAY@gmail.com');
  assert.equal(r?.actor.origin.proven, false);
  assert.match(r?.actor.chain.at(-1)?.detail ?? '', /AWSReservedSSO_account-admin_599c9e90e350d2ff is an Identity Center role/);
  assert.equal(r?.eventCount, 4);
});

// SAML and web identity subjects (with their issuers): later-records.test.ts.

test('actor finds a session by its principal id and an Identity Center user by the id alone', () => {
  const db = memoryCase();
  const store = 'arn:aws:identitystore::123456789012:identitystore/d-1234567890';
  loadRecords(db, [
    assumeOps,
    rec('u1', '2024-05-01T09:10:00Z', 'CreateUser', 'iam.amazonaws.com', deploySession('ASIA2DEPLOY00000KEY1')),
    rec('i1', '2024-05-01T09:20:00Z', 'ListApplications', 'sso.amazonaws.com',
      { type: 'IdentityCenterUser', accountId: A, onBehalfOf: { userId: '94482488-3041-7026-18f3-be45837cd0e4', identityStoreArn: store }, credentialId: 'EXAMPLEVHULjJdTUdPJfofVa1sufHDoj7aYcOYcxFVllWR_Whr1fEXAMPLE' }),
  ]);
  assert.equal(actorReport(db, 'AROA2DEPLOY000000001:deploy')?.actor.origin.id, alice.arn);
  const person = actorReport(db, '94482488-3041-7026-18f3-be45837cd0e4');
  assert.equal(person?.matchedBy, 'identifier');
  assert.equal(person?.actor.origin.kind, 'identity-center-user');
  assert.equal(person?.eventCount, 1);
});

test('sourceIdentity carried down a chain leads back to the caller that set it, when the hop\'s key is missing', () => {
  const db = memoryCase();
  const withSource = (key: string | undefined) => ({ ...deploySession(key), sessionContext: { ...deploySession(key).sessionContext, sourceIdentity: 'alice-corp' } });
  loadRecords(db, [
    // alice starts the chain and sets the source identity (requestParameters and responseElements carry it).
    rec('a1', '2024-05-01T09:00:00Z', 'AssumeRole', 'sts.amazonaws.com', alice, {
      requestParameters: { roleArn: `arn:aws:iam::${A}:role/ops`, roleSessionName: 'deploy', sourceIdentity: 'alice-corp' },
      responseElements: { credentials: { accessKeyId: 'ASIA2DEPLOY00000KEY1', expiration: 'May 1, 2024, 10:00:00 AM' }, sourceIdentity: 'alice-corp',
        assumedRoleUser: { arn: `arn:aws:sts::${A}:assumed-role/ops/deploy` } } }),
    // A later hop into another role, whose AssumeRole is not in the case; its calls still carry the source identity.
    rec('u1', '2024-05-01T09:30:00Z', 'PutBucketPolicy', 's3.amazonaws.com', {
      type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/admin/hop`, accountId: A, accessKeyId: 'ASIA2HOP00000000KEY1',
      sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${A}:role/admin`, accountId: A }, sourceIdentity: 'alice-corp' } }, { sourceIPAddress: '198.51.100.20' }),
    rec('u2', '2024-05-01T09:05:00Z', 'ListRoles', 'iam.amazonaws.com', withSource('ASIA2DEPLOY00000KEY1')),
  ]);
  const r = actorReport(db, 'ASIA2HOP00000000KEY1');
  assert.ok(r);
  assert.equal(r.actor.origin.id, alice.arn);
  assert.equal(r.actor.origin.proven, false);
  assert.equal(r.actor.chain[1].basis, 'source-identity');
  assert.match(r.actor.chain[1].detail, /sourceIdentity 'alice-corp' was set by AssumeRole/);
  // The first hop stays proven by its key.
  assert.equal(actorReport(db, 'ASIA2DEPLOY00000KEY1')?.actor.origin.proven, true);
});

test('console sessions: the ConsoleLogin that opened the session is the issuing event of its calls (awsdocs and Panther shapes)', () => {
  const db = memoryCase();
  const bob = { type: 'IAMUser', principalId: 'AIDA2BOB000000000001', arn: `arn:aws:iam::${A}:user/bob`, accountId: A, userName: 'bob' };
  loadRecords(db, [
    rec('c0', '2024-05-03T07:00:00Z', 'ConsoleLogin', 'signin.amazonaws.com', bob, { eventType: 'AwsConsoleSignIn', userAgent: 'Mozilla/5.0',
      responseElements: { ConsoleLogin: 'Failure' }, errorMessage: 'Failed authentication', additionalEventData: { MFAUsed: 'No' } }),
    rec('c1', '2024-05-03T08:00:00Z', 'ConsoleLogin', 'signin.amazonaws.com', bob, { eventType: 'AwsConsoleSignIn', userAgent: 'Mozilla/5.0',
      responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home', MFAUsed: 'Yes' } }),
    rec('c2', '2024-05-03T08:03:00Z', 'StopInstances', 'ec2.amazonaws.com', { ...bob, accessKeyId: 'ASIA2BOBCONSOLEKEY01', sessionContext: { attributes: { mfaAuthenticated: 'true' } } },
      { userAgent: 'AWS Internal' }),
    // The same user's long-term key is no console session.
    rec('c3', '2024-05-03T08:04:00Z', 'ListBuckets', 's3.amazonaws.com', { ...bob, accessKeyId: 'AKIA2BOBLONGTERMKEY1' }),
  ]);
  const session = actorReport(db, 'ASIA2BOBCONSOLEKEY01');
  assert.equal(session?.actor.origin.id, bob.arn);
  assert.equal(session?.actor.origin.proven, true);
  assert.deepEqual(session?.actor.chain[0].issuedBy, { eventId: 'c1', eventName: 'ConsoleLogin', eventTime: '2024-05-03T08:00:00.000Z' });
  assert.equal(actorReport(db, 'AKIA2BOBLONGTERMKEY1')?.actor.chain[0].issuedBy, null);
});

test('two AssumeRoles could have opened a keyless session: the one from the same address and user agent is chosen', () => {
  const db = memoryCase();
  const bobUser = { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/bob`, accountId: A, accessKeyId: 'AKIA2BOB0000000KEY01', userName: 'bob' };
  const terraformAgent = 'APN/1.0 HashiCorp/1.0 Terraform/1.5.7 (+https://www.terraform.io) terraform-provider-aws/5.0';
  loadRecords(db, [
    { ...assumeOps, userAgent: terraformAgent },
    { ...assumeOps, eventID: 'a2', eventTime: '2024-05-01T09:20:00Z', userIdentity: bobUser,
      responseElements: deployIssued('ASIA2DEPLOY00000KEY2', 'May 1, 2024, 10:20:00 AM') },
    { ...rec('u1', '2024-05-01T09:30:00Z', 'CreateUser', 'iam.amazonaws.com', deploySession()), userAgent: terraformAgent },
  ]);
  const r = actorReport(db, `arn:aws:sts::${A}:assumed-role/ops/deploy`);
  assert.equal(r?.actor.origin.id, alice.arn);
  assert.equal(r?.actor.chain[0].issuedBy?.eventId, 'a1');
  assert.match(r?.actor.chain[1].detail ?? '', /same source IP with the same user agent/);
});
