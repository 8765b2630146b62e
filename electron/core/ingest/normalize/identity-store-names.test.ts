// Which records pair an Identity Center user id with a user name. Shapes from the IAM Identity Center
// guide ("Understanding sign-in events", "Username in sign-in CloudTrail events") and the Identity
// Store API (DescribeUser, ListUsers, CreateUser); shared/data/real holds none of these records.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeCloudTrailRecord } from './normalize-cloudtrail.ts';
import { awsdocsRecords, pantherEvents } from '../../../../test-support/real-samples.ts';

const STORE = 'arn:aws:identitystore::111122223333:identitystore/d-1234567890';
const ID = '94482488-3041-7026-18f3-be45837cd0e4';
const base = { eventVersion: '1.08', eventID: 'e1', eventTime: '2024-06-03T15:23:22Z', awsRegion: 'us-east-1', recipientAccountId: '111122223333' };
const names = (record: object) => {
  const r = normalizeCloudTrailRecord({ ...base, ...record });
  assert.ok(r.ok);
  return r.value.identityStoreNames;
};

test('sign-in records: userIdentity.userName (before July 2025) or additionalEventData.UserName beside onBehalfOf', () => {
  const onBehalfOf = { userId: ID, identityStoreArn: STORE };
  assert.deepEqual(names({ eventSource: 'signin.amazonaws.com', eventName: 'CredentialChallenge',
    userIdentity: { type: 'Unknown', principalId: '111122223333', arn: '', accountId: '111122223333', accessKeyId: '', userName: 'alice', onBehalfOf } }),
  [{ userId: ID, userName: 'alice' }]);
  assert.deepEqual(names({ eventSource: 'signin.amazonaws.com', eventName: 'UserAuthentication',
    userIdentity: { type: 'IdentityCenterUser', accountId: '111122223333', onBehalfOf, credentialId: 'x' },
    additionalEventData: { CredentialType: 'EXTERNAL_IDP', UserName: 'alice@example.org' } }),
  [{ userId: ID, userName: 'alice@example.org' }]);
  // A failed sign-in masks the name typed.
  assert.deepEqual(names({ eventSource: 'signin.amazonaws.com', eventName: 'CredentialChallenge',
    userIdentity: { type: 'IdentityCenterUser', onBehalfOf }, additionalEventData: { UserName: 'HIDDEN_DUE_TO_SECURITY_REASONS' } }), []);
  // An IAM user's name is no identity-store name, whatever else the record says.
  assert.deepEqual(names({ eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/bob', userName: 'bob', onBehalfOf } }), []);
});

test('identity-store calls: DescribeUser and ListUsers responses, CreateUser request and response; failures pair nothing', () => {
  const admin = { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/Admin/x', accessKeyId: 'ASIA2ADMIN000000KEY1' };
  assert.deepEqual(names({ eventSource: 'identitystore.amazonaws.com', eventName: 'DescribeUser', userIdentity: admin,
    requestParameters: { identityStoreId: 'd-1234567890', userId: ID }, responseElements: { userId: ID, userName: 'alice', identityStoreId: 'd-1234567890' } }),
  [{ userId: ID, userName: 'alice' }]);
  assert.deepEqual(names({ eventSource: 'identitystore.amazonaws.com', eventName: 'ListUsers', userIdentity: admin,
    responseElements: { users: [{ userId: 'a-1', userName: 'ann' }, { userId: 'b-2', userName: 'HIDDEN_DUE_TO_SECURITY_REASONS' }, { userId: 'c-3', userName: 'cy' }] } }),
  [{ userId: 'a-1', userName: 'ann' }, { userId: 'c-3', userName: 'cy' }]);
  assert.deepEqual(names({ eventSource: 'identitystore.amazonaws.com', eventName: 'CreateUser', userIdentity: admin,
    requestParameters: { identityStoreId: 'd-1234567890', userName: 'dan' }, responseElements: { identityStoreId: 'd-1234567890', userId: 'd-4' } }),
  [{ userId: 'd-4', userName: 'dan' }]);
  assert.deepEqual(names({ eventSource: 'identitystore.amazonaws.com', eventName: 'DescribeUser', userIdentity: admin, errorCode: 'AccessDeniedException',
    responseElements: { userId: ID, userName: 'alice' } }), []);
  // Another service's response with the same member names is no identity store.
  assert.deepEqual(names({ eventSource: 'example.amazonaws.com', eventName: 'DescribeThing', userIdentity: admin, responseElements: { userId: 'x', userName: 'y' } }), []);
});

test('no real sample pairs a placeholder: every pair read from shared/data/real is made of usable values', () => {
  const records = [...awsdocsRecords().map((r) => r.record), ...pantherEvents().map((e) => e.record)];
  for (const record of records) {
    const r = normalizeCloudTrailRecord(record);
    if (!r.ok) continue;
    for (const p of r.value.identityStoreNames) assert.ok(!/\.\.\.|HIDDEN|\*/.test(p.userId + p.userName), JSON.stringify(p));
  }
});
