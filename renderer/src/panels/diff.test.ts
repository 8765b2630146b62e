import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffConfigs } from './diff.ts';

const ssh = { ruleId: 'sgr-1', protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '10.0.0.0/16', ipv6Cidr: null, prefixListId: null, description: null };
const https = { ruleId: 'sgr-2', protocol: 'tcp', fromPort: 443, toPort: 443, cidr: '0.0.0.0/0', ipv6Cidr: null, prefixListId: null, description: null };
const world22 = { ruleId: 'sgr-9', protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0', ipv6Cidr: null, prefixListId: null, peerGroupId: null, description: null };

test('a rule added at the top is one row that sums up its fields, without the null ones; the other rules are unchanged', () => {
  const rows = diffConfigs({ groupId: 'sg-1', ingress: [ssh, https] }, { groupId: 'sg-1', ingress: [world22, ssh, https] });
  assert.equal(rows.length, 1, JSON.stringify(rows));
  const [row] = rows;
  assert.equal(row.op, 'added');
  assert.equal(row.path, 'ingress[sgr-9]');
  assert.equal(row.before, null);
  assert.equal(row.after, 'ruleId: sgr-9, protocol: tcp, fromPort: 22, toPort: 22, cidr: 0.0.0.0/0');
});

test('a removed rule is one row; a rule present on both sides shows one row per changed field', () => {
  const narrowed = { ...https, cidr: '10.0.0.0/8', description: 'office' };
  const rows = diffConfigs({ ingress: [ssh, https] }, { ingress: [narrowed] });
  assert.deepEqual(rows, [
    { op: 'removed', path: 'ingress[sgr-1]', before: 'ruleId: sgr-1, protocol: tcp, fromPort: 22, toPort: 22, cidr: 10.0.0.0/16', after: null },
    { op: 'changed', path: 'ingress[sgr-2].cidr', before: '"0.0.0.0/0"', after: '"10.0.0.0/8"' },
    { op: 'added', path: 'ingress[sgr-2].description', before: null, after: '"office"' },
  ]);
});

test('a removed rule and a changed field are told apart; rules without ids match by content', () => {
  const rows = diffConfigs({ ingress: [{ protocol: 'tcp', fromPort: 80 }], name: 'web' }, { ingress: [], name: 'prod-web' });
  assert.deepEqual(rows.find((r) => r.path === 'name'), { op: 'changed', path: 'name', before: '"web"', after: '"prod-web"' });
  const removed = rows.filter((r) => r.op === 'removed');
  assert.equal(removed.length, 1);
  assert.ok(removed[0].path.startsWith('ingress[{'));
  assert.equal(removed[0].before, 'protocol: tcp, fromPort: 80');
});

test('the first rules of a list that was empty or absent are each one added row', () => {
  const rows = diffConfigs({ name: 'web' }, { name: 'web', ingress: [ssh, https], tags: [{ Key: 'Env', Value: 'prod' }] });
  assert.deepEqual(rows.map((r) => [r.op, r.path]), [['added', 'ingress[sgr-1]'], ['added', 'ingress[sgr-2]'], ['added', 'tags[Env]']]);
  assert.equal(rows[2].after, 'Key: Env, Value: prod');
});

test('lists of plain values are compared as sets: a group swapped onto an instance is one removed and one added value', () => {
  const rows = diffConfigs({ groups: ['sg-a', 'sg-b'] }, { groups: ['sg-b', 'sg-c'] });
  assert.deepEqual(rows, [
    { op: 'removed', path: 'groups["sg-a"]', before: '"sg-a"', after: null },
    { op: 'added', path: 'groups["sg-c"]', before: null, after: '"sg-c"' },
  ]);
});

test('a resource that appears shows its fields; nothing to compare gives no rows', () => {
  assert.deepEqual(diffConfigs(undefined, undefined), []);
  const created = diffConfigs(null, { name: 'web', vpcId: 'vpc-1' });
  assert.deepEqual(created.map((r) => [r.op, r.path, r.after]), [['added', 'name', '"web"'], ['added', 'vpcId', '"vpc-1"']]);
});
