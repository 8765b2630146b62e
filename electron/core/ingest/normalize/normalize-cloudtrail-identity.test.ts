// Identity columns for every userIdentity type, and the records that must be rejected, read from the
// AWS CloudTrail user guide samples, Panther and streamalert test events and trailscraper's S3 file.
// Identity Center, SAML and web-identity callers have no public sample in shared/data/real; those
// records are written in the shape the CloudTrail user guide documents for them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { NormalizedEvent } from '../types.ts';
import { identityColumns } from './identity.ts';
import { normalizeCloudTrailRecord } from './normalize-cloudtrail.ts';
import { awsdocsRecords, pantherEvents, readJson, REAL, streamalertEvents } from '../../../../test-support/real-samples.ts';

function ok(record: unknown): NormalizedEvent {
  const res = normalizeCloudTrailRecord(record);
  assert.ok(res.ok, res.ok ? '' : res.reason);
  return res.value;
}

const docs = (file: string): unknown[] =>
  awsdocsRecords().filter((r) => r.file.endsWith(file)).map((r) => r.record);

describe('identity columns (awsdocs-cloudtrail-user-guide)', () => {
  it('IAMUser console sign-in', () => {
    const e = ok(docs('cloudtrail-event-reference-aws-console-sign-in-events.md.block00.json')[0]);
    assert.equal(e.eventName, 'ConsoleLogin');
    assert.equal(e.identityType, 'IAMUser');
    assert.equal(e.identityArn, 'arn:aws:iam::111122223333:user/anaya');
    assert.equal(e.userName, 'anaya');
    // The guide's example principal id stands for every user it documents: a placeholder, never a join key.
    assert.equal(e.principalId, null);
  });

  it('Root: an empty accessKeyId is no key', () => {
    const root = awsdocsRecords().map((r) => normalizeCloudTrailRecord(r.record)).find((r) => r.ok && r.value.identityType === 'Root');
    assert.ok(root?.ok);
    assert.equal(root.value.identityArn, 'arn:aws:iam::111122223333:root');
    assert.equal(root.value.accessKeyId, null);
    assert.equal(root.value.userName, null);
  });

  it('an AWS service event without a type keeps invokedBy and the account', () => {
    const e = ok(docs('non-api-aws-service-events.md.block00.json')[0]);
    assert.equal(e.identityType, null);
    assert.equal(e.invokedBy, 'AWS Internal');
    assert.equal(e.identityAccount, '123456789012');
    assert.equal(e.eventType, 'AwsServiceEvent');
    assert.equal(e.readOnly, false);
  });

  it('AssumedRole: session name from the ARN, issuer, source identity and MFA flag from sessionContext', () => {
    const ui = (readJson('awsdocs-cloudtrail-user-guide/extracted/cloudtrail-event-reference-user-identity.md.block05.json') as { userIdentity: unknown }).userIdentity;
    const c = identityColumns(ui, null);
    assert.equal(c.identityType, 'AssumedRole');
    assert.equal(c.sessionName, 'Dev1');
    assert.equal(c.sessionIssuerArn, 'arn: aws: iam: : 123456789012: role/DevRole');
    assert.equal(c.sourceIdentity, 'source-identity-value-set');
    assert.equal(c.mfaAuthenticated, false);
    assert.equal(c.accessKeyId, null, "the guide's example key (…EXAMPLE) is a placeholder");
  });

  it('AWSAccount calling AssumeRole: sourceIdentity from the request (the documented, deliberately invalid JSON)', () => {
    const text = readFileSync(join(REAL, 'awsdocs-cloudtrail-user-guide/extracted/cloudtrail-event-reference-user-identity.md.block03.txt'), 'utf8');
    assert.throws(() => JSON.parse(text));
    // Wrap the fragment and drop its trailing commas to read the values it documents.
    const record = JSON.parse(`{${text.trim().replace(/,\s*([}\]])/g, '$1').replace(/,\s*$/, '')}}`);
    const c = identityColumns(record.userIdentity, record.requestParameters);
    assert.equal(c.identityType, 'AWSAccount');
    assert.equal(c.identityAccount, '123456789012');
    assert.equal(c.principalId, null, "the guide's example principal id is a placeholder");
    assert.equal(c.sourceIdentity, 'source-identity-value-set');
  });

  it('old records without eventID get an id derived from their content, newer ones keep theirs', () => {
    const old = docs('cloudtrail-log-file-examples.md.block02.json')[0];
    const derived = ok(old);
    assert.equal((old as { eventVersion: string }).eventVersion, '1.0');
    assert.match(derived.eventId, /^derived-[0-9a-f]{32}$/);
    assert.equal(derived.eventIdDerived, true);
    assert.equal(derived.eventName, 'StartInstances');
    assert.equal(ok(structuredClone(old)).eventId, derived.eventId, 'the same record gets the same id');
    const trail = ok(docs('cloudtrail-log-file-examples.md.block08.json')[0]);
    assert.equal(trail.eventName, 'UpdateTrail');
    assert.equal(trail.eventId, 'b7d4398e-b2f0-4faa-9c76-e2d316a8d67f');
    assert.equal(trail.eventIdDerived, false);
    assert.equal(trail.resources[0]?.type, 'trail');
    assert.equal(trail.resources[0]?.touch, 'modified');
  });
});

