// Incidents named so an investigator can tell them apart: in an organisation's case each account has its
// own user/ci-deployer, and an incident of one must not read as another's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ActorOrigin, Finding } from '../../../../shared/engine-types.ts';
import { groupIncidents } from './incidents.ts';

const origin = (account: string, name: string, withAccount = true): ActorOrigin => ({
  kind: 'iam-user', id: `arn:aws:iam::${account}:user/${name}`, label: `user/${name}`, accountId: withAccount ? account : null, proven: true,
});
const finding = (o: ActorOrigin, hour: number): Finding => ({
  kind: 'credential-access', category: 'credential-access', severity: 'medium', title: `Parameters read by ${o.label}`, detail: '',
  firstTime: `2025-03-10T${String(hour).padStart(2, '0')}:00:00.000Z`, lastTime: `2025-03-10T${String(hour).padStart(2, '0')}:00:00.000Z`,
  count: 1, eventIds: [`e-${o.id}-${hour}`], eventNames: ['GetParameter'], sourceIPAddress: null, value: null, errorCode: null,
  actor: { arn: o.id, origin: o, chain: [], flags: [] },
});

test('incidents of origins that share a label name their accounts; a label of one origin stays as it is', () => {
  const incidents = groupIncidents([finding(origin('111122223333', 'ci-deployer'), 1), finding(origin('192666905715', 'ci-deployer'), 2),
    finding(origin('111122223333', 'alice'), 3)]);
  assert.deepEqual(incidents.map((i) => i.label).sort(),
    ['user/alice', 'user/ci-deployer (account 111122223333)', 'user/ci-deployer (account 192666905715)']);
  assert.ok(incidents.every((i) => i.summary.startsWith(`${i.label}: `)));
});

test('the stored list, which knows an origin by its id and label, names the account its ARN holds', () => {
  const incidents = groupIncidents([finding(origin('111122223333', 'ci-deployer', false), 1), finding(origin('192666905715', 'ci-deployer', false), 2)]);
  assert.deepEqual(incidents.map((i) => i.label).sort(), ['user/ci-deployer (account 111122223333)', 'user/ci-deployer (account 192666905715)']);
});
