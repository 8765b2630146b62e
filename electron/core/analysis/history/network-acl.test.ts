// Network ACLs are resources like security groups (QUESTIONS.md: "Did anyone change my security
// groups?" lists their entry calls): who added, replaced or deleted an entry, the ACL's snapshot with
// the subnets it guards, and the opening's finding in the same words. Panther's test records are real
// third-party shapes; the snapshot is describe-network-acls and an AWS Config item.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertFlowRows, loadRecords, memoryCase } from '../../../../test-support/case-fixtures.ts';
import { pantherEvents } from '../../../../test-support/real-samples.ts';
import { A, INSTANCE, rec, user } from '../../../../test-support/auto-scaling-records.ts';
import { CaseWriter } from '../../ingest/writer.ts';
import { normalizeConfig } from '../../ingest/normalize/normalize-config.ts';
import { findings } from '../findings/findings.ts';
import { CONNECTIONS_RULE } from '../findings/opening-connections.ts';
import { whoChanged } from './who-changed.ts';
import { aclVersions } from './acl-versions.ts';
import { MAX_SNAPSHOT_ENTRIES } from './network-acl-entries.ts';
import { MAX_SNAPSHOT_RULES, sgRulesAt } from './sg-versions.ts';

const ACL = 'acl-0e1d2c3b4a5968778';
const SUBNET = 'subnet-0a1b2c3d4e5f60718';
const alice = user('alice');
const entryCall = (time: string, name: string, entry: object) => rec(time, 'ec2.amazonaws.com', name, alice, { networkAclId: ACL, ...entry }, { _return: true });
const openSsh = { ruleNumber: 90, egress: false, ruleAction: 'allow', aclProtocol: '6', portRange: { from: 22, to: 22 }, cidrBlock: '0.0.0.0/0', icmpTypeCode: {} };

/** The case's describe-network-acls snapshot of the ACL with its association to SUBNET, and `more` of the ACL's fields. */
function aclSnapshot(db: ReturnType<typeof memoryCase>, more: object = {}): void {
  const writer = new CaseWriter(db);
  const source = writer.startSource({ path: 'describe-network-acls.json', sha256: 'acls', size: 0, kind: 'config:describe-network-acls' });
  writer.writeConfig(source, normalizeConfig('describe-network-acls', { NetworkAcls: [{
    NetworkAclId: ACL, VpcId: 'vpc-0a1b2c3d4e5f60718', IsDefault: false, OwnerId: A,
    Associations: [{ NetworkAclAssociationId: 'aclassoc-0a1b2c3d', NetworkAclId: ACL, SubnetId: SUBNET }], Entries: [], ...more,
  }] }, Date.parse('2024-06-01T00:00:00Z')));
  writer.finishSource(source, 'done');
}

test('Panther\'s permissive entry: who added it, in the History and in the finding\'s words', () => {
  const { record } = pantherEvents().find((e) => e.file.endsWith('aws_network_acl_permissive_entry.yml') && JSON.stringify(e.record).includes('"0.0.0.0/0"'))!;
  const db = memoryCase();
  loadRecords(db, [record]);
  const [item] = whoChanged(db, 'acl-1111').items;
  assert.equal(item.eventName, 'CreateNetworkAclEntry');
  assert.equal(item.change.summary, 'added inbound rule 12: allow tcp/700-702 from 0.0.0.0/0');
  assert.equal(item.actor.arn, 'arn:aws:sts::123456789012:assumed-role/example-role/example-user');
  const [opened] = findings(db).findings.filter((f) => f.rule?.id === 'ec2-network-acl-open-to-world');
  assert.equal(opened.value, 'acl-1111');
  assert.equal(opened.title, 'Network ACL opened to the internet: acl-1111 inbound rule 12 (allow tcp/700-702 from 0.0.0.0/0) by assumed-role/example-role/example-user');
  db.close();
});

