// Two accounts' trails that only together say who acted, in the shapes the CloudTrail reference
// documents (none has a sample in shared/data/real): account A holds the role owner's copy of a
// cross-account AssumeRole (caller "AWSAccount") and the session's call, a SAML sign-in and the
// session it opened, and an Identity Center call naming only a user id; account B holds the caller's
// copy of the AssumeRole (same sharedEventID) and the Identity Center sign-in that names that user id.
export const A = '111122223333';
export const B = '444455556666';
const STORE = `arn:aws:identitystore::${A}:identitystore/d-1234567890`;
export const USER_ID = '906787d1c8-3b2a1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const rec = (id: string, time: string, account: string, name: string, source: string, userIdentity: object, extra: object = {}) => ({
  eventVersion: '1.09', eventID: id, eventTime: time, eventSource: source, eventName: name, awsRegion: 'us-east-1',
  sourceIPAddress: '198.51.100.20', userAgent: 'aws-cli/2.15.0', recipientAccountId: account, userIdentity, ...extra,
});
const assumeAudit = (id: string, account: string, userIdentity: object) => rec(id, '2025-02-01T09:00:00Z', account, 'AssumeRole', 'sts.amazonaws.com', userIdentity, {
  sharedEventID: '2d8a1c7e-0b7f-4a51-9d0c-6f1e2a3b4c5d',
  requestParameters: { roleArn: `arn:aws:iam::${A}:role/Audit`, roleSessionName: 'audit-run' },
  responseElements: { credentials: { accessKeyId: 'ASIA2AUDIT000000KEY1', expiration: 'Feb 1, 2025, 10:00:00 AM' },
    assumedRoleUser: { assumedRoleId: 'AROA2AUDIT0000000001:audit-run', arn: `arn:aws:sts::${A}:assumed-role/Audit/audit-run` } } });
const sessionIn = (role: string, name: string, key: string) => ({ type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/${role}/${name}`, accountId: A,
  accessKeyId: key, sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${A}:role/${role}`, accountId: A } } });
const icUser = { type: 'IdentityCenterUser', accountId: A, onBehalfOf: { userId: USER_ID, identityStoreArn: STORE }, credentialId: 'AAAAAAQAAAAAAAAAAAAAAAAAAAAAA' };

export const accountA = [
  // The role owner's copy: the caller is only "AWSAccount".
  assumeAudit('a-assume', A, { type: 'AWSAccount', principalId: 'AIDA2CAROL0000000001', accountId: B }),
  rec('a-use', '2025-02-01T09:05:00Z', A, 'GetBucketPolicy', 's3.amazonaws.com', sessionIn('Audit', 'audit-run', 'ASIA2AUDIT000000KEY1')),
  rec('a-saml', '2025-02-01T09:30:00Z', A, 'AssumeRoleWithSAML', 'sts.amazonaws.com', { type: 'SAMLUser', principalId: 'Ukh1i4+ExamplexL/jEvs=:dana@example.org', userName: 'dana@example.org', identityProvider: 'Ukh1i4+ExamplexL/jEvs=' }, {
    requestParameters: { roleArn: `arn:aws:iam::${A}:role/Federated`, principalArn: `arn:aws:iam::${A}:saml-provider/Okta` },
    responseElements: { subject: 'dana@example.org', subjectType: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', issuer: 'http://www.okta.com/exk1a2b3c4d5e6f7g8h9', audience: 'https://signin.aws.amazon.com/saml',
      credentials: { accessKeyId: 'ASIA2DANA0000000KEY1', expiration: 'Feb 1, 2025, 10:30:00 AM' },
      assumedRoleUser: { assumedRoleId: 'AROA2FED00000000000001:dana@example.org', arn: `arn:aws:sts::${A}:assumed-role/Federated/dana@example.org` } } }),
  rec('a-fed', '2025-02-01T09:31:00Z', A, 'DeleteTrail', 'cloudtrail.amazonaws.com', sessionIn('Federated', 'dana@example.org', 'ASIA2DANA0000000KEY1')),
  rec('a-portal', '2025-02-01T09:40:00Z', A, 'ListAccounts', 'sso.amazonaws.com', icUser),
];
export const accountB = [
  // The caller's copy: same call, same sharedEventID, the full identity.
  assumeAudit('b-assume', B, { type: 'IAMUser', principalId: 'AIDA2CAROL0000000001', arn: `arn:aws:iam::${B}:user/carol`, accountId: B, accessKeyId: 'AKIA2CAROL00000KEY01', userName: 'carol' }),
  rec('b-signin', '2025-02-01T09:38:00Z', A, 'CredentialChallenge', 'signin.amazonaws.com', icUser, {
    eventType: 'AwsServiceEvent', additionalEventData: { AuthWorkflowID: '9de74b32-8362-4a01-a524-de21df59fd83', CredentialType: 'PASSWORD', UserName: 'erin' },
    serviceEventDetails: { CredentialChallenge: 'Success' } }),
];

