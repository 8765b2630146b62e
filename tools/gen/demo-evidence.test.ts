// The bundled demo is what a newcomer opens first, and `trailscope verify` is one of the first things an
// investigator runs: its CloudTrail files must agree with its digests. A rebuild writes new gzip bytes
// (and a new signing key), so keeping some files of one build beside digests of another breaks every
// hash: assets/demo/README.md says to keep a build's files together.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { memoryCase } from '../../test-support/case-fixtures.ts';
import { ingestPaths } from '../../electron/core/ingest/pipeline.ts';
import { verifyEvidence } from '../../electron/core/evidence/verify-evidence.ts';

const LOGS = new URL('../../assets/demo/AWSLogs/111122223333/', import.meta.url).pathname;

test('the demo\'s CloudTrail files agree with its digests, and the digests chain', async () => {
  const db = memoryCase();
  await ingestPaths(db, [join(LOGS, 'CloudTrail'), join(LOGS, 'CloudTrail-Digest')], { readers: 1 });
  const { counts, problems } = verifyEvidence(db);
  db.close();
  assert.deepEqual(problems.slice(0, 3), []);
  assert.equal(counts.contradicted, 0);
  assert.equal(counts.chainBroken, 0);
  assert.ok(counts.verified >= 60, `${counts.verified} files verified against the digests of the first three hours`);
});