test('an ACL from its snapshot, then entries replaced and deleted: each call in the History, the subnets it guards in the graph', () => {
  const db = memoryCase();
  aclSnapshot(db, { Tags: [{ Key: 'Name', Value: 'prod-private' }],
    Entries: [{ RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: false, CidrBlock: '10.0.0.0/16', PortRange: { From: 22, To: 22 } }] });
  loadRecords(db, [
    entryCall('2024-06-02T10:00:00Z', 'ReplaceNetworkAclEntry', { ...openSsh, ruleNumber: 100 }),
    entryCall('2024-06-02T11:00:00Z', 'DeleteNetworkAclEntry', { ruleNumber: 100, egress: false }),
    rec('2024-06-02T12:00:00Z', 'ec2.amazonaws.com', 'ReplaceNetworkAclAssociation', alice, { associationId: 'aclassoc-0a1b2c3d', networkAclId: ACL },
      { newAssociationId: 'aclassoc-0f0e0d0c' }),
  ]);
  assert.equal(db.prepare('SELECT name FROM resources WHERE id = ?').pluck().get(ACL), 'prod-private');
  assert.deepEqual(db.prepare(`SELECT dst FROM edges WHERE src = ? AND kind = 'network-acl-subnet'`).pluck().all(ACL), [SUBNET]);
  const history = whoChanged(db, ACL);
  assert.deepEqual(history.items.map((i) => i.change.summary), [
    'replaced inbound rule 100 with allow tcp/22 from 0.0.0.0/0',
    'deleted inbound rule 100',
    'moved a subnet to acl-0e1d2c3b4a5968778 (association aclassoc-0a1b2c3d)',
  ]);
  assert.ok(history.items.every((i) => i.actor.arn === alice.arn));
  // Each call's entries before and after, from the snapshot forwards; an entry known by its place.
  const [replaced, deleted] = history.items;
  const inbound = (v: typeof replaced.after) => (v?.config as { inbound: object[] }).inbound;
  assert.deepEqual(inbound(replaced.before), [{ id: 'inbound 100', action: 'allow', protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '10.0.0.0/16' }]);
  assert.deepEqual(inbound(replaced.after), [{ id: 'inbound 100', action: 'allow', protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' }]);
  assert.equal((replaced.after?.config as { complete: boolean }).complete, true, 'replayed from a snapshot');
  assert.deepEqual(inbound(deleted.after), []);
  const [opened] = findings(db).findings.filter((f) => f.rule?.id === 'ec2-network-acl-open-to-world');
  assert.equal(opened.severity, 'high', 'SSH from the world');
  assert.match(opened.detail, / Per the case's snapshots it guards subnet-0a1b2c3d4e5f60718, where the case knows no instance\. Closed at 2024-06-02T11:00:00\.000Z by user\/alice \(DeleteNetworkAclEntry, /);

  // An instance launched into the subnet, tagged as production: the opening is on production.
  loadRecords(db, [rec('2024-06-01T12:00:00Z', 'ec2.amazonaws.com', 'RunInstances', alice, { instancesSet: { items: [{ imageId: 'ami-0abc1234def567890' }] }, subnetId: SUBNET },
    { instancesSet: { items: [{ instanceId: INSTANCE, subnetId: SUBNET, tagSet: { items: [{ key: 'Name', value: 'db-1' }, { key: 'Environment', value: 'production' }] } }] } })]);
  const [onProduction] = findings(db).findings.filter((f) => f.rule?.id === 'ec2-network-acl-open-to-world');
  assert.equal(onProduction.severity, 'critical');
  assert.match(onProduction.detail, / it guards subnet-0a1b2c3d4e5f60718, with i-0a1b2c3d4e5f60718 \(db-1\), tagged as production \(Environment=production\)\. Closed at /);
  db.close();
});

test('an AWS Config item of an ACL names it and the subnets it guards; an entry of megabytes stays a line', () => {
  const db = memoryCase();
  const writer = new CaseWriter(db);
  const source = writer.startSource({ path: 'config-history.json', sha256: 'config', size: 0, kind: 'config:get-resource-config-history' });
  writer.writeConfig(source, normalizeConfig('get-resource-config-history', { configurationItems: [{
    resourceType: 'AWS::EC2::NetworkAcl', resourceId: ACL, awsAccountId: A, awsRegion: 'eu-west-1', configurationItemCaptureTime: '2024-06-01T00:00:00Z',
    configurationItemStatus: 'OK', configuration: { networkAclId: ACL, vpcId: 'vpc-0a1b2c3d4e5f60718', ownerId: A,
      associations: [{ networkAclAssociationId: 'aclassoc-0a1b2c3d', networkAclId: ACL, subnetId: SUBNET }], entries: [] },
  }] }, Date.parse('2024-06-03T00:00:00Z')));
  writer.finishSource(source, 'done');
  assert.deepEqual(db.prepare(`SELECT dst FROM edges WHERE src = ? AND kind = 'network-acl-subnet'`).pluck().all(ACL), [SUBNET]);
  assert.equal(db.prepare('SELECT type FROM resources WHERE id = ?').pluck().get(ACL), 'network-acl');

  loadRecords(db, [entryCall('2024-06-02T10:00:00Z', 'CreateNetworkAclEntry', { ...openSsh, cidrBlock: `0.0.0.0/0${' 10.0.0.0/8'.repeat(200_000)}` })]);
  const [item] = whoChanged(db, ACL).items;
  assert.ok(item.change.summary.length < 300, `${item.change.summary.length} characters`);
  assert.match(item.change.summary, /^added inbound rule 90: allow tcp\/22 from 0\.0\.0\.0\/0 10\.0\.0\.0\/8/);
  db.close();
});

test('a deny entry for the whole internet put in front of the opening closes it; a narrower one, or one behind it, does not', () => {
  const closedBy = (denies: object[]) => {
    const db = memoryCase();
    loadRecords(db, [entryCall('2024-06-02T10:00:00Z', 'CreateNetworkAclEntry', openSsh),
      ...denies.map((d, k) => entryCall(`2024-06-02T1${k + 1}:00:00Z`, 'CreateNetworkAclEntry', { ...openSsh, ruleAction: 'deny', ...d }))]);
    const [opened] = findings(db).findings.filter((f) => f.rule?.id === 'ec2-network-acl-open-to-world');
    db.close();
    return opened.detail.slice(opened.detail.lastIndexOf('. ') + 2);
  };
  assert.match(closedBy([{ ruleNumber: 50, aclProtocol: '-1', portRange: undefined }]), /^Closed at 2024-06-02T11:00:00\.000Z by user\/alice \(CreateNetworkAclEntry, /, 'all traffic denied in front');
  assert.match(closedBy([{ ruleNumber: 80, portRange: { from: 0, to: 1024 } }]), /^Closed at 2024-06-02T11:00:00\.000Z/, 'tcp/0-1024 denied in front');
  assert.match(closedBy([{ ruleNumber: 50, cidrBlock: '198.51.100.0/24' }, { ruleNumber: 120 }, { ruleNumber: 60, portRange: { from: 23, to: 23 } }]),
    /^Still open when the evidence ends/, 'one network, one behind it, another port');
});

test('the connections from outside an opened ACL let into its subnets while it was open, by the records\' own subnet', () => {
  const db = memoryCase();
  aclSnapshot(db);
  loadRecords(db, [entryCall('2024-06-02T10:00:00Z', 'CreateNetworkAclEntry', openSsh), entryCall('2024-06-02T12:00:00Z', 'DeleteNetworkAclEntry', { ruleNumber: 90, egress: false })]);
  const flow = (srcaddr: string, start: string, subnetId: string, more: object = {}) => ({ version: 5, interfaceId: 'eni-0a1b2c3d4e5f60718', instanceId: INSTANCE, subnetId,
    srcaddr, dstaddr: '10.0.1.5', srcport: 50000, dstport: 22, protocol: 6, packets: 10, bytes: 4_000, startTime: Date.parse(start), action: 'ACCEPT', flowDirection: 'ingress', ...more });
  insertFlowRows(db, [
    flow('203.0.113.66', '2024-06-02T10:30:00Z', SUBNET),
    flow('203.0.113.67', '2024-06-02T10:30:00Z', 'subnet-0ffffffffffffffff', { interfaceId: 'eni-0ffffffffffffffff', instanceId: null }), // another subnet
    flow('203.0.113.68', '2024-06-02T12:30:00Z', SUBNET), // after the entry was deleted
    flow('203.0.113.69', '2024-06-02T10:30:00Z', SUBNET, { dstport: 3389 }), // a port the entry does not open
  ]);
  const [connections, ...more] = findings(db).findings.filter((f) => f.rule?.id === CONNECTIONS_RULE);
  db.close();
  assert.equal(more.length, 0);
  assert.ok(connections.detail.startsWith(`Accepted flows from 1 address outside came in through the opening while it was open, to ${INSTANCE} in ${SUBNET}, the most data first: ` +
    '203.0.113.66 (1 record, 3.9 KB, from 2024-06-02T10:30:00.000Z). The opening: Network ACL opened to the internet: '), connections.detail);
  assert.equal(connections.value, ACL);
});

/** ReplaceNetworkAclAssociation: the association moved to `networkAclId`, and the one it made. */
const move = (time: string, associationId: string, networkAclId: string, made: string) =>
  rec(time, 'ec2.amazonaws.com', 'ReplaceNetworkAclAssociation', alice, { associationId, networkAclId }, { newAssociationId: made });
/** An entry letting the whole internet in on every protocol. */
const allowAll = (time: string, networkAclId: string) => rec(time, 'ec2.amazonaws.com', 'CreateNetworkAclEntry', alice,
  { networkAclId, ruleNumber: 10, egress: false, ruleAction: 'allow', aclProtocol: '-1', cidrBlock: '0.0.0.0/0' }, { _return: true });

test('an ACL of the intruder\'s own, given a subnet by ReplaceNetworkAclAssociation, guards it: the association read back from a snapshot, and through an earlier move', () => {
  const db = memoryCase();
  aclSnapshot(db, { IsDefault: true });
  db.prepare(`INSERT INTO edges (src, dst, kind, origin) VALUES (?, ?, 'instance-subnet', 'snapshot')`).run(INSTANCE, SUBNET);
  const [first, second] = ['acl-0aaaaaaaaaaaaaaa1', 'acl-0bbbbbbbbbbbbbbb2'];
  loadRecords(db, [
    move('2024-06-02T10:00:00Z', 'aclassoc-0a1b2c3d', first, 'aclassoc-0f0e0d0c'), allowAll('2024-06-02T10:01:00Z', first),
    // The association the first move made, moved on: followed back to the subnet.
    move('2024-06-02T11:00:00Z', 'aclassoc-0f0e0d0c', second, 'aclassoc-0c0c0c0c'), allowAll('2024-06-02T11:01:00Z', second),
    allowAll('2024-06-02T09:00:00Z', 'acl-0ccccccccccccccc3'), // given no subnet
  ]);
  const opened = findings(db).findings.filter((f) => f.rule?.id === 'ec2-network-acl-open-to-world');
  const of = (acl: string) => opened.find((f) => f.value === acl)!.detail;
  assert.match(of(first), new RegExp(`It guards ${SUBNET} \\(moved to it at 2024-06-02T10:00:00\\.000Z\\), with ${INSTANCE}\\.`));
  assert.match(of(second), new RegExp(`It guards ${SUBNET} \\(moved to it at 2024-06-02T11:00:00\\.000Z\\), with ${INSTANCE}\\.`));
  assert.doesNotMatch(of('acl-0ccccccccccccccc3'), /guards/);
  db.close();
});

test('a subnet moved on to another ACL before an opening is no longer guarded by the one it left, and the words say where it went', () => {
  const db = memoryCase();
  aclSnapshot(db, { IsDefault: true });
  db.prepare(`INSERT INTO edges (src, dst, kind, origin) VALUES (?, ?, 'instance-subnet', 'snapshot')`).run(INSTANCE, SUBNET);
  const [first, second] = ['acl-0aaaaaaaaaaaaaaa1', 'acl-0bbbbbbbbbbbbbbb2'];
  loadRecords(db, [
    allowAll('2024-06-02T09:00:00Z', ACL), // while the subnet was still the snapshot's ACL's
    move('2024-06-02T10:00:00Z', 'aclassoc-0a1b2c3d', first, 'aclassoc-0f0e0d0c'),
    move('2024-06-02T11:00:00Z', 'aclassoc-0f0e0d0c', second, 'aclassoc-0c0c0c0c'),
    rec('2024-06-02T12:00:00Z', 'ec2.amazonaws.com', 'CreateNetworkAclEntry', alice,
      { networkAclId: ACL, ruleNumber: 20, egress: false, ruleAction: 'allow', aclProtocol: '6', portRange: { from: 3389, to: 3389 }, cidrBlock: '0.0.0.0/0' }, { _return: true }),
    allowAll('2024-06-02T12:30:00Z', first),
    allowAll('2024-06-02T13:00:00Z', second),
  ]);
  const opened = findings(db).findings.filter((f) => f.rule?.id === 'ec2-network-acl-open-to-world');
  db.close();
  const at = (acl: string, time: string) => opened.find((f) => f.value === acl && f.firstTime.startsWith(time))!.detail;
  assert.match(at(ACL, '2024-06-02T09:00'), new RegExp(`Per the case's snapshots it guards ${SUBNET}, with ${INSTANCE}\\.`));
  const left = at(ACL, '2024-06-02T12:00');
  assert.doesNotMatch(left, /guards/);
  assert.match(left, new RegExp(`It no longer guarded ${SUBNET} \\(moved to ${second} at 2024-06-02T11:00:00\\.000Z\\)\\.`));
  const movedOn = at(first, '2024-06-02T12:30');
  assert.doesNotMatch(movedOn, /guards/);
  assert.match(movedOn, new RegExp(`It no longer guarded ${SUBNET} \\(moved to ${second} at 2024-06-02T11:00:00\\.000Z\\)\\.`));
  assert.match(at(second, '2024-06-02T13:00'), new RegExp(`It guards ${SUBNET} \\(moved to it at 2024-06-02T11:00:00\\.000Z\\), with ${INSTANCE}\\.`));
});

test('a crafted snapshot whose association names a subnet of megabytes gives an ACL no subnet', () => {
  const db = memoryCase();
  db.prepare(`INSERT INTO resource_versions (resource_id, origin, observed_at, config_hash, config) VALUES (?, 'snapshot', ?, 'crafted', ?)`)
    .run(ACL, Date.parse('2024-06-01T00:00:00Z'), JSON.stringify({ NetworkAclId: ACL, Associations: [{ NetworkAclAssociationId: 'aclassoc-0a1b2c3d', SubnetId: `subnet-${'0'.repeat(1_000_000)}` }] }));
  const evil = 'acl-0aaaaaaaaaaaaaaa1';
  loadRecords(db, [
    rec('2024-06-02T10:00:00Z', 'ec2.amazonaws.com', 'ReplaceNetworkAclAssociation', alice, { associationId: 'aclassoc-0a1b2c3d', networkAclId: evil }, { newAssociationId: 'aclassoc-0f0e0d0c' }),
    rec('2024-06-02T10:01:00Z', 'ec2.amazonaws.com', 'CreateNetworkAclEntry', alice,
      { networkAclId: evil, ruleNumber: 10, egress: false, ruleAction: 'allow', aclProtocol: '-1', cidrBlock: '0.0.0.0/0' }, { _return: true }),
  ]);
  const [opened] = findings(db).findings.filter((f) => f.rule?.id === 'ec2-network-acl-open-to-world');
  db.close();
  assert.doesNotMatch(opened.detail, /guards/);
  assert.ok(opened.detail.length < 2_000, `${opened.detail.length} characters`);
});

test('an opening with no later change is still open when the evidence ends; without a snapshot the replay says it is incomplete', () => {
  const db = memoryCase();
  loadRecords(db, [entryCall('2024-06-02T10:00:00Z', 'CreateNetworkAclEntry', openSsh),
    entryCall('2024-06-02T10:05:00Z', 'CreateNetworkAclEntry', { ...openSsh, ruleNumber: 95, portRange: { from: 3389, to: 3389 }, cidrBlock: '192.0.2.0/24' })]);
  const [opened] = findings(db).findings.filter((f) => f.rule?.id === 'ec2-network-acl-open-to-world');
  assert.match(opened.detail, / Still open when the evidence ends: no later change or snapshot of the network ACL takes it away\.$/);
  const [first, second] = whoChanged(db, ACL).items;
  assert.equal((first.after?.config as { complete: boolean }).complete, false, 'no snapshot and no creation: entries before it are unknown');
  assert.deepEqual((second.after?.config as { inbound: { id: string }[] }).inbound.map((e) => e.id), ['inbound 90', 'inbound 95']);
  db.close();
});

test('a crafted case\'s snapshots: an ACL of 20,000 entries is read as AWS\'s most, a group of 20,000 rules too, a snapshot of megabytes not at all', () => {
  const db = memoryCase();
  const at = Date.parse('2024-06-01T00:00:00Z');
  const store = db.prepare(`INSERT INTO resource_versions (resource_id, origin, observed_at, config_hash, config) VALUES (?, 'snapshot', ?, ?, ?)`);
  store.run(ACL, at, 'acl', JSON.stringify({ NetworkAclId: ACL, Entries: Array.from({ length: 20_000 }, (_, k) => ({ RuleNumber: k + 1, Protocol: '6', RuleAction: 'allow', Egress: false, CidrBlock: '10.0.0.0/8' })) }));
  store.run('sg-0crafted', at, 'sg', JSON.stringify({ GroupId: 'sg-0crafted', IpPermissions: Array.from({ length: 20_000 }, (_, k) => ({ IpProtocol: 'tcp', FromPort: k, ToPort: k, IpRanges: [{ CidrIp: '10.0.0.0/8' }] })) }));
  store.run('acl-0huge', at, 'huge', JSON.stringify({ NetworkAclId: 'acl-0huge', Entries: [], Padding: 'x'.repeat(5 * 1024 * 1024) }));
  loadRecords(db, [entryCall('2024-06-02T10:00:00Z', 'CreateNetworkAclEntry', openSsh)]);
  const [acl] = whoChanged(db, ACL).items;
  assert.equal((acl.before?.config as { inbound: unknown[] }).inbound.length, MAX_SNAPSHOT_ENTRIES);
  assert.equal(sgRulesAt(db, 'sg-0crafted', at)?.rules.length, MAX_SNAPSHOT_RULES);
  assert.deepEqual(aclVersions(db, 'acl-0huge'), [], 'a snapshot past the bound is not parsed');
  db.close();
});
