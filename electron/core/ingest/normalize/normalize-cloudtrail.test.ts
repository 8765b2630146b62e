// CloudTrail normalization on the Stratus Red Team detonation logs: what an investigator would look
// for in each attack, read from the real records.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NormalizedEvent, TouchedResource } from '../types.ts';
import { normalizeCloudTrailRecord } from './normalize-cloudtrail.ts';
import { stratusRecords } from '../../../../test-support/real-samples.ts';

function event(technique: string, eventName: string): NormalizedEvent {
  const rec = stratusRecords(technique).find((r) => r.eventName === eventName);
  assert.ok(rec, `${technique} has ${eventName}`);
  const res = normalizeCloudTrailRecord(rec);
  assert.ok(res.ok, res.ok ? '' : res.reason);
  return res.value;
}

function touched(e: NormalizedEvent): Record<string, string> {
  return Object.fromEntries(e.resources.map((r: TouchedResource) => [r.id, `${r.type}:${r.touch}`]));
}

describe('normalizeCloudTrailRecord on stratus-red-team', () => {
  it('opening port 22: the group is modified, its new sgr- rule and the source range are recorded', () => {
    const e = event('aws.exfiltration.ec2-security-group-open-port-22-ingress', 'AuthorizeSecurityGroupIngress');
    assert.equal(e.eventId, '9fd68588-ecbf-4528-a345-199fa6bb0821');
    assert.equal(e.eventTime, Date.UTC(2024, 7, 1, 12, 23, 55));
    assert.equal(e.accountId, '032092706103');
    assert.equal(e.readOnly, false);
    assert.deepEqual(touched(e), {
      'sg-003dc7f1f1c686164': 'security-group:modified',
      'sgr-09b3e3d2ca1edf2a2': 'security-group-rule:created',
      'ip/208.236.235.254/0': 'ip:attached',
    });
    assert.equal(e.identityType, 'IAMUser');
    assert.equal(e.userName, 'christophe');
    assert.equal(e.accessKeyId, 'AKIAXW7UJ577KFYIAHIM');
    for (const word of ['AuthorizeSecurityGroupIngress', 'sg-003dc7f1f1c686164', 'sgr-09b3e3d2ca1edf2a2', '253.243.215.253', 'arn:aws:iam::032092706103:user/christophe']) {
      assert.ok(e.searchText.includes(word), word);
    }
  });

  it('stolen instance credentials: the instance-role session is identified by role and instance id', () => {
    const e = event('aws.credential-access.ec2-steal-instance-credentials', 'DescribeInstances');
    assert.equal(e.identityType, 'AssumedRole');
    assert.equal(e.identityArn, 'arn:aws:sts::017622104382:assumed-role/stratus-red-team-ec2-steal-credentials-role/i-786a3A8B5C0d92eF4');
    assert.equal(e.sessionIssuerArn, 'arn:aws:iam::017622104382:role/stratus-red-team-ec2-steal-credentials-role');
    assert.equal(e.sessionName, 'i-786a3A8B5C0d92eF4');
    assert.equal(e.accessKeyId, 'ASIAP5CT9NN8EYVU1FXV');
    assert.equal(e.principalId, 'AROALHCCSKSM395EGX3XN:i-786a3A8B5C0d92eF4');
    assert.equal(e.mfaAuthenticated, false);
    assert.equal(e.sourceIp, '18.236.253.47');
    assert.equal(e.userName, null);
  });

  it('SSM SendCommand uses the target instance', () => {
    const e = event('aws.credential-access.ec2-steal-instance-credentials', 'SendCommand');
    assert.deepEqual(touched(e), { 'i-786a3A8B5C0d92eF4': 'instance:used' });
  });

  it('AssumeRole issues a key to the caller and creates the session', () => {
    const e = event('aws.credential-access.ec2-get-password-data', 'AssumeRole');
    assert.equal(e.issuedCredentials.length, 1);
    const c = e.issuedCredentials[0];
    assert.equal(c.accessKeyId, 'ASIA7RQR64ZW9JXKWPUO');
    assert.equal(c.kind, 'AssumeRole');
    assert.equal(c.issuedArn, 'arn:aws:sts::457448411975:assumed-role/stratus-red-team-ec2-get-password-data-role/aws-go-sdk-1722375070115152000');
    assert.equal(c.roleArn, 'arn:aws:iam::457448411975:role/stratus-red-team-ec2-get-password-data-role');
    assert.equal(c.sessionName, 'aws-go-sdk-1722375070115152000');
    assert.equal(c.callerArn, 'arn:aws:iam::457448411975:user/christophe');
    assert.equal(c.callerType, 'IAMUser');
    assert.equal(c.callerKey, e.accessKeyId);
    assert.equal(c.callerIp, e.sourceIp);
    assert.equal(c.issuedAt, e.eventTime);
    // "expiration": "Jul 30, 2024, 9:46:15 PM" (UTC)
    assert.equal(c.expiresAt, Date.UTC(2024, 6, 30, 21, 46, 15));
    const t = touched(e);
    assert.equal(t[c.issuedArn!], 'session:created');
    assert.equal(t['arn:aws:iam::457448411975:role/stratus-red-team-ec2-get-password-data-role'], 'role:used');
    // The temporary key is the call's credential (above), not a resource: a churned account issues one per call.
    assert.equal(t.ASIA7RQR64ZW9JXKWPUO, undefined);
  });

  it('GetFederationToken: the federated user is the issued identity, and its later calls name the user as issuer', () => {
    const issue = event('aws.persistence.sts-federation-token', 'GetFederationToken');
    const c = issue.issuedCredentials[0];
    assert.equal(c.accessKeyId, 'ASIASTJKC5GCM7ZE6LUP');
    assert.equal(c.issuedArn, 'arn:aws:sts::742491224508:federated-user/stratus_red_team');
    assert.equal(c.sessionName, 'stratus_red_team');
    const use = event('aws.persistence.sts-federation-token', 'GetCallerIdentity');
    assert.equal(use.identityType, 'FederatedUser');
    assert.equal(use.accessKeyId, c.accessKeyId);
    assert.equal(use.sessionIssuerArn, 'arn:aws:iam::742491224508:user/stratus-red-team-user-federation-user');
    assert.equal(use.sessionName, 'stratus_red_team');
  });

  it('CreateAccessKey for another user: the key is issued to that user and created', () => {
    const e = event('aws.persistence.iam-backdoor-user', 'CreateAccessKey');
    assert.deepEqual(e.issuedCredentials.map((c) => [c.accessKeyId, c.kind, c.issuedArn, c.callerArn]), [
      ['AKIAL80DWDVKKM0UXEER', 'CreateAccessKey', 'arn:aws:iam::946986569305:user/stratus-red-team-backdoor-u-user', 'arn:aws:iam::946986569305:user/christophe'],
    ]);
    assert.deepEqual(touched(e), {
      AKIAL80DWDVKKM0UXEER: 'access-key:created',
      'arn:aws:iam::946986569305:user/stratus-red-team-backdoor-u-user': 'user:modified',
    });
  });

  it('admin user creation: user created, AdministratorAccess attached', () => {
    assert.deepEqual(touched(event('aws.persistence.iam-create-admin-user', 'CreateUser')), {
      'arn:aws:iam::229654561268:user/malicious-iam-user': 'user:created',
    });
    assert.deepEqual(touched(event('aws.persistence.iam-create-admin-user', 'AttachUserPolicy')), {
      'arn:aws:iam::229654561268:user/malicious-iam-user': 'user:modified',
      'arn:aws:iam::aws:policy/AdministratorAccess': 'policy:attached',
    });
  });

  it('login profiles and trust policies are named per user and role', () => {
    assert.equal(
      touched(event('aws.persistence.iam-create-user-login-profile', 'CreateLoginProfile'))['arn:aws:iam::070411556318:user/stratus-red-team-login-profile-user#login-profile'],
      'login-profile:created',
    );
    assert.equal(
      touched(event('aws.privilege-escalation.iam-update-user-login-profile', 'UpdateLoginProfile'))['arn:aws:iam::763751499319:user/stratus-red-team-update-login-profile-user#login-profile'],
      'login-profile:modified',
    );
    assert.deepEqual(touched(event('aws.persistence.iam-backdoor-role', 'UpdateAssumeRolePolicy')), {
      'arn:aws:iam::751203476945:role/stratus-red-team-backdoor-r-role': 'role:modified',
    });
  });

  it('covering tracks: trails stopped, deleted, selectors changed; flow logs deleted', () => {
    assert.deepEqual(touched(event('aws.defense-evasion.cloudtrail-stop', 'StopLogging')), {
      'arn:aws:cloudtrail:apiso-centralnorth-2r:143434273843:trail/stratus-red-team-ct-stop-trail-buykxbqejv': 'trail:modified',
    });
    assert.deepEqual(touched(event('aws.defense-evasion.cloudtrail-delete', 'DeleteTrail')), {
      'arn:aws:cloudtrail:megov-westwest-1r:847129010505:trail/stratus-red-team-cloudtraild-trail-kvrwohmiai': 'trail:deleted',
    });
    // The response names the trail by ARN: that wins over a name-built one.
    assert.deepEqual(touched(event('aws.defense-evasion.cloudtrail-event-selectors', 'PutEventSelectors')), {
      'arn:aws:cloudtrail:cn-northsouth-2r:958312252124:trail/stratus-red-team-ctes-trail-khlvciwdor': 'trail:modified',
    });
    // XML-shaped parameters: {"DeleteFlowLogsRequest": {"FlowLogId": {"content": "fl-...", "tag": 1}}}
    assert.deepEqual(touched(event('aws.defense-evasion.vpc-remove-flow-logs', 'DeleteFlowLogs')), { 'fl-0e17aa62a21d4bbfe': 'flow-log:deleted' });
  });

  it('sharing an AMI and a snapshot modifies them', () => {
    assert.deepEqual(touched(event('aws.exfiltration.ec2-share-ami', 'ModifyImageAttribute')), { 'ami-de1fbCab6ccB03e6D': 'image:modified' });
    assert.deepEqual(touched(event('aws.exfiltration.ec2-share-ebs-snapshot', 'ModifySnapshotAttribute')), { 'snap-041993b54a9b3af6f': 'snapshot:modified' });
  });

  it('instance state changes and user-data edits modify the instance', () => {
    for (const name of ['StopInstances', 'StartInstances', 'ModifyInstanceAttribute']) {
      assert.deepEqual(touched(event('aws.execution.ec2-user-data', name)), { 'i-DDd6c7B0e18F0E35f': 'instance:modified' }, name);
    }
  });

  it('a denied RunInstances keeps its error, issues nothing, and still names what it tried to use', () => {
    const e = event('aws.execution.ec2-launch-unusual-instances', 'RunInstances');
    assert.equal(e.errorCode, 'Client.UnauthorizedOperation');
    assert.ok(e.searchText.includes('Client.UnauthorizedOperation'));
    assert.deepEqual(touched(e), { 'ami-aCBbfd13bdb1d1E4b': 'image:used', 'subnet-0e540f0c7ffb48ae9': 'subnet:used' });
    assert.deepEqual(e.issuedCredentials, []);
  });
});
