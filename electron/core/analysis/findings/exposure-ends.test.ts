// A security group opened to the internet: the finding says whether a later change closed it, when and
// by whom (a revoke, the rule narrowed in place, the group deleted), or that it was still open when
// the evidence ends.
import { test } from 'node:test';
import type { ActorFlag } from '../../../../shared/engine-types.ts';
import assert from 'node:assert/strict';
import { loadRecords, memoryCase } from '../../../../test-support/case-fixtures.ts';
import { findings } from './findings.ts';
import { OPENED_RULE } from './exposure-ends.ts';
import { INSTANCE_NAME_CHARS } from './instances-in-words.ts';
import { instancesGuardedAt } from '../flows/interface-groups.ts';
import { storeFindings } from './stored-findings.ts';
import { actorReport } from '../attribution/actor-report.ts';

const A = '111122223333';
const GROUP = 'sg-0a1b2c3d4e5f60718';
const user = (name: string) => ({ type: 'IAMUser', arn: `arn:aws:iam::${A}:user/${name}`, accountId: A, principalId: `AIDA3V4QW7ZX${name.toUpperCase().padEnd(8, 'X')}`,
  userName: name, accessKeyId: `AKIA3V4QW7ZX${name.toUpperCase().padEnd(8, 'K')}` });
let n = 0;
const call = (time: string, name: string, who: string, requestParameters: object, responseElements: object | null = null) => ({
  eventVersion: '1.09', eventID: `0d6c2a1e-0000-4000-8000-${String(++n).padStart(12, '0')}`, eventTime: time, eventSource: 'ec2.amazonaws.com', eventName: name,
  awsRegion: 'eu-west-1', sourceIPAddress: '198.51.100.23', userAgent: 'aws-cli/2.15.0', recipientAccountId: A, userIdentity: user(who), requestParameters, responseElements,
});
const ssh = (cidr: string) => ({ groupId: GROUP, ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: cidr }] } }] } });
const opened = (time: string, who = 'mallory') => call(time, 'AuthorizeSecurityGroupIngress', who, ssh('0.0.0.0/0'),
  { _return: true, securityGroupRuleSet: { items: [{ groupId: GROUP, securityGroupRuleId: 'sgr-0aaa1111bbbb2222c', isEgress: false, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' }] } });

function openingDetail(records: object[]): string {
  const db = memoryCase();
  loadRecords(db, records);
  const found = findings(db).findings.filter((f) => f.rule?.id === OPENED_RULE);
  assert.equal(found.length, 1, 'one opening');
  db.close();
  return found[0].detail;
}

test('an opening revoked later names who closed it and when', () => {
  const revoke = call('2024-06-01T11:00:00Z', 'RevokeSecurityGroupIngress', 'bob', ssh('0.0.0.0/0'));
  const detail = openingDetail([opened('2024-06-01T10:00:00Z'), revoke]);
  assert.match(detail, /^Anyone on the internet may now reach sg-0a1b2c3d4e5f60718 on administration or database port 22/);
  assert.match(detail, / Made by hand from the AWS CLI, not by infrastructure code\. No instance in the case carried the group then\. Closed at /,
    'the call\'s agent (aws-cli), then what it guarded');
  assert.ok(detail.endsWith(`Closed at 2024-06-01T11:00:00.000Z by user/bob (RevokeSecurityGroupIngress, ${revoke.eventID}).`), detail);
});

test('an opening nothing took away is still open when the evidence ends, whatever else changed on the group', () => {
  const other = call('2024-06-01T12:00:00Z', 'AuthorizeSecurityGroupIngress', 'bob', ssh('10.0.0.0/8'));
  const detail = openingDetail([opened('2024-06-01T10:00:00Z'), other]);
  assert.ok(detail.endsWith('Still open when the evidence ends: no later change or snapshot of the group takes it away.'), detail);
});

test('the rule narrowed in place to one address closes it; a revoke before the opening does not', () => {
  const before = call('2024-06-01T09:00:00Z', 'RevokeSecurityGroupIngress', 'bob', ssh('0.0.0.0/0'));
  const narrowed = call('2024-06-01T10:30:00Z', 'ModifySecurityGroupRules', 'carol', { ModifySecurityGroupRulesRequest: { GroupId: GROUP,
    SecurityGroupRule: { SecurityGroupRuleId: 'sgr-0aaa1111bbbb2222c', SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '203.0.113.7/32' } } } });
  const detail = openingDetail([before, opened('2024-06-01T10:00:00Z'), narrowed]);
  assert.ok(detail.endsWith(`Closed at 2024-06-01T10:30:00.000Z by user/carol (ModifySecurityGroupRules, ${narrowed.eventID}).`), detail);
});

test('an opening made by infrastructure code says so, one from the console says it was by hand', () => {
  const by = (agent: string) => openingDetail([{ ...opened('2024-06-01T10:00:00Z'), userAgent: agent }]);
  assert.match(by('APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.40.0'), / Made by infrastructure code \(its user agent names it\)/);
  assert.match(by('console.amazonaws.com'), / Made by hand from the AWS console, not by infrastructure code\./);
  assert.doesNotMatch(by('Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux'), /Made by/, 'a program: nothing said');
});

const launch = (time: string, instance: string, name: string, environment?: string) => call(time, 'RunInstances', 'alice',
  { instancesSet: { items: [{ imageId: 'ami-0abc1234def567890', minCount: 1, maxCount: 1 }] }, groupSet: { items: [{ groupId: GROUP }] },
    tagSpecificationSet: { items: [{ resourceType: 'instance', tags: [{ key: 'Name', value: name }, ...(environment ? [{ key: 'Environment', value: environment }] : [])] }] } },
  { instancesSet: { items: [{ instanceId: instance, groupSet: { items: [{ groupId: GROUP, groupName: 'web' }] } }] } });

test('the instances the group guarded when it was opened: launched with it before, not launched after or swapped off before', () => {
  const swapped = call('2024-06-01T09:30:00Z', 'ModifyInstanceAttribute', 'alice', { instanceId: 'i-0c0c0c0c0c0c0c0c3', groupSet: { items: [{ groupId: 'sg-0other000000000000' }] } });
  const detail = openingDetail([
    launch('2024-06-01T09:00:00Z', 'i-0a0a0a0a0a0a0a0a1', 'web-1'), launch('2024-06-01T09:05:00Z', 'i-0b0b0b0b0b0b0b0b2', 'web-2'),
    launch('2024-06-01T09:10:00Z', 'i-0c0c0c0c0c0c0c0c3', 'web-3'), swapped,
    opened('2024-06-01T10:00:00Z'), launch('2024-06-01T11:00:00Z', 'i-0d0d0d0d0d0d0d0d4', 'web-4'),
  ]);
  assert.match(detail, /\. It guarded i-0a0a0a0a0a0a0a0a1 \(web-1\), i-0b0b0b0b0b0b0b0b2 \(web-2\) then\. Still open when the evidence ends/, 'named by their launch\'s Name tag');

  // A bound on the checks: fewer checked than carried it, and said so.
  const db = memoryCase();
  loadRecords(db, [launch('2024-06-01T09:00:00Z', 'i-0a0a0a0a0a0a0a0a1', 'web-1'), launch('2024-06-01T09:05:00Z', 'i-0b0b0b0b0b0b0b0b2', 'web-2')]);
  assert.deepEqual(instancesGuardedAt(db, GROUP, Date.parse('2024-06-01T10:00:00Z'), 1), { instances: ['i-0a0a0a0a0a0a0a0a1'], checked: 1, cut: true });
  assert.deepEqual(instancesGuardedAt(db, GROUP, Date.parse('2024-06-01T10:00:00Z')).instances, ['i-0a0a0a0a0a0a0a0a1', 'i-0b0b0b0b0b0b0b0b2']);
  db.close();
});

test('an instance named with megabytes by a snapshot is cut in the opening\'s words', () => {
  const db = memoryCase();
  const instance = 'i-0a0a0a0a0a0a0a0a1';
  loadRecords(db, [call('2024-06-01T09:00:00Z', 'RunInstances', 'alice', { groupSet: { items: [{ groupId: GROUP }] } },
    { instancesSet: { items: [{ instanceId: instance, groupSet: { items: [{ groupId: GROUP }] } }] } }), opened('2024-06-01T10:00:00Z')]);
  db.prepare('UPDATE resources SET name = ? WHERE id = ?').run('x'.repeat(2_000_000), instance);
  const detail = findings(db).findings.find((f) => f.rule?.id === OPENED_RULE)!.detail;
  assert.match(detail, new RegExp(`It guarded ${instance} \\(x{${INSTANCE_NAME_CHARS}}… \\(2,000,000 bytes\\)\\) then\\.`));
  assert.ok(detail.length < 2000, `${detail.length} characters`);
  db.close();
});

test('an opening on instances tagged as production then names them first and is critical; one retagged before it is not', () => {
  const retag = (time: string, instance: string, environment: string) => call(time, 'CreateTags', 'alice',
    { resourcesSet: { items: [{ resourceId: instance }] }, tagSet: { items: [{ key: 'Environment', value: environment }] } }, { _return: true });
  const severityAndDetail = (records: object[]) => {
    const db = memoryCase();
    loadRecords(db, records);
    const f = findings(db).findings.find((x) => x.rule?.id === OPENED_RULE)!;
    db.close();
    return { severity: f.severity, detail: f.detail };
  };
  const staging = [launch('2024-06-01T08:00:00Z', 'i-0a0a0a0a0a0a0a0a1', 'web-1', 'staging'), launch('2024-06-01T08:01:00Z', 'i-0b0b0b0b0b0b0b0b2', 'web-2')];
  const before = severityAndDetail([...staging, opened('2024-06-01T10:00:00Z')]);
  assert.equal(before.severity, 'high');
  assert.doesNotMatch(before.detail, /production/);

  const prod = severityAndDetail([...staging, launch('2024-06-01T08:02:00Z', 'i-0f0f0f0f0f0f0f0f9', 'db-9', 'production'),
    retag('2024-06-01T09:00:00Z', 'i-0b0b0b0b0b0b0b0b2', 'prod'), opened('2024-06-01T10:00:00Z'), retag('2024-06-01T11:00:00Z', 'i-0a0a0a0a0a0a0a0a1', 'production')]);
  assert.equal(prod.severity, 'critical');
  assert.match(prod.detail, /It guarded i-0b0b0b0b0b0b0b0b2 \(web-2\), i-0f0f0f0f0f0f0f0f9 \(db-9\), i-0a0a0a0a0a0a0a0a1 \(web-1\) then, 2 of them tagged as production \(Environment=prod, Environment=production\)\./,
    'tagged so at the opening: web-1 only after it');
});

test('an actor report takes its opening\'s words from the stored findings while they are those of the case, and works them out after', () => {
  const db = memoryCase();
  loadRecords(db, [launch('2024-06-01T09:00:00Z', 'i-0a0a0a0a0a0a0a0a1', 'web-1', 'production'), opened('2024-06-01T10:00:00Z')]);
  storeFindings(db);
  const stored = db.prepare('SELECT severity, body FROM stored_findings WHERE rule_id = ?').get(OPENED_RULE) as { severity: string; body: string };
  const reported = () => actorReport(db, user('mallory').accessKeyId)!.flags
    .find((f): f is Extract<ActorFlag, { kind: 'finding' }> => f.kind === 'finding' && f.findingKind === 'exposure')!;
  assert.ok(reported().detail.endsWith(`: ${JSON.parse(stored.body).detail}`), 'the same words as the list');
  assert.equal(reported().severity, 'critical');

  // Taken from the stored run, not worked out again: what it holds is what the report says.
  db.prepare(`UPDATE stored_findings SET body = json_set(body, '$.detail', 'as the stored run said') WHERE rule_id = ?`).run(OPENED_RULE);
  assert.ok(reported().detail.endsWith(': as the stored run said'), reported().detail);
  // New events make the stored run another case's: the report works the words out again.
  loadRecords(db, [call('2024-06-01T12:00:00Z', 'DescribeInstances', 'bob', {})]);
  assert.match(reported().detail, /It guarded i-0a0a0a0a0a0a0a0a1 \(web-1\) then, tagged as production \(Environment=production\)\./);
  db.close();
});
