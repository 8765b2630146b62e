// Remote-access chains on hand-built cases: the interface's groups at the flow's moment derived from
// the calls that set them when no snapshot has the interface, and IPv6 rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertEvents, insertFlows, memoryCase, type TestEvent } from '../../../../test-support/case-fixtures.ts';
import { remoteAccessChains } from './flows-query.ts';
import { cidrMatch } from './cidr.ts';

const admin = { type: 'AssumedRole', arn: 'arn:aws:sts::111111111111:assumed-role/admin/alice', key: 'ASIAADMIN' };
const WEB = 'sg-0web';
const DECOY = 'sg-0decoy';
const ENI = 'eni-0victim';
const INSTANCE = 'i-0victim';

function authorize(id: string, time: string, group: string, permission: Record<string, unknown>): TestEvent {
  return {
    eventId: id, time, name: 'AuthorizeSecurityGroupIngress', identity: admin, ip: '198.51.100.7',
    raw: { requestParameters: { groupId: group, ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, groups: {}, prefixListIds: {}, ipRanges: {}, ipv6Ranges: {}, ...permission }] } } },
    resources: [{ id: group, type: 'security-group', touch: 'modified' }],
  };
}

test('the interface of an instance launched in the case (and gone from the snapshot) is guarded by the groups RunInstances gave it', () => {
  const db = memoryCase();
  insertEvents(db, [
    {
      // A launch template names the groups: the request has none, only the response says which were applied.
      eventId: 'run', time: '2025-03-10T01:00:00Z', name: 'RunInstances', identity: admin, ip: '198.51.100.7',
      raw: {
        requestParameters: { instancesSet: { items: [{ minCount: 1, maxCount: 1 }] }, launchTemplate: { launchTemplateId: 'lt-1' } },
        responseElements: {
          instancesSet: {
            items: [{
              instanceId: INSTANCE, groupSet: { items: [{ groupId: WEB, groupName: 'prod-web' }] },
              networkInterfaceSet: { items: [{ networkInterfaceId: ENI, attachment: { deviceIndex: 0 }, groupSet: { items: [{ groupId: WEB, groupName: 'prod-web' }] } }] },
            }],
          },
        },
      },
      resources: [{ id: INSTANCE, type: 'instance', touch: 'created' }, { id: ENI, type: 'network-interface', touch: 'created' }],
    },
    authorize('open-web', '2025-03-10T02:00:00Z', WEB, { ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }),
    // A more specific rule on a group the instance is not in: it must not be credited with the flow.
    authorize('open-decoy', '2025-03-10T02:10:00Z', DECOY, { ipRanges: { items: [{ cidrIp: '203.0.113.0/24' }] } }),
  ]);
  db.prepare(`INSERT INTO resources (id, type, name) VALUES (?, 'security-group', 'prod-web')`).run(WEB);
  insertFlows(db, [{ eni: ENI, src: '203.0.113.9', dst: '10.0.0.5', srcport: 50000, dstport: 22, start: '2025-03-10T03:00:00Z', instance: INSTANCE }]);

  const [c] = remoteAccessChains(db, { eni: ENI });
  assert.ok(c);
  assert.equal(c.rule?.groupId, WEB);
  assert.equal(c.rule?.groupName, 'prod-web');
  assert.equal(c.rule?.rule.cidr, '0.0.0.0/0');
  assert.equal(c.ruleEvent?.eventId, 'open-web');
  assert.deepEqual(c.interfaceGroups?.groups, [{ groupId: WEB, name: 'prod-web' }]);
  assert.equal(c.interfaceGroups?.basis, 'event');
  assert.equal(c.interfaceGroups?.event?.eventId, 'run');
  assert.deepEqual(c.gaps, []);
});

test('a group swap after launch moves the interface to the new groups from then on', () => {
  const db = memoryCase();
  const OTHER = 'sg-0other';
  insertEvents(db, [
    {
      eventId: 'create-eni', time: '2025-03-10T00:30:00Z', name: 'CreateNetworkInterface', identity: admin,
      raw: { requestParameters: { subnetId: 'subnet-1', groupSet: { items: [{ groupId: OTHER }] } }, responseElements: { networkInterface: { networkInterfaceId: ENI, groupSet: { items: [{ groupId: OTHER, groupName: 'other' }] } } } },
      resources: [{ id: ENI, type: 'network-interface', touch: 'created' }],
    },
    authorize('open-web', '2025-03-10T00:40:00Z', WEB, { ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }),
    {
      eventId: 'swap', time: '2025-03-10T02:00:00Z', name: 'ModifyNetworkInterfaceAttribute', identity: admin,
      raw: { requestParameters: { networkInterfaceId: ENI, groupSet: { items: [{ groupId: WEB }] } } },
      resources: [{ id: ENI, type: 'network-interface', touch: 'modified' }],
    },
  ]);
  insertFlows(db, [
    { eni: ENI, src: '203.0.113.9', dst: '10.0.0.5', srcport: 50000, dstport: 22, start: '2025-03-10T01:00:00Z' },
    { eni: ENI, src: '203.0.113.10', dst: '10.0.0.5', srcport: 50001, dstport: 22, start: '2025-03-10T03:00:00Z' },
  ]);
  const [before, after] = remoteAccessChains(db, { eni: ENI });
  assert.deepEqual(before.interfaceGroups?.groups.map((g) => g.groupId), [OTHER]);
  assert.equal(before.rule, null, 'the interface was not yet in the open group');
  assert.deepEqual(after.interfaceGroups?.groups.map((g) => g.groupId), [WEB]);
  assert.equal(after.interfaceGroups?.event?.eventId, 'swap');
  assert.equal(after.ruleEvent?.eventId, 'open-web');
});

