// graph:paths through the contract's gate: zod-checked input, the engine's answer as a Result.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase } from '../db/open-case.ts';
import { insertEvents } from '../../../test-support/case-fixtures.ts';
import { refreshDerived } from '../analysis/refresh-derived.ts';
import { openWorkbench } from './open-workbench.ts';
import type { PathResult } from '../../../shared/api/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'trailscope-paths-api-'));
const casePath = join(dir, 'c.case');
{
  const db = openCase(casePath);
  insertEvents(db, [{ eventId: 'e1', time: '2025-01-01T00:00:00Z', name: 'TerminateInstances', ip: '198.51.100.2',
    identity: { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/alice', key: 'AKIAALICE0000000000A' }, resources: [{ id: 'i-0abc', type: 'instance', touch: 'deleted' }] }]);
  refreshDerived(db);
  db.close();
}
const wb = openWorkbench(casePath);
after(async () => {
  await wb.close();
  rmSync(dir, { recursive: true, force: true });
});

test('graph:paths answers with the hops; a bad input is refused by the contract', async () => {
  const r = await wb.dispatch('graph:paths', { from: 'arn:aws:iam::111111111111:user/alice', to: 'i-0abc' });
  assert.ok(r.ok, JSON.stringify(r));
  const p = r.value as PathResult;
  assert.deepEqual(p.shortest?.map((h) => [h.kind, h.to, h.eventId]), [['uses-key', 'AKIAALICE0000000000A', 'e1'], ['called', 'i-0abc', 'e1']]);
  const bad = await wb.dispatch('graph:paths', { from: '', to: 'i-0abc', maxHops: 99 });
  assert.equal(bad.ok, false);
});
