// Sessions named per run (migration 0147): an account whose ECS tasks each assume their service's role
// under the task's own id, a new key for every call, ingested from its files. Every task's key resolves
// to its service, reads back its own session name, and the tasks of one service share one chain shape:
// a shape row per key, before, for every one of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { generateAccount } from '../../../../tools/gen/generate.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { generatedWithCases } from '../../../../test-support/generated-cases.ts';
import { storedChain } from './stored-chain.ts';

const { gen, cases: [c] } = generatedWithCases('session-shapes', 'session-shapes');

test('an ECS task\'s key reads back its own session, and one service\'s tasks share one shape', async () => {
  await generateAccount({ out: gen, events: 4000, flows: 200, seed: 5, shape: { callsPerKey: 1, ecsServices: 3 } });
  await ingestPaths(c.db, [join(gen, 'AWSLogs')]);
  const tasks = c.db.prepare(`SELECT a.actor_key AS key, a.session_name AS session, a.session_issuer_arn AS role, a.chain, r.chain_shape AS shape
    FROM actors a JOIN actor_rows r ON r.id = a.id WHERE a.session_issuer_arn LIKE '%-task-role'`).all() as
    { key: string; session: string; role: string; chain: string; shape: number }[];
  assert.ok(tasks.length > 100, `${tasks.length} task keys`);
  assert.equal(new Set(tasks.map((t) => t.session)).size, tasks.length, 'a session of its own for every key');
  for (const t of tasks) {
    const [session, service] = storedChain(t.chain, '[]').chain;
    assert.equal(session.id, `${t.role.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/${t.session}`, t.key);
    assert.equal(session.accessKeyId, t.key);
    assert.deepEqual([service.kind, service.id], ['aws-service', 'ecs-tasks.amazonaws.com'], t.key);
  }
  const shapesPerRole = new Map<string, Set<number>>();
  for (const t of tasks) shapesPerRole.set(t.role, (shapesPerRole.get(t.role) ?? new Set()).add(t.shape));
  assert.equal(shapesPerRole.size, 3);
  for (const [role, shapes] of shapesPerRole) assert.equal(shapes.size, 1, role);
});