test('IPv6 rules allow IPv6 flows: ::/0 and a narrower prefix, the most specific wins; IPv4 rules do not', () => {
  const db = memoryCase();
  insertEvents(db, [
    {
      eventId: 'run', time: '2025-03-10T01:00:00Z', name: 'RunInstances', identity: admin,
      raw: { requestParameters: { groupSet: { items: [{ groupId: WEB }] } }, responseElements: { instancesSet: { items: [{ instanceId: INSTANCE, groupSet: { items: [{ groupId: WEB }] } }] } } },
      resources: [{ id: INSTANCE, type: 'instance', touch: 'created' }],
    },
    authorize('v4-any', '2025-03-10T01:10:00Z', WEB, { ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }),
    authorize('v6-any', '2025-03-10T01:20:00Z', WEB, { ipv6Ranges: { items: [{ cidrIpv6: '::/0' }] } }),
    authorize('v6-net', '2025-03-10T01:30:00Z', WEB, { ipv6Ranges: { items: [{ cidrIpv6: '2001:db8:aa::/48' }] } }),
  ]);
  insertFlows(db, [
    { eni: ENI, instance: INSTANCE, src: '2001:db8:aa:1::9', dst: '2600:1f18::5', srcport: 50000, dstport: 22, start: '2025-03-10T02:00:00Z' },
    { eni: ENI, instance: INSTANCE, src: '2a05:d018::77', dst: '2600:1f18::5', srcport: 50001, dstport: 22, start: '2025-03-10T02:01:00Z' },
  ]);
  const chains = remoteAccessChains(db, { eni: ENI });
  const by = (src: string) => chains.find((c) => c.flow.srcaddr === src);
  assert.equal(by('2001:db8:aa:1::9')?.rule?.rule.ipv6Cidr, '2001:db8:aa::/48');
  assert.equal(by('2001:db8:aa:1::9')?.ruleEvent?.eventId, 'v6-net');
  assert.equal(by('2a05:d018::77')?.rule?.rule.ipv6Cidr, '::/0');
  assert.equal(by('2a05:d018::77')?.ruleEvent?.eventId, 'v6-any');
});

test('an interface of unrecorded groups: a rule added later is not named for its connections when it took such connections before the rule', () => {
  const db = memoryCase();
  insertEvents(db, [authorize('open-any', '2025-03-10T12:00:00Z', WEB, { ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } })]);
  const BASTION = 'eni-0bastion';
  insertFlows(db, [
    // The bastion the office reaches on 22 all day, through a rule the case does not hold.
    { eni: BASTION, src: '81.2.69.3', dst: '10.0.0.9', srcport: 50000, dstport: 22, start: '2025-03-10T08:00:00Z' },
    { eni: BASTION, src: '81.2.69.4', dst: '10.0.0.9', srcport: 50001, dstport: 22, start: '2025-03-10T13:00:00Z' },
    // The victim, closed to the world until the rule: refused before, let in after.
    { eni: ENI, src: '45.155.205.99', dst: '10.0.0.5', srcport: 50002, dstport: 22, start: '2025-03-10T09:00:00Z', action: 'REJECT' },
    { eni: ENI, src: '185.220.101.34', dst: '10.0.0.5', srcport: 50003, dstport: 22, start: '2025-03-10T12:30:00Z' },
  ]);
  const chains = remoteAccessChains(db, { port: 22 });
  const by = (src: string) => chains.find((c) => c.flow.srcaddr === src)!;
  assert.equal(by('185.220.101.34').ruleEvent?.eventId, 'open-any');
  assert.equal(by('81.2.69.4').rule, null);
  assert.equal(by('81.2.69.4').actor, null);
  assert.ok(by('81.2.69.4').gaps.includes(`${BASTION} took connections on port 22 from outside before ${WEB}'s rule was added at 2025-03-10T12:00:00.000Z: something else let them in, so the rule is not named`),
    by('81.2.69.4').gaps.join('\n'));
  assert.equal(by('81.2.69.3').rule, null, 'before the rule: no known rule');
});

test('CIDR matching across families and notations', () => {
  assert.equal(cidrMatch('203.0.113.9', '0.0.0.0/0'), 0);
  assert.equal(cidrMatch('203.0.113.9', '203.0.113.0/24'), 24);
  assert.equal(cidrMatch('203.0.114.9', '203.0.113.0/24'), -1);
  assert.equal(cidrMatch('2001:db8::1', '::/0'), 0);
  assert.equal(cidrMatch('2001:DB8:0:0:0:0:0:1', '2001:db8::/32'), 32);
  assert.equal(cidrMatch('2001:db9::1', '2001:db8::/32'), -1);
  assert.equal(cidrMatch('2001:db8::1', '0.0.0.0/0'), -1, 'an IPv4 rule never matches an IPv6 address');
  assert.equal(cidrMatch('203.0.113.9', '::/0'), -1, 'nor an IPv6 rule an IPv4 address');
  assert.equal(cidrMatch('::ffff:203.0.113.9', '203.0.113.0/24'), 24, 'IPv4-mapped is IPv4');
  assert.equal(cidrMatch('2001:db8::1', '2001:db8::/129'), -1);
  assert.equal(cidrMatch('not-an-ip', '::/0'), -1);
  assert.equal(cidrMatch('1:2:3:4:5:6:7:8:9', '::/0'), -1);
});
