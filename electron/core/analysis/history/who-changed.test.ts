import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REAL, insertEvents, insertFlowRows, loadRecords, memoryCase, readRecords } from '../../../../test-support/case-fixtures.ts';
import { refreshDerived } from '../refresh-derived.ts';
import { MAX_CHANGES_LISTED, whoChanged } from './who-changed.ts';
import { MAX_REPLAYED_CALLS } from './replay-steps.ts';
import { sgRulesAt } from './sg-versions.ts';

test('Stratus open-port-22: who opened port 22 on the group, from where, with which rule id', () => {
  const db = memoryCase();
  loadRecords(db, readRecords(`${REAL}stratus-red-team/aws.exfiltration.ec2-security-group-open-port-22-ingress.json`));
  const result = whoChanged(db, 'sg-003dc7f1f1c686164');
  assert.equal(result.items.length, 1);
  const [item] = result.items;
  assert.equal(item.eventName, 'AuthorizeSecurityGroupIngress');
  assert.equal(item.eventTime, '2024-08-01T12:23:55.000Z');
  assert.equal(item.sourceIPAddress, '253.243.215.253');
  assert.equal(item.attempt, false);
  assert.equal(item.actor.arn, 'arn:aws:iam::032092706103:user/christophe');
  assert.equal(item.actor.origin.kind, 'iam-user');
  assert.equal(item.change.kind, 'security-group-rules');
  if (item.change.kind !== 'security-group-rules') return;
  assert.equal(item.change.added.length, 1);
  const rule = item.change.added[0];
  assert.deepEqual([rule.protocol, rule.fromPort, rule.toPort, rule.cidr, rule.ruleId], ['tcp', 22, 22, '208.236.235.254/0', 'sgr-09b3e3d2ca1edf2a2']);
  // Without a snapshot the reconstructed version is partial, but contains the new rule.
  assert.equal(item.after?.origin, 'event');
  assert.deepEqual((item.after?.config as { ingress: { ruleId: string }[] }).ingress.map((r) => r.ruleId), ['sgr-09b3e3d2ca1edf2a2']);
});

test('rules are replayed from a snapshot forwards and backwards; failed attempts are listed but change nothing', () => {
  const db = memoryCase();
  const user = { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/bob', key: 'AKIABOB', userName: 'bob' };
  const touch = [{ id: 'sg-1', type: 'security-group', touch: 'modified' }];
  const perm = (port: number, cidr: string) => ({ groupId: 'sg-1', ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: port, toPort: port, ipRanges: { items: [{ cidrIp: cidr }] } }] } });
  insertEvents(db, [
    { eventId: 'a', time: '2024-01-01T00:00:00Z', name: 'AuthorizeSecurityGroupIngress', identity: user, resources: touch, raw: { requestParameters: perm(443, '0.0.0.0/0') } },
    { eventId: 'b', time: '2024-01-03T00:00:00Z', name: 'AuthorizeSecurityGroupIngress', identity: user, resources: touch, raw: { requestParameters: perm(22, '0.0.0.0/0') } },
    { eventId: 'c', time: '2024-01-04T00:00:00Z', name: 'RevokeSecurityGroupIngress', identity: user, resources: touch, error: 'UnauthorizedOperation', raw: { requestParameters: perm(22, '0.0.0.0/0') } },
    { eventId: 'd', time: '2024-01-05T00:00:00Z', name: 'RevokeSecurityGroupIngress', identity: user, resources: touch, raw: { requestParameters: perm(22, '0.0.0.0/0') } },
  ]);
  // Snapshot taken on Jan 2: 443 open and an old 80 rule.
  db.prepare(`INSERT INTO resource_versions (resource_id, origin, observed_at, config_hash, config) VALUES ('sg-1', 'snapshot', ?, 'h', ?)`).run(
    Date.parse('2024-01-02T00:00:00Z'),
    JSON.stringify({ GroupId: 'sg-1', IpPermissions: [80, 443].map((p) => ({ IpProtocol: 'tcp', FromPort: p, ToPort: p, IpRanges: [{ CidrIp: '0.0.0.0/0' }] })), IpPermissionsEgress: [] }),
  );
  refreshDerived(db);
  const r = whoChanged(db, 'sg-1');
  assert.deepEqual(r.items.map((i) => [i.eventId, i.attempt]), [['a', false], ['b', false], ['c', true], ['d', false]]);
  const ports = (t: string) => sgRulesAt(db, 'sg-1', Date.parse(t))?.rules.filter((x) => x.direction === 'ingress').map((x) => x.fromPort).sort((x, y) => x! - y!);
  assert.deepEqual(ports('2023-12-31T00:00:00Z'), [80]); // before 443 was added
  assert.deepEqual(ports('2024-01-03T12:00:00Z'), [22, 80, 443]);
  assert.deepEqual(ports('2024-01-04T12:00:00Z'), [22, 80, 443]); // the failed revoke changed nothing
  assert.deepEqual(ports('2024-01-06T00:00:00Z'), [80, 443]);
  const before22 = r.items[1].before?.config as { ingress: { fromPort: number }[] };
  assert.deepEqual(before22.ingress.map((x) => x.fromPort).sort(), [443, 80]);
});

