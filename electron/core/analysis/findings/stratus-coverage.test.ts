// Coverage measured on real attacks: every Stratus Red Team detonation log in the shared data is
// stored through the real normalizer and writer into its own case (as an ingest does, without the
// reader workers whose start-up would dominate 35 tiny files), and the technique must raise a finding
// of a rule that names its behaviour (not just a generic burst or "new region"). The table is printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REAL, loadRecords, memoryCase, readRecords } from '../../../../test-support/case-fixtures.ts';
import { findings } from './findings.ts';

const DIR = join(REAL, 'stratus-red-team');

/** Technique → the rules whose findings name it. */
const EXPECTED: Record<string, string[]> = {
  'credential-access.ec2-get-password-data': ['ec2-password-data'],
  'credential-access.ec2-steal-instance-credentials': ['instance-credentials-off-instance'],
  'credential-access.secretsmanager-batch-retrieve-secrets': ['secrets-retrieved'],
  'credential-access.secretsmanager-retrieve-secrets': ['secrets-retrieved'],
  'credential-access.ssm-retrieve-securestring-parameters': ['ssm-parameters-retrieved'],
  'defense-evasion.cloudtrail-delete': ['cloudtrail-trail-deleted'],
  'defense-evasion.cloudtrail-event-selectors': ['cloudtrail-trail-narrowed'],
  'defense-evasion.cloudtrail-stop': ['cloudtrail-logging-stopped'],
  'defense-evasion.dns-delete-logs': ['dns-query-logging-disabled'],
  'defense-evasion.organizations-leave': ['organizations-leave'],
  'defense-evasion.vpc-remove-flow-logs': ['vpc-flow-logs-deleted'],
  'discovery.ec2-download-user-data': ['ec2-user-data-read'],
  'execution.ec2-launch-unusual-instances': ['ec2-unusual-instances'],
  'execution.ec2-user-data': ['ec2-user-data-changed'],
  'execution.ssm-send-command': ['ssm-send-command'],
  'execution.ssm-start-session': ['ssm-start-session'],
  'exfiltration.ec2-security-group-open-port-22-ingress': ['ec2-security-group-open-to-world'],
  'exfiltration.ec2-share-ami': ['ec2-snapshot-or-image-shared'],
  'exfiltration.ec2-share-ebs-snapshot': ['ec2-snapshot-or-image-shared'],
  'exfiltration.rds-share-snapshot': ['rds-snapshot-shared'],
  'impact.bedrock-invoke-model': ['bedrock-model-invoked'],
  'initial-access.console-login-without-mfa': ['console-login-without-mfa'],
  'lateral-movement.ec2-instance-connect': ['ec2-instance-connect-key'],
  'lateral-movement.ec2-serial-console-send-ssh-public-key': ['ec2-serial-console-access'],
  'persistence.iam-backdoor-role': ['iam-role-trust-opened'],
  'persistence.iam-backdoor-user': ['iam-access-key-for-other-user'],
  'persistence.iam-create-admin-user': ['iam-principal-created-then-admin'],
  'persistence.iam-create-backdoor-role': ['iam-role-trust-opened', 'iam-principal-created-then-admin'],
  'persistence.iam-create-user-login-profile': ['iam-login-profile-for-other-user'],
  'persistence.lambda-backdoor-function': ['lambda-permission-opened'],
  'persistence.lambda-layer-extension': ['lambda-layer-added'],
  'persistence.lambda-overwrite-code': ['lambda-code-changed'],
  'persistence.rolesanywhere-create-trust-anchor': ['rolesanywhere-trust'],
  'persistence.sts-federation-token': ['sts-federation-token'],
  'privilege-escalation.iam-update-user-login-profile': ['iam-login-profile-for-other-user'],
};

