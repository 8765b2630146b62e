import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffConfigs } from './diff.ts';

const ssh = { ruleId: 'sgr-1', protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '10.0.0.0/16' };
const https = { ruleId: 'sgr-2', protocol: 'tcp', fromPort: 443, toPort: 443, cidr: '0.0.0.0/0' };
const world22 = { ruleId: 'sgr-9', protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' };

test('a rule added at the top shows as that rule added, the others unchanged', () => {
  const rows = diffConfigs({ ingress: [ssh, https] }, { ingress: [world22, ssh, https] });
  assert.ok(rows.length > 0);
  assert.ok(rows.every((r) => r.op === 'added' && r.path.startsWith('ingress[sgr-9]')), JSON.stringify(rows));
  assert.ok(rows.some((r) => r.path === 'ingress[sgr-9].cidr' && r.after === '"0.0.0.0/0"'));
});

test('a removed rule and a changed field are told apart; rules without ids match by content', () => {
  const rows = diffConfigs({ ingress: [{ protocol: 'tcp', fromPort: 80 }], name: 'web' }, { ingress: [], name: 'prod-web' });
  assert.deepEqual(rows.find((r) => r.path === 'name'), { op: 'changed', path: 'name', before: '"web"', after: '"prod-web"' });
  assert.ok(rows.some((r) => r.op === 'removed' && r.path.startsWith('ingress[{')));
});
