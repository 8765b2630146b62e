// An ingest of more inputs than its summary names: every input is counted, the rejected ones past
// the bound are still named, and the case's sources table holds every one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestPaths, LISTED_SOURCES } from './pipeline.ts';
import { tempCase, count } from '../../../test-support/temp-case.ts';
import { readRawEventById } from '../db/raw-events.ts';

test('more inputs than the summary names: all counted by status, those rejected still named, each one in the case', { timeout: 300_000 }, async (t) => {
  const c = tempCase('summary-bounds');
  t.after(() => c.cleanup());
  const input = join(c.dir, 'input');
  mkdirSync(input);
  const good = LISTED_SOURCES + 40;
  for (let i = 0; i < good; i++) {
    const record = { eventVersion: '1.08', eventID: `e-${i}`, eventTime: '2024-05-01T10:00:00Z', eventName: 'DescribeInstances', eventSource: 'ec2.amazonaws.com', awsRegion: 'eu-west-1', userIdentity: { type: 'Root', arn: 'arn:aws:iam::111111111111:root', accountId: '111111111111' } };
    writeFileSync(join(input, `a-${String(i).padStart(6, '0')}.json`), JSON.stringify({ Records: [record] }));
  }
  // Named after the good ones: read past the bound.
  for (const name of ['z-broken.json', 'z-truncated.json']) writeFileSync(join(input, name), '{"Records": [{"eventID": "x", ');

  const summary = await ingestPaths(c.db, [input]);
  assert.deepEqual(summary.inputs, { done: good, rejected: 2, unchanged: 0, skipped: 0 });
  assert.equal(summary.events, good);
  assert.equal(summary.sources.length, LISTED_SOURCES + 2);
  assert.equal(summary.sourcesNotListed, 40);
  assert.deepEqual(summary.sources.filter((s) => s.status === 'rejected').map((s) => s.path.slice(input.length + 1)), ['z-broken.json', 'z-truncated.json']);
  assert.equal(count(c.db, 'sources'), good + 2);
  // Small files travel together (read-worker.ts): each is still a source of its own, with its count,
  // times and evidence, and its record is read back from the raw block it shares.
  assert.equal(count(c.db, 'sources', "status = 'done' AND records = 1 AND first_time IS NOT NULL"), good);
  assert.equal(count(c.db, 'source_evidence'), good);
  assert.equal(readRawEventById(c.db, 'e-5000')?.eventID, 'e-5000');
  assert.ok(count(c.db, 'raw_blocks') < good / 10, `${count(c.db, 'raw_blocks')} raw blocks for ${good} files`);

  // Again: every input already in the case, counted as unchanged, none named past the bound.
  const again = await ingestPaths(c.db, [input]);
  assert.equal(again.inputs.unchanged, good);
  assert.equal(again.duplicates, 0);
  assert.equal(again.sources.length, LISTED_SOURCES + 2);
});