test('every Stratus Red Team detonation raises a finding that names its technique (at least 33 of 35)', (t) => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
  assert.equal(files.length, 35, 'the shared data holds 35 detonations');
  const rows: string[] = [];
  const missed: string[] = [];
  for (const file of files) {
    const technique = file.replace(/^aws\.|\.json$/g, '');
    const wanted = EXPECTED[technique];
    assert.ok(wanted, `no expectation for ${technique}`);
    const db = memoryCase();
    loadRecords(db, readRecords(join(DIR, file)), file);
    const all = findings(db).findings;
    const hit = all.find((f) => f.rule && wanted.includes(f.rule.id));
    if (!hit) missed.push(technique);
    else {
      // A finding that names the technique says why (explanation), proves it (fields) and maps to ATT&CK.
      assert.ok(hit.rule!.techniques.every((x) => /^T\d{4}(\.\d{3})?$/.test(x)) && hit.rule!.techniques.length > 0, `${technique}: technique ids`);
      assert.ok(hit.detail.length > 20, `${technique}: an explanation`);
    }
    rows.push(`${hit ? 'yes' : 'NO '}  ${technique.padEnd(56)} ${hit ? `${hit.rule!.id} [${hit.severity}] ${hit.rule!.techniques.join(' ')}` : `(got ${all.map((f) => f.rule?.id ?? f.kind).join(', ') || 'nothing'})`}`);
    db.close();
  }
  t.diagnostic(`Stratus coverage: ${files.length - missed.length} of ${files.length}\n${rows.join('\n')}`);
  assert.ok(files.length - missed.length >= 33, `missed: ${missed.join(', ')}`);
  assert.deepEqual(missed, [], 'every technique in the shared data is covered today');
});

test('Stratus findings name what they are about: the account a snapshot went to, the open port, the trail, the MFA', async () => {
  const one = async (technique: string) => {
    const db = memoryCase();
    loadRecords(db, readRecords(join(DIR, `aws.${technique}.json`)));
    return findings(db);
  };
  const ebs = (await one('exfiltration.ec2-share-ebs-snapshot')).findings.find((f) => f.rule?.id === 'ec2-snapshot-or-image-shared');
  assert.match(ebs!.title, /snap-041993b54a9b3af6f shared with account 098797384747/);
  const rds = (await one('exfiltration.rds-share-snapshot')).findings.find((f) => f.rule?.id === 'rds-snapshot-shared');
  assert.match(rds!.title, /exfiltration shared with account 503161813013/);
  const sg = (await one('exfiltration.ec2-security-group-open-port-22-ingress')).findings.find((f) => f.rule?.id === 'ec2-security-group-open-to-world');
  assert.equal(sg!.severity, 'high');
  assert.equal(sg!.value, 'sg-003dc7f1f1c686164');
  assert.match(sg!.title, /tcp\/22 from 208\.236\.235\.254\/0/, 'a /0 is the whole internet whatever its address part');
  assert.ok(sg!.evidence?.some((e) => e.field === 'responseElements.securityGroupRuleSet' && e.value.includes('sgr-09b3e3d2ca1edf2a2')));
  const login = (await one('initial-access.console-login-without-mfa')).findings.find((f) => f.rule?.id === 'console-login-without-mfa');
  assert.match(login!.title, /without MFA/);
  assert.ok(login!.evidence?.some((e) => e.field === 'additionalEventData.MFAUsed' && e.value === 'No'));
  const stop = await one('defense-evasion.cloudtrail-stop');
  assert.equal(stop.blindWindows?.length, 1);
  assert.equal(stop.blindWindows![0].trail, 'stratus-red-team-ct-stop-trail-buykxbqejv');
  assert.equal(stop.blindWindows![0].open, true, 'never restarted: blind until the end of the data');
  const denied = (await one('credential-access.ec2-get-password-data')).findings.find((f) => f.rule?.id === 'ec2-password-data');
  assert.equal(denied!.count, 30, 'the 30 attempts of one session are one finding');
  assert.equal(denied!.errorCode, 'Client.UnauthorizedOperation');
  assert.equal(denied!.severity, 'low', 'failed attempts rank one step lower');
});
