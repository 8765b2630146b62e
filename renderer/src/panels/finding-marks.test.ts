// What the timeline badges and the graph rings are drawn from: the worst severity per event and per
// node, from unsuppressed findings only, on the nodes a finding names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding, ResolvedActor } from '../../../shared/api/types.ts';
import { findingMarks } from './finding-marks.ts';

const actor = {
  arn: 'arn:aws:sts::1:assumed-role/admin/s', origin: { id: 'arn:aws:iam::1:user/eve', label: 'user/eve' },
  chain: [{ id: 'arn:aws:sts::1:assumed-role/admin/s', accessKeyId: 'ASIAEXAMPLE' }, { id: 'arn:aws:iam::1:user/eve', accessKeyId: 'AKIAEXAMPLE' }],
} as unknown as ResolvedActor;

function finding(p: Partial<Finding>): Finding {
  return { kind: 'exposure', category: 'defense-evasion', severity: 'medium', title: 't', detail: '', firstTime: '', lastTime: '', count: 1, eventIds: [], eventNames: [], sourceIPAddress: null, value: null, errorCode: null, actor: null, ...p };
}

test('the worst severity per event and node; suppressed findings mark nothing', () => {
  const m = findingMarks([
    finding({ severity: 'medium', title: 'new address', eventIds: ['e1', 'e2'], actor, sourceIPAddress: '203.0.113.9' }),
    finding({ severity: 'high', title: 'group opened', eventIds: ['e2'], actor, value: 'sg-1' }),
    finding({ severity: 'critical', title: 'hidden', eventIds: ['e3'], value: 'i-1', suppressed: { id: 1, scope: 'finding', ruleId: 'r', target: 'x', reason: 'ok', author: 'a', at: '' } }),
  ]);
  assert.deepEqual(m.events.get('e1'), { severity: 'medium', titles: ['new address'] });
  assert.deepEqual(m.events.get('e2'), { severity: 'high', titles: ['new address', 'group opened'] });
  assert.equal(m.events.has('e3'), false);
  assert.equal(m.nodes.get('arn:aws:iam::1:user/eve'), 'high');
  assert.equal(m.nodes.get('ASIAEXAMPLE'), 'high');
  assert.equal(m.nodes.get('ip/203.0.113.9'), 'medium');
  assert.equal(m.nodes.get('sg-1'), 'high');
  assert.equal(m.nodes.has('i-1'), false);
});

test('a finding of flow records rings its instance, its interfaces and its source address', () => {
  const m = findingMarks([finding({ kind: 'port-scan', severity: 'medium', sourceIPAddress: '10.0.1.5', value: '10.0.1.5',
    flows: { source: '10.0.1.5', accountId: '111122223333', interfaces: ['eni-0a', 'eni-0d'], instanceId: 'i-0a', records: 30, rejected: 29 } })]);
  assert.deepEqual([...m.nodes.keys()].sort(), ['10.0.1.5', 'eni-0a', 'eni-0d', 'i-0a', 'ip/10.0.1.5']);
});
