// The credential report as a file import delivers it: the readers split the CSV into rows before the
// normalizer sees it, which must give the same users, login profiles and key slots as the CSV text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestPaths } from '../../pipeline.ts';
import { openCase } from '../../../db/open-case.ts';
import { normalizeConfig } from '../normalize-config.ts';
import { csvToObjects } from '../../parse/csv.ts';
import { readJson } from '../../../../../test-support/real-samples.ts';
import { REAL } from '../../../../../test-support/real-data.ts';

const SAMPLE = 'cloudmapper-demo/account-data/demo/us-east-1/iam-get-credential-report.json';

test('rows split by the reader normalize like the CSV text', () => {
  const raw = readJson(SAMPLE) as { Content: string };
  const fromText = normalizeConfig('get-credential-report', raw, 0);
  const fromRows = normalizeConfig('get-credential-report', csvToObjects(raw.Content), 0);
  assert.ok(fromText.resources.length > 0);
  assert.deepEqual(fromRows, fromText);
});

test('an imported credential report file gives its users in the case', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-report-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = openCase(join(dir, 'case.trailscope'));
  t.after(() => db.close());
  await ingestPaths(db, [join(REAL, SAMPLE)]);
  const expected = normalizeConfig('get-credential-report', readJson(SAMPLE), 0).resources.map((r) => r.id).sort();
  const users = db.prepare(`SELECT id FROM resources ORDER BY id`).all() as { id: string }[];
  assert.deepEqual(users.map((u) => u.id), expected);
});
