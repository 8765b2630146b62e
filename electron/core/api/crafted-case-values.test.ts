// A case whose values were changed with the attacker's own SQLite (test-support/crafted-values.ts):
// the schema is Trailscope's, so it opens, and every read call the app makes answers around the
// values. Before, a time of 9e18, a chain that is not JSON, a finding body of `{}`, a list that is not
// JSON and counts past 2^63 each failed whole answers: the case summary every open asks, the details of
// every event of an actor, the findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ingestPaths } from '../ingest/pipeline.ts';
import { openCase } from '../db/open-case.ts';
import { tempCase } from '../../../test-support/temp-case.ts';
import { craftValues } from '../../../test-support/crafted-values.ts';
import { failedAnswers } from '../../../test-support/ask-every-answer.ts';
import { writeFarDatedExport } from '../../../test-support/far-dated-export.ts';
import { realSample } from '../../../test-support/real-data.ts';

test('crafted values in every column: the case opens and every read call answers, for each seed', { timeout: 300_000 }, async (t) => {
  const c = tempCase('crafted');
  t.after(() => c.cleanup());
  const evidence = join(c.dir, 'evidence');
  mkdirSync(evidence);
  writeFarDatedExport(join(evidence, 'export.json'));
  await ingestPaths(c.db, [evidence, realSample('stratus-red-team'), realSample('awsdocs-vpc-user-guide')]);
  c.db.close();
  for (const seed of [1, 2, 3, 4]) {
    const path = join(c.dir, `crafted-${seed}.case`);
    copyFileSync(c.path, path);
    assert.ok(craftValues(path, seed) > 50, 'values changed in many columns');
    assert.deepEqual(await failedAnswers(openCase(path, { readonly: true }), path), [], `seed ${seed}`);
  }
});
