// What other records add to a chain, through the real path (normalizer, writer, refreshDerived, actor
// report): the issuer behind a SAML or web identity subject, the user name behind an Identity Center
// user id, and the other account's copy of a cross-account AssumeRole when it arrives in a later
// ingest. shared/data/real holds none of these records (no SAML, web identity or Identity Center
// sign-in samples): they are written in the shapes the AWS guides document (CloudTrail userIdentity
// reference, STS AssumeRoleWithSAML / AssumeRoleWithWebIdentity responses, IAM Identity Center
// "Understanding sign-in events" and "Username in sign-in CloudTrail events").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRecords, memoryCase } from '../../../../test-support/case-fixtures.ts';
import { actorReport } from './actor-report.ts';

const A = '111122223333';
const STORE = `arn:aws:identitystore::${A}:identitystore/d-1234567890`;
const ALICE_ID = '94482488-3041-7026-18f3-be45837cd0e4';
const rec = (id: string, time: string, name: string, source: string, userIdentity: object, extra: object = {}) => ({
  eventVersion: '1.10', eventID: id, eventTime: time, eventSource: source, eventName: name, awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.7', userAgent: 'Mozilla/5.0', recipientAccountId: A, userIdentity, ...extra,
});
const session = (role: string, name: string, key: string) => ({ type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/${role}/${name}`, accountId: A,
  accessKeyId: key, sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${A}:role/${role}`, accountId: A } } });

const samlSignIn = rec('saml1', '2024-05-02T08:00:00Z', 'AssumeRoleWithSAML', 'sts.amazonaws.com',
  { type: 'SAMLUser', principalId: 'SampleUkh1i4+ExamplexL/jEvs=:SamlExample', userName: 'SamlExample', identityProvider: 'bdGOnTesti4+ExamplexL/jEvs=' }, {
    requestParameters: { roleArn: `arn:aws:iam::${A}:role/SAMLRole`, principalArn: `arn:aws:iam::${A}:saml-provider/idp1`, durationSeconds: 3600 },
    responseElements: {
      subjectType: 'persistent', issuer: 'https://idp.example.org/idp/shibboleth', audience: 'https://signin.aws.amazon.com/saml',
      nameQualifier: 'SbdGOnUkh1i4+EXAMPLExL/jEvs=', subject: 'SamlExample',
      credentials: { accessKeyId: 'ASIA2SAML0000000KEY1', sessionToken: 't', expiration: 'May 2, 2024, 9:00:00 AM' },
      assumedRoleUser: { assumedRoleId: 'AROA2SAML000000000001:SamlExample', arn: `arn:aws:sts::${A}:assumed-role/SAMLRole/SamlExample` },
    } });
const webSignIn = rec('web1', '2024-05-02T08:10:00Z', 'AssumeRoleWithWebIdentity', 'sts.amazonaws.com',
  { type: 'WebIdentityUser', principalId: 'accounts.google.com:client.apps.googleusercontent.com:113000000000000000001', userName: '113000000000000000001', identityProvider: 'accounts.google.com' }, {
    requestParameters: { roleArn: `arn:aws:iam::${A}:role/WebRole`, roleSessionName: 'app1', durationSeconds: 3600 },
    responseElements: {
      provider: 'accounts.google.com', subjectFromWebIdentityToken: '113000000000000000001', audience: 'client.apps.googleusercontent.com',
      credentials: { accessKeyId: 'ASIA2WEB00000000KEY1', sessionToken: 't', expiration: 'May 2, 2024, 9:10:00 AM' },
      assumedRoleUser: { assumedRoleId: 'AROA2WEB000000000001:app1', arn: `arn:aws:sts::${A}:assumed-role/WebRole/app1` },
    } });