describe('identity columns (panther, streamalert, trailscraper, aws-cli)', () => {
  const panther = pantherEvents().map((p) => normalizeCloudTrailRecord(p.record)).filter((r) => r.ok).map((r) => r.value);
  const byType = (t: string): NormalizedEvent => {
    const e = panther.find((x) => x.identityType === t);
    assert.ok(e, t);
    return e;
  };

  it('AWSAccount (cross-account caller): account and principal id, no ARN', () => {
    const e = byType('AWSAccount');
    assert.equal(e.identityAccount, '111122223333');
    assert.equal(e.principalId, 'SAMPLE_PRINCIPAL_ID:lambda-name');
    assert.equal(e.identityArn, null);
  });

  it('FederatedUser: the session name is the federated name', () => {
    const e = byType('FederatedUser');
    assert.equal(e.identityArn, 'arn:aws:sts::123456789012:federated-user/federated-user');
    assert.equal(e.sessionName, 'federated-user');
  });

  it('streamalert: integer-looking account ids become 12 digits, redacted fields stay data', () => {
    const sg = streamalertEvents().find((s) => s.file.endsWith('cloudtrail_security_group_ingress_anywhere.json'));
    assert.ok(sg);
    const e = ok(sg.record);
    assert.equal(e.accountId, '000000012345');
    assert.equal(e.identityAccount, '000000012345');
    // groupId is "..." there: no resource named "..."; the ranges are real.
    assert.deepEqual(e.resources.map((r) => r.id).sort(), ['ip/0.0.0.0/0', 'ip/::/0']);
    const numeric = ok({ eventID: 'x', eventTime: '2017-10-11T17:02:32Z', eventSource: 'ec2.amazonaws.com', eventName: 'X', recipientAccountId: 12345 });
    assert.equal(numeric.accountId, '000000012345');
  });

  it('trailscraper: AssumeRole by an AWS service issues a key; expiration in Java style', () => {
    const file = readJson('trailscraper/tests/cloudtrail/data/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json') as { Records: unknown[] };
    const e = file.Records.map(ok).find((x) => x.eventName === 'AssumeRole');
    assert.ok(e);
    assert.equal(e.identityType, 'AWSService');
    assert.equal(e.invokedBy, 'config.amazonaws.com');
    assert.equal(e.sharedEventId, '61742ed6-324a-4133-a3ee-1ead9cd1b75c');
    // trailscraper anonymized every key to one repeated letter: a placeholder issues nothing.
    assert.deepEqual(e.issuedCredentials, []);
    const record = structuredClone(file.Records.find((r) => (r as { eventName: string }).eventName === 'AssumeRole')) as { responseElements: { credentials: { accessKeyId: string } } };
    record.responseElements.credentials.accessKeyId = 'ASIAQ4TRAILSCRAPER01';
    const c = ok(record).issuedCredentials[0];
    assert.equal(c.accessKeyId, 'ASIAQ4TRAILSCRAPER01');
    assert.equal(c.callerType, 'AWSService');
    assert.equal(c.sessionName, 'AutoScalingDescribeHandlerSession');
    assert.equal(c.expiresAt, Date.UTC(2017, 10, 18, 1, 21, 51));
    assert.equal(c.roleArn, 'arn:aws:iam::111111111111:role/someRole');
  });

  it('aws-cli lookup-events: the CloudTrailEvent string normalizes; the -08:00 EventTime is the same instant', () => {
    const out = readJson('aws-cli-examples/extracted/lookup-events.rst.block01.json') as { Events: { CloudTrailEvent: string; EventTime: string }[] };
    const e = ok(JSON.parse(out.Events[0].CloudTrailEvent));
    assert.equal(e.eventId, '654ccbc0-ba0d-486a-9076-dbf7274677a7');
    assert.equal(e.sessionName, 'my-session-name');
    assert.equal(e.sessionIssuerArn, 'arn:aws:iam::123456789012:role/my-role');
    assert.equal(ok({ ...JSON.parse(out.Events[0].CloudTrailEvent), eventTime: out.Events[0].EventTime }).eventTime, Date.UTC(2021, 10, 18, 17, 41, 2));
  });
});

