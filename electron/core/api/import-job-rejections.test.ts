// What an import's status tells the user about input it could not read whole: the files rejected
// whole with their reasons, and the files read with some records rejected, with where and why the
// first of those were rejected; each list bounded, each count whole. The case's summary says the same
// to whoever opens the case later.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createJobs, JOB_LISTED_FILES } from './jobs.ts';
import { tempCase } from '../../../test-support/temp-case.ts';
import { memoryCase } from '../../../test-support/case-fixtures.ts';
import { openCase } from '../db/open-case.ts';
import { caseSummary } from '../case-info.ts';

const record = (file: number, n: number) => ({
  eventVersion: '1.08', eventTime: `2026-11-0${1 + (n % 9)}T10:00:00Z`, eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances',
  awsRegion: 'us-east-1', eventID: `f${file}-e${n}`, recipientAccountId: '111122223333',
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333' },
});

test('a finished import names the files it rejected and those it read in part, with the first rejected records, and counts past its lists', { timeout: 120_000 }, async (t) => {
  const c = tempCase('import-rejections');
  t.after(() => c.cleanup());
  c.db.close();
  const evidence = join(c.dir, 'evidence');
  mkdirSync(evidence);
  const partlyRead = JOB_LISTED_FILES + 5;
  const unreadable = JOB_LISTED_FILES + 2;
  // Two good records around lines that are not JSON, in JSON Lines as exports write them.
  for (let f = 0; f < partlyRead; f++) {
    const lines = [JSON.stringify(record(f, 1)), '{"eventName": "Cut', JSON.stringify(record(f, 2))];
    if (f === 0) lines.push('not json at all', '[1,', '{}x', JSON.stringify(record(f, 3)));
    writeFileSync(join(evidence, `part-${String(f).padStart(3, '0')}.jsonl`), lines.join('\n') + '\n');
  }
  for (let f = 0; f < unreadable; f++) writeFileSync(join(evidence, `notes-${String(f).padStart(3, '0')}.txt`), 'the admin password is not here\n');

  const jobs = createJobs({ casePath: c.path });
  t.after(() => jobs.closeAll());
  const done = await jobs.settled(jobs.start([evidence]));
  assert.equal(done.state, 'done', done.error ?? '');
  assert.equal(done.records, partlyRead * 2 + 1);

  assert.equal(done.rejectedFiles, unreadable);
  assert.equal(done.rejected.length, JOB_LISTED_FILES);
  for (const r of done.rejected) {
    assert.match(r.path, /notes-\d{3}\.txt$/);
    assert.ok(r.reason.length > 0 && !r.reason.includes('password'), r.reason);
  }

  assert.equal(done.partlyReadFiles, partlyRead);
  assert.equal(done.partlyReadRecords, partlyRead + 3);
  assert.equal(done.partlyRead.length, JOB_LISTED_FILES);
  const first = done.partlyRead.find((f) => f.path.endsWith('part-000.jsonl'));
  assert.ok(first, 'the file with the most rejected records is listed');
  assert.equal(first.records, 3, 'records read');
  assert.equal(first.rejectedRecords, 4);
  // The first three, where and why; the fourth is counted, not named.
  assert.deepEqual(first.rejections.map((r) => r.position), ['line 2', 'line 4', 'line 5']);
  for (const r of first.rejections) assert.match(r.reason, /invalid JSON/);
  for (const f of done.partlyRead) {
    assert.equal(f.rejectedRecords, f === first ? 4 : 1);
    assert.ok(f.rejections.every((r) => !r.reason.includes('Cut')), 'a reason never quotes the input');
  }

  // Opened later, the case says the same (`trailscope info`, the evidence panel): every file read in
  // part (its bound is higher than the import's), each as the import described it, and the counts.
  const db = openCase(c.path, { readonly: true });
  t.after(() => db.close());
  const info = caseSummary(db, c.path);
  assert.equal(info.rejectedCount, unreadable);
  assert.equal(info.partlyReadFiles, partlyRead);
  assert.equal(info.partlyReadRecords, partlyRead + 3);
  assert.equal(info.partlyRead.length, partlyRead);
  const byPath = new Map(info.partlyRead.map((f) => [f.path, f]));
  for (const f of done.partlyRead) assert.deepEqual(byPath.get(f.path), f, f.path);
});

test('a case read whole says so, and has no list to read', () => {
  const db = memoryCase();
  const info = caseSummary(db, '/tmp/whole.case');
  assert.deepEqual([info.rejectedCount, info.partlyReadFiles, info.partlyReadRecords, info.partlyRead], [0, 0, 0, []]);
});