test('SAML and web identity: the chain ends at the subject and names the issuer that vouched for it', () => {
  const db = memoryCase();
  loadRecords(db, [
    samlSignIn,
    rec('saml2', '2024-05-02T08:05:00Z', 'GetObject', 's3.amazonaws.com', session('SAMLRole', 'SamlExample', 'ASIA2SAML0000000KEY1')),
    webSignIn,
    rec('web2', '2024-05-02T08:11:00Z', 'PutObject', 's3.amazonaws.com', session('WebRole', 'app1', 'ASIA2WEB00000000KEY1')),
  ]);
  const saml = actorReport(db, 'ASIA2SAML0000000KEY1')!;
  const subject = saml.actor.chain.at(-1)!;
  assert.deepEqual([subject.kind, subject.id, subject.issuer, subject.proof], ['saml-user', 'SamlExample', 'https://idp.example.org/idp/shibboleth', 'proven']);
  assert.equal(saml.actor.origin.label, 'SamlExample from issuer https://idp.example.org/idp/shibboleth');
  assert.equal(saml.actor.origin.proven, true);
  assert.match(subject.detail, /issued by AssumeRoleWithSAML at 2024-05-02T08:00:00.000Z to subject SamlExample from issuer https:\/\/idp\.example\.org/);
  const web = actorReport(db, 'ASIA2WEB00000000KEY1')!;
  assert.deepEqual([web.actor.origin.kind, web.actor.origin.id, web.actor.chain.at(-1)!.issuer, web.actor.origin.proven],
    ['web-identity-user', '113000000000000000001', 'accounts.google.com', true]);
  assert.equal(web.actor.origin.label, '113000000000000000001 from issuer accounts.google.com');
  // The federation call itself is recorded as the subject (a person `actor` finds, with everything done
  // under it: the sign-in and the session's call); its own response gives the issuer.
  const signIn = actorReport(db, 'SamlExample')!;
  assert.equal(signIn.eventCount, 2);
  assert.equal(signIn.actor.chain.length, 1);
  assert.equal(signIn.actor.chain[0].issuer, 'https://idp.example.org/idp/shibboleth');
});

test('a subject two issuers vouched for is not given either issuer on the record that names only the subject', () => {
  const db = memoryCase();
  const other = structuredClone(samlSignIn) as typeof samlSignIn & { responseElements: { issuer: string; credentials: { accessKeyId: string } } };
  Object.assign(other, { eventID: 'saml3', eventTime: '2024-05-02T08:30:00Z' });
  other.responseElements.issuer = 'https://other-idp.example.net/saml';
  other.responseElements.credentials.accessKeyId = 'ASIA2SAML0000000KEY2';
  loadRecords(db, [samlSignIn, other]);
  const r = actorReport(db, 'SamlExample')!;
  assert.equal(r.actor.chain[0].issuer, undefined);
  assert.equal(r.actor.chain[0].label, 'SamlExample');
});

// An Identity Center sign-in (after the July 2025 change: IdentityCenterUser, name in additionalEventData).
const challenge = (id: string, userId: string, userName: string) => rec(id, '2024-06-03T15:20:00Z', 'CredentialChallenge', 'signin.amazonaws.com',
  { type: 'IdentityCenterUser', accountId: A, onBehalfOf: { userId, identityStoreArn: STORE }, credentialId: 'EXAMPLEVHULjJdTUdPJfofVa1sufHDoj7aYcOYcxFVllWR_Whr1fEXAMPLE' }, {
    eventType: 'AwsServiceEvent', readOnly: false, responseElements: null, requestParameters: null,
    additionalEventData: { AuthWorkflowID: '9de74b32-8362-4a01-a524-de21df59fd83', CredentialType: 'PASSWORD', UserName: userName },
    serviceEventDetails: { CredentialChallenge: 'Success' } });
// A call in the access portal on the user's behalf, which names only the id.
const portalCall = (id: string, userId: string) => rec(id, '2024-06-03T15:25:00Z', 'ListAccounts', 'sso.amazonaws.com',
  { type: 'IdentityCenterUser', accountId: A, onBehalfOf: { userId, identityStoreArn: STORE }, credentialId: 'AAAAAAQAAAAAAAAAAAAAAAAAAAAAA' });