describe('identity columns (documented shapes without a public sample)', () => {
  const base = { eventID: 'e1', eventTime: '2024-01-01T00:00:00Z', eventSource: 'sts.amazonaws.com', awsRegion: 'us-east-1', recipientAccountId: '123456789012' };

  it('IdentityCenterUser: onBehalfOf keeps user id and identity store', () => {
    const e = ok({ ...base, eventName: 'ListBuckets', userIdentity: {
      type: 'IdentityCenterUser', accountId: '123456789012',
      onBehalfOf: { userId: '544894e8-80c1-707f-60e3-3ba6510dfac1', identityStoreArn: 'arn:aws:identitystore::123456789012:identitystore/d-9067642ac7' },
      credentialId: 'EXAMPLEVHULjJdTUdPJfofVa1sufHDoj7aYcOYcxFVllWR_Whr1fEXAMPLE',
    } });
    assert.equal(e.identityType, 'IdentityCenterUser');
    assert.equal(e.onBehalfOf, 'arn:aws:identitystore::123456789012:identitystore/d-9067642ac7/user/544894e8-80c1-707f-60e3-3ba6510dfac1');
  });

  it('SAMLUser calling AssumeRoleWithSAML: the issued key carries the SAML subject', () => {
    const e = ok({ ...base, eventName: 'AssumeRoleWithSAML',
      userIdentity: { type: 'SAMLUser', principalId: 'SampleUkh1i4+ExamplexL/jEvs=:SamlExample', userName: 'SamlExample', identityProvider: 'bdGOnTesti4+ExamplexL/jEvs=' },
      requestParameters: { roleArn: 'arn:aws:iam::123456789012:role/admin/SAMLTestRoleShibboleth', principalArn: 'arn:aws:iam::123456789012:saml-provider/Shibboleth' },
      responseElements: { subject: 'SamlExample', subjectType: 'transient', sourceIdentity: 'MyUserName', issuer: 'https://integ.example.com/idp/shibboleth',
        audience: 'https://signin.aws.amazon.com/saml', nameQualifier: 'SbdGOnUkh1i4+EXAMPLExL/jEvs=',
        assumedRoleUser: { arn: 'arn:aws:sts::123456789012:assumed-role/SAMLTestRoleShibboleth/SamlExample' },
        credentials: { accessKeyId: 'ASIAQ4SAMLSESSION001', expiration: 'Mar 29, 2024, 4:00:00 PM' } } });
    assert.equal(e.identityType, 'SAMLUser');
    assert.equal(e.userName, 'SamlExample');
    const c = e.issuedCredentials[0];
    assert.equal(c.subject, 'SamlExample');
    assert.equal(c.issuer, 'https://integ.example.com/idp/shibboleth');
    assert.equal(c.sourceIdentity, 'MyUserName');
    assert.equal(c.roleArn, 'arn:aws:iam::123456789012:role/SAMLTestRoleShibboleth', 'role ARN without path');
    assert.equal(c.callerArn, null);
  });

  it('WebIdentityUser calling AssumeRoleWithWebIdentity: subjectFromWebIdentityToken', () => {
    const record = (provider = 'accounts.google.com') => ({ ...base, eventName: 'AssumeRoleWithWebIdentity',
      userIdentity: { type: 'WebIdentityUser', principalId: 'accounts.google.com:app.apps.googleusercontent.com:user-id', userName: 'user-id', identityProvider: 'accounts.google.com' },
      requestParameters: { roleArn: 'arn:aws:iam::123456789012:role/FederatedWebIdentityRole', roleSessionName: 'app1' },
      responseElements: { subjectFromWebIdentityToken: 'user-id', provider, audience: 'app.apps.googleusercontent.com', credentials: { accessKeyId: 'ASIAQ4WEBIDENTITY001', expiration: 'Mar 29, 2024, 4:00:00 PM' } } });
    const e = ok(record());
    assert.equal(e.identityType, 'WebIdentityUser');
    assert.equal(e.issuedCredentials[0].subject, 'user-id');
    assert.equal(e.issuedCredentials[0].issuer, 'accounts.google.com');
    // A hostile "issuer" the size of a document is not one; a redacted one is none.
    assert.equal(ok(record('x'.repeat(5000))).issuedCredentials[0].issuer, null);
    assert.equal(ok(record('HIDDEN_DUE_TO_SECURITY_REASONS')).issuedCredentials[0].issuer, null);
    assert.equal(e.issuedCredentials[0].sessionName, 'app1');
  });

  it('Unknown and missing identities are valid events with null columns', () => {
    const unknown = ok({ ...base, eventName: 'Federate', userIdentity: { type: 'Unknown', userName: '<victim display name>' } });
    assert.equal(unknown.identityType, 'Unknown');
    assert.equal(unknown.userName, '<victim display name>');
    const missing = ok({ ...base, eventName: 'Anything' });
    assert.equal(missing.identityType, null);
    assert.equal(missing.identityArn, null);
    assert.equal(missing.mfaAuthenticated, null);
  });

  it('a failed AssumeRole issues nothing and creates no session', () => {
    const e = ok({ ...base, eventName: 'AssumeRole', errorCode: 'AccessDenied', requestParameters: { roleArn: 'arn:aws:iam::123456789012:role/x' },
      responseElements: { credentials: { accessKeyId: 'ASIAFAKE' }, assumedRoleUser: { arn: 'arn:aws:sts::123456789012:assumed-role/x/y' } } });
    assert.deepEqual(e.issuedCredentials, []);
    assert.deepEqual(e.resources.map((r) => `${r.id} ${r.touch}`), ['arn:aws:iam::123456789012:role/x used']);
  });
});

