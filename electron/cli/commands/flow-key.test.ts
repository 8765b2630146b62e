// The flow conversation key: the same whatever the roll-up window, printed by `trailscope flows`, and
// what `trailscope tag --flow KEY` / `notes --flow KEY` keep annotations under.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempCase } from '../../../test-support/temp-case.ts';
import { insertFlows } from '../../../test-support/case-fixtures.ts';
import { runTrailscope } from '../../../test-support/run-cli.ts';

test('flows print a stable key per conversation; tag and notes take it with --flow', async (t) => {
  const c = tempCase('flowkey');
  t.after(() => c.cleanup());
  insertFlows(c.db, [
    { eni: 'eni-0aa', src: '198.51.100.7', dst: '10.0.0.5', srcport: 50_000, dstport: 22, start: '2024-05-01T10:05:00Z', direction: 'ingress' },
    { eni: 'eni-0aa', src: '198.51.100.7', dst: '10.0.0.5', srcport: 50_001, dstport: 22, start: '2024-05-01T13:40:00Z', direction: 'ingress' },
  ]);
  c.db.close();
  const key = 'eni-0aa|inbound|198.51.100.7|22|6';
  for (const window of ['60', '1440']) {
    const r = await runTrailscope(['flows', '--case', c.path, '--window', window, '--json']);
    assert.equal(r.code, 0, r.err);
    const keys = new Set((JSON.parse(r.out) as { conversations: { key: string }[] }).conversations.map((x) => x.key));
    assert.deepEqual([...keys], [key], `window ${window}`);
  }
  assert.match((await runTrailscope(['flows', '--case', c.path])).out, /eni-0aa\|inbound\|198\.51\.100\.7\|22\|6/);
  assert.equal((await runTrailscope(['tag', '--case', c.path, '--flow', key, '--tag', 'attacker'])).code, 0);
  const notes = JSON.parse((await runTrailscope(['notes', '--case', c.path, '--flow', key, '--json'])).out) as { target: string; targetId: string; value: string }[];
  assert.deepEqual(notes.map((n) => [n.target, n.targetId, n.value]), [['flow', key, 'attacker']]);
});