test('an Identity Center user id is shown with the user name a sign-in record pairs with it, learnt in a later ingest', () => {
  const db = memoryCase();
  loadRecords(db, [portalCall('p1', ALICE_ID)], 'portal.json');
  assert.equal(actorReport(db, ALICE_ID)?.actor.origin.label, `identity center ${STORE}/user/${ALICE_ID}`);
  assert.equal(actorReport(db, 'alice'), null);

  loadRecords(db, [challenge('c1', ALICE_ID, 'alice')], 'signin.json');
  const r = actorReport(db, ALICE_ID)!;
  const person = r.actor.chain.at(-1)!;
  assert.deepEqual(person.names, ['alice']);
  assert.equal(person.id, `${STORE}/user/${ALICE_ID}`, 'the id stays who acted');
  assert.equal(person.label, 'alice (identity-store user 94482488-3…)');
  assert.deepEqual(person.nameSource, { eventId: 'c1', eventName: 'CredentialChallenge', eventTime: '2024-06-03T15:20:00.000Z' });
  assert.match(person.detail, /CredentialChallenge at 2024-06-03T15:20:00.000Z names identity-store user 94482488-3041-7026-18f3-be45837cd0e4 'alice'/);
  assert.equal(r.actor.origin.label, 'alice (identity-store user 94482488-3…)');
  // The name finds the person, with everything done under the id (the portal call and the sign-in).
  const byName = actorReport(db, 'alice')!;
  assert.equal(byName.matchedBy, 'identity-store-name');
  assert.equal(byName.eventCount, 2);
});

test('a name several sign-ins pair with a user id cites the earliest of them, whatever order they were written in', () => {
  const signIn = (id: string, time: string) => ({ ...challenge(id, ALICE_ID, 'alice'), eventTime: time });
  /** The pair's cited record after the records are loaded, each list a file of its own ingest. */
  const cited = (...ingests: object[][]) => {
    const db = memoryCase();
    ingests.forEach((records, i) => loadRecords(db, records, `signin-${i}.json`));
    return actorReport(db, ALICE_ID)!.actor.chain.at(-1)!.nameSource;
  };
  // Two in one second (the lower eventID first in the timeline) and one a day later.
  const records = [signIn('c3-later', '2024-06-04T09:00:00Z'), signIn('c2', '2024-06-03T15:20:00Z'), signIn('c1', '2024-06-03T15:20:00Z')];
  const earliest = { eventId: 'c1', eventName: 'CredentialChallenge', eventTime: '2024-06-03T15:20:00.000Z' };
  assert.deepEqual(cited(records), earliest);
  assert.deepEqual(cited([...records].reverse()), earliest);
  // The earlier sign-ins in a later ingest (older logs pulled after): the chain is walked again.
  assert.deepEqual(cited(records.slice(0, 1), records.slice(1)), earliest);
});