describe('rejections and hostile input', () => {
  it('names what is missing', () => {
    const good = { eventID: 'a', eventTime: '2024-01-01T00:00:00Z', eventSource: 's', eventName: 'n' };
    assert.deepEqual(normalizeCloudTrailRecord('x'), { ok: false, reason: 'record is not a JSON object' });
    assert.deepEqual(normalizeCloudTrailRecord([good]), { ok: false, reason: 'record is not a JSON object' });
    assert.deepEqual(normalizeCloudTrailRecord({ ...good, eventTime: undefined }), { ok: false, reason: 'record has no eventTime' });
    assert.deepEqual(normalizeCloudTrailRecord({ ...good, eventTime: '...' }), { ok: false, reason: 'record has an unparseable eventTime' });
    assert.deepEqual(normalizeCloudTrailRecord({ ...good, eventSource: 5 }), { ok: false, reason: 'record has no eventSource' });
    assert.deepEqual(normalizeCloudTrailRecord({ ...good, eventName: '' }), { ok: false, reason: 'record has no eventName' });
    assert.equal(ok({ ...good, eventTime: '2024-01-01T02:00:00+02:00' }).eventTime, Date.UTC(2024, 0, 1));
  });

  it('strings where objects belong, objects where strings belong: nulls, never a throw', () => {
    const e = ok({
      eventID: 'a', eventTime: '2024-01-01T00:00:00.123Z', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', readOnly: 'false',
      userIdentity: { type: { nested: 1 }, arn: ['x'], sessionContext: '...', accessKeyId: 7 },
      requestParameters: '...', responseElements: { instancesSet: '...' }, resources: '...', sourceIPAddress: { a: 1 },
    });
    assert.equal(e.eventTime, Date.UTC(2024, 0, 1) + 123);
    assert.equal(e.readOnly, false);
    assert.equal(e.identityType, null);
    assert.equal(e.identityArn, null);
    assert.equal(e.sessionIssuerArn, null);
    assert.equal(e.accessKeyId, null);
    assert.equal(e.sourceIp, null);
    assert.deepEqual(e.resources, []);
  });

  it('redacted names ("...") name no resource', () => {
    const trail = streamalertEvents().map((x) => normalizeCloudTrailRecord(x.record)).find((r) => r.ok && r.value.eventName === 'UpdateTrail');
    assert.ok(trail?.ok);
    assert.deepEqual(trail.value.resources, []);
    const e = ok({ eventID: 'a', eventTime: '2024-01-01T00:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'PutBucketPolicy', requestParameters: { bucketName: '...' } });
    assert.deepEqual(e.resources, []);
  });

  it('huge read-only sweeps are capped; search text is bounded', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => ({ instanceId: `i-${String(i).padStart(17, '0')}` }));
    const e = ok({ eventID: 'a', eventTime: '2024-01-01T00:00:00Z', eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', readOnly: true,
      requestParameters: { instancesSet: { items: ids } }, userAgent: 'x'.repeat(10_000) });
    assert.equal(e.resources.length, 100);
    assert.ok(e.resources.every((r) => r.touch === 'read'));
    assert.ok(e.searchText.length <= 2048);
  });
});

