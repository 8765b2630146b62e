// trailscope graph --overview and --snap on a small case file: the folded overview in JSON, --at moved
// to the nearest event, and the flags that cannot go together refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase } from '../../core/db/open-case.ts';
import { insertEvents } from '../../../test-support/case-fixtures.ts';
import { runTrailscope } from '../../../test-support/run-cli.ts';
import type { GraphOverview } from '../../../shared/engine-types.ts';

const dir = mkdtempSync(join(tmpdir(), 'trailscope-graph-'));
const casePath = join(dir, 'c.case');
const SESSION = 'arn:aws:sts::111111111111:assumed-role/deploy/run-1';
{
  const db = openCase(casePath);
  insertEvents(db, [
    { eventId: 'e1', time: '2025-01-01T10:00:00Z', name: 'RunInstances', identity: { type: 'AssumedRole', arn: SESSION, key: 'ASIARUN1000000000000' }, resources: [{ id: 'i-0abc', type: 'instance', touch: 'created' }] },
    { eventId: 'e2', time: '2025-01-01T11:00:00Z', name: 'TerminateInstances', identity: { type: 'AssumedRole', arn: SESSION, key: 'ASIARUN1000000000000' }, resources: [{ id: 'i-0abc', type: 'instance', touch: 'deleted' }] },
  ]);
  db.prepare(`INSERT INTO resources (id, type, account_id) VALUES ('i-0abc', 'instance', '111111111111')`).run();
  db.close();
}
test.after(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) => runTrailscope(['graph', '--case', casePath, ...args]);

test('--overview: the session folded into its role, the service called, the kind with its count', async () => {
  const r = await run(['--overview', '--json']);
  assert.equal(r.code, 0);
  const g = JSON.parse(r.out) as GraphOverview;
  assert.equal(g.nodes.find((n) => n.id === 'arn:aws:iam::111111111111:role/deploy')?.label, 'deploy · 1 session');
  assert.ok(g.edges.some((e) => e.kind === 'called' && e.target === 'service:ec2.amazonaws.com' && e.eventCount === 2));
  assert.equal(g.nodes.find((n) => n.id === 'kinds:111111111111:instance')?.props?.members, 1);
});

test('--snap moves --at to the nearest event; --snap without --at and --node with --overview are usage errors', async () => {
  const snapped = JSON.parse((await run(['--at', '2025-01-01T10:20:00Z', '--snap', '--overview', '--json'])).out) as GraphOverview;
  assert.equal(snapped.at, '2025-01-01T10:00:00.000Z');
  const noTime = await run(['--snap']);
  assert.notEqual(noTime.code, 0);
  assert.match(noTime.err, /--snap moves --at/);
  const both = await run(['--node', 'i-0abc', '--overview']);
  assert.notEqual(both.code, 0);
  assert.match(both.err, /give one/);
});