test('an id the case does not know is reported as unknown, not as a resource without changes', () => {
  const db = memoryCase();
  insertEvents(db, [{ eventId: 'r1', time: '2025-01-01T00:00:00Z', name: 'DescribeSecurityGroups', ip: '198.51.100.2',
    identity: { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/alice', key: 'AKIAALICE0000000000A' }, resources: [{ id: 'sg-read', type: 'security-group', touch: 'read' }] }]);
  insertFlowRows(db, [{ interfaceId: 'eni-flow', srcaddr: '203.0.113.1', dstaddr: '10.0.0.1' }]);
  assert.equal(whoChanged(db, 'nonexistent').known, false);
  assert.deepEqual(whoChanged(db, 'nonexistent').items, []);
  for (const id of ['sg-read', 'arn:aws:iam::111111111111:user/alice', 'AKIAALICE0000000000A', 'eni-flow', 'ip/198.51.100.2', '203.0.113.1']) {
    const r = whoChanged(db, id);
    assert.equal(r.known, true, id);
    assert.equal(r.items.length, 0, id);
  }
});

test('a Spot Instance EC2 reclaimed: its history names the eviction, by EC2 itself, not a person', () => {
  const db = memoryCase();
  const instance = 'i-1eb2ac8e';
  // As AWS documents BidEvictedEvent: an AWS service event whose details list the instances.
  loadRecords(db, [{
    eventVersion: '1.05', userIdentity: { accountId: '123456789012', invokedBy: 'ec2.amazonaws.com' }, eventTime: '2016-08-16T22:30:00Z',
    eventSource: 'ec2.amazonaws.com', userAgent: 'ec2.amazonaws.com', sourceIPAddress: 'ec2.amazonaws.com', eventName: 'BidEvictedEvent',
    awsRegion: 'us-east-2', eventID: 'd27a6096-807b-4bd0-8c20-a33a83375054', eventType: 'AwsServiceEvent', recipientAccountId: '123456789012',
    requestParameters: null, responseElements: null, serviceEventDetails: { instanceIdSet: [instance] },
  }]);
  const [item] = whoChanged(db, instance).items;
  assert.equal(item.eventName, 'BidEvictedEvent');
  assert.equal(item.touch, 'deleted');
  assert.equal(item.change.summary, `Spot capacity reclaimed by EC2: ${instance} interrupted, by no one in the account`);
  assert.equal(item.actor.origin.kind, 'aws-service');
  assert.equal(item.autoScaling, undefined);
});

test('a group automation rewrites all day: the latest changes are listed and replayed, the earlier ones counted', () => {
  const db = memoryCase();
  const user = { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/bot', key: 'AKIABOT', userName: 'bot' };
  const touch = [{ id: 'sg-busy', type: 'security-group', touch: 'modified' }];
  const n = MAX_REPLAYED_CALLS + 5;
  insertEvents(db, Array.from({ length: n }, (_, k) => ({
    eventId: `busy-${String(k).padStart(5, '0')}`, time: new Date(Date.parse('2024-01-01T00:00:00Z') + k * 60_000).toISOString(), name: 'AuthorizeSecurityGroupIngress',
    identity: user, resources: touch,
    raw: { requestParameters: { groupId: 'sg-busy', ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 1000 + k, toPort: 1000 + k, ipRanges: { items: [{ cidrIp: '10.0.0.0/8' }] } }] } } },
  })));
  refreshDerived(db);
  const r = whoChanged(db, 'sg-busy');
  assert.equal(r.items.length, MAX_CHANGES_LISTED);
  assert.equal(r.earlier, n - MAX_CHANGES_LISTED);
  assert.equal(r.items.at(-1)?.eventId, `busy-${String(n - 1).padStart(5, '0')}`, 'the latest change is listed last');
  // The replay reads the latest calls only: it starts from nothing, and the rules it knows are theirs.
  const latest = r.items.at(-1)!.after?.config as { complete: boolean; ingress: unknown[] };
  assert.equal(latest.complete, false);
  assert.equal(latest.ingress.length, MAX_REPLAYED_CALLS);
});