describe('EC2 resources in panther events and documented shapes', () => {
  it('RunInstances (panther): the new instance and interface are created, its group attached, profile attached', () => {
    const run = pantherEvents()
      .map((p) => normalizeCloudTrailRecord(p.record))
      .find((r) => r.ok && r.value.eventName === 'RunInstances' && r.value.resources.some((x) => x.touch === 'created'));
    assert.ok(run?.ok);
    const t = Object.fromEntries(run.value.resources.map((r) => [r.id, `${r.type}:${r.touch}`]));
    assert.equal(t['i-07d06021b0da55115'], 'instance:created');
    assert.equal(t['sg-03d704b35372e74e8'], 'security-group:attached');
    assert.equal(t['eni-03ac9043f76fab96c'], 'network-interface:created');
    assert.equal(t['arn:aws:iam::111122223333:instance-profile/profile-id'], 'instance-profile:attached');
  });

  it('ModifySecurityGroupRules and a group swap on an interface (XML-shaped parameters)', () => {
    const base = { eventID: 'a', eventTime: '2024-01-01T00:00:00Z', eventSource: 'ec2.amazonaws.com', recipientAccountId: '123456789012', awsRegion: 'us-east-1' };
    const modify = ok({ ...base, eventName: 'ModifySecurityGroupRules', requestParameters: { ModifySecurityGroupRulesRequest: {
      GroupId: 'sg-0123456789abcdef0',
      SecurityGroupRule: { SecurityGroupRuleId: 'sgr-0123456789abcdef0', SecurityGroupRule: { CidrIpv4: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 22, ToPort: 22 }, tag: 1 },
    } } });
    assert.deepEqual(modify.resources.map((r) => `${r.id} ${r.touch}`), ['sg-0123456789abcdef0 modified', 'sgr-0123456789abcdef0 modified', 'ip/0.0.0.0/0 attached']);
    const swap = ok({ ...base, eventName: 'ModifyNetworkInterfaceAttribute', requestParameters: { networkInterfaceId: 'eni-0123456789abcdef0', groupSet: { items: [{ groupId: 'sg-0aaaaaaaaaaaaaaaa' }] } } });
    assert.deepEqual(swap.resources.map((r) => `${r.id} ${r.touch}`), ['eni-0123456789abcdef0 modified', 'sg-0aaaaaaaaaaaaaaaa attached']);
  });
});
