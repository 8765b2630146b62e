// Who is behind a key, and when and from where it was first used, is what its events say, whatever the
// order the files arrive in: the readers hand files to the writer as they finish, so event row ids follow
// arrival, not time. The same files ingested in one order and in the reverse order give the same actors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { generateAccount } from '../../../../tools/gen/generate.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { generatedWithCases } from '../../../../test-support/generated-cases.ts';
import { filesUnder } from '../../../../test-support/files-under.ts';
import type { CaseDb } from '../../db/open-case.ts';

const { gen, cases: [forward, reverse] } = generatedWithCases('ingest-order', 'ingest-order-forward', 'ingest-order-reverse');

function actors(db: CaseDb): unknown[] {
  return db.prepare(`SELECT a.actor_key, a.first_seen, a.first_ip, a.proven, a.flags, o.label AS origin
    FROM actors a JOIN origins o ON o.id = a.origin ORDER BY a.actor_key`).all();
}

test('the same files ingested in reverse order give the same actors, first use and address included', async () => {
  // Sessions of many calls spread over many files, so a key's events arrive in both orders.
  await generateAccount({ out: gen, events: 3000, flows: 200, seed: 23, shape: { callsPerKey: 40 } });
  const files = filesUnder(join(gen, 'AWSLogs')).filter((f) => f.includes('/CloudTrail/'));
  assert.ok(files.length > 10, `${files.length} files`);
  await ingestPaths(forward.db, files);
  await ingestPaths(reverse.db, [...files].reverse());
  const a = actors(forward.db);
  assert.ok(a.length > 20, `${a.length} actors`);
  assert.deepEqual(actors(reverse.db), a);
});