test('identity-store calls pair ids with names; redacted names and placeholder ids pair nothing', () => {
  const db = memoryCase();
  const admin = session('AWSReservedSSO_Admin_0123456789abcdef', 'admin@example.org', 'ASIA2ADMIN000000KEY1');
  const BOB_ID = 'f8e1c2d3-7001-70aa-1234-0123456789ab';
  const CAROL_ID = '0c1d2e3f-4051-7062-8073-9a8b7c6d5e4f';
  loadRecords(db, [
    // CreateUser as CloudTrail records it: the name asked for, the id returned.
    rec('s1', '2024-06-01T10:00:00Z', 'CreateUser', 'identitystore.amazonaws.com', admin, {
      requestParameters: { identityStoreId: 'd-1234567890', userName: 'bob', displayName: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
      responseElements: { identityStoreId: 'd-1234567890', userId: BOB_ID } }),
    // The usual case: the name redacted. Nothing is learnt.
    rec('s2', '2024-06-01T10:01:00Z', 'CreateUser', 'identitystore.amazonaws.com', admin, {
      requestParameters: { identityStoreId: 'd-1234567890', userName: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
      responseElements: { identityStoreId: 'd-1234567890', userId: CAROL_ID } }),
    // A failed sign-in: the name typed is masked.
    challenge('c2', CAROL_ID, 'HIDDEN_DUE_TO_SECURITY_REASONS'),
    // A published sample with its ids masked names nobody.
    challenge('c3', '...', 'mallory'),
    portalCall('p2', BOB_ID),
    portalCall('p3', CAROL_ID),
  ]);
  assert.deepEqual(actorReport(db, BOB_ID)?.actor.chain.at(-1)?.names, ['bob']);
  assert.equal(actorReport(db, BOB_ID)?.actor.chain.at(-1)?.nameSource?.eventName, 'CreateUser');
  assert.equal(actorReport(db, CAROL_ID)?.actor.chain.at(-1)?.names, undefined);
  assert.equal(actorReport(db, 'mallory'), null);
  assert.equal(db.prepare('SELECT count(*) FROM identity_store_names').pluck().get(), 1);
});

test('a hostile listing giving one user id many names shows a bounded few', () => {
  const db = memoryCase();
  const admin = session('Admin', 'x', 'ASIA2ADMIN000000KEY2');
  const users = Array.from({ length: 40 }, (_, i) => ({ userId: ALICE_ID, userName: `name-${i}` }));
  loadRecords(db, [
    rec('l1', '2024-06-01T10:00:00Z', 'ListUsers', 'identitystore.amazonaws.com', admin, { responseElements: { users } }),
    portalCall('p1', ALICE_ID),
  ]);
  const names = actorReport(db, ALICE_ID)?.actor.chain.at(-1)?.names ?? [];
  assert.equal(names.length, 5);
  assert.equal(db.prepare('SELECT count(*) FROM identity_store_names').pluck().get(), 40, 'every pair is kept; the chain shows a few');
});

test('an Identity Center role session named after a user name the records give one user id says which id', () => {
  const db = memoryCase();
  const ssoRole = 'AWSReservedSSO_AdministratorAccess_0123456789abcdef';
  loadRecords(db, [
    challenge('c1', ALICE_ID, 'alice'),
    // The AssumeRoleWithSAML that opened the session is not in the case: the session name is the clue.
    rec('u1', '2024-06-03T15:30:00Z', 'DeleteBucket', 's3.amazonaws.com', session(ssoRole, 'alice', 'ASIA2SSOALICE000KEY1')),
    // Two ids named "bob": neither is told.
    challenge('c2', 'a1b2c3d4-0001-7000-8000-000000000001', 'bob'),
    challenge('c3', 'a1b2c3d4-0002-7000-8000-000000000002', 'bob'),
    rec('u2', '2024-06-03T15:31:00Z', 'DeleteBucket', 's3.amazonaws.com', session(ssoRole, 'bob', 'ASIA2SSOBOB00000KEY1')),
  ]);
  const alice = actorReport(db, 'ASIA2SSOALICE000KEY1')!;
  const person = alice.actor.chain.at(-1)!;
  assert.deepEqual([person.id, person.basis, person.proof, person.names], ['alice', 'sso-session-name', 'inferred', ['alice']]);
  assert.equal(person.label, 'alice (identity-store user 94482488-3…)');
  assert.equal(person.nameSource?.eventId, 'c1');
  assert.match(person.detail, /names identity-store user 94482488-3041-7026-18f3-be45837cd0e4 'alice'/);
  const bob = actorReport(db, 'ASIA2SSOBOB00000KEY1')!.actor.chain.at(-1)!;
  assert.deepEqual([bob.id, bob.names, bob.label], ['bob', undefined, 'identity center bob']);
});
