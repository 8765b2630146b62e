// The evidence folder is the boundary: links out of it are not followed unless asked, nothing a
// refused file holds reaches the case (its reasons describe, never quote), and inputs that cannot be
// read at all are recorded as rejected sources like any other.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ingestPaths } from './pipeline.ts';
import { assertGoodStored, ingestBeside } from '../../../test-support/ingest-beside.ts';
import { count, tempCase } from '../../../test-support/temp-case.ts';

/** Marks every secret below: it must appear nowhere in the case file. */
const SECRET = 'wJalrXUtnFEMIK7MDENGbPxRfiCYSECRETKEY42';

const rec = (id: string) => ({ eventVersion: '1.08', eventID: id, eventTime: '2024-05-01T10:00:00Z', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances' });

/** The whole case file, WAL folded in, as bytes: what someone handed the case could read. */
function caseBytes(db: ReturnType<typeof tempCase>['db'], path: string): Buffer {
  db.pragma('wal_checkpoint(TRUNCATE)');
  return readFileSync(path);
}

test('a link out of the evidence folder is refused by name and never read; a link inside it is followed', async (t) => {
  const outside = tempCase('outside');
  t.after(() => outside.cleanup());
  const credentials = join(outside.dir, 'credentials');
  writeFileSync(credentials, `[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${SECRET}\n`);
  const trail = join(outside.dir, 'trail.json');
  writeFileSync(trail, JSON.stringify({ Records: [rec('outside-1')] }));
  const outsideFolder = join(outside.dir, 'folder');
  mkdirSync(outsideFolder);
  writeFileSync(join(outsideFolder, 'more.json'), JSON.stringify({ Records: [rec('outside-2')] }));

  const run = await ingestBeside('links', { 'inside/real.json': JSON.stringify({ Records: [rec('inside-1')] }) }, {}, (input) => {
    symlinkSync(credentials, join(input, 'aws-credentials'));
    symlinkSync(trail, join(input, 'trail-link.json'));
    symlinkSync(outsideFolder, join(input, 'folder-link'));
    symlinkSync(join(input, 'inside/real.json'), join(input, 'inside-link.json'));
  });
  t.after(() => run.c.cleanup());
  const reason = 'symbolic link leaves the evidence folder (use --follow-links to read it)';
  for (const name of ['aws-credentials', 'trail-link.json', 'folder-link']) {
    assert.equal(run.source(name).status, 'rejected', name);
    assert.equal(run.source(name).reason, reason, name);
  }
  // Recorded in the case, so `info` and the workbench show what was not read and why.
  assert.equal(count(run.c.db, 'sources', `reason = '${reason}'`), 3);
  assert.equal(run.source('inside/real.json').stored, 1);
  // A link inside the folder is followed: its content is the file it names, already read (stored once).
  assert.ok(['done', 'unchanged'].includes(run.source('inside-link.json').status), run.source('inside-link.json').status);
  assert.equal(run.source('inside-link.json').stored, 0);
  assert.equal(count(run.c.db, 'events', `event_id LIKE 'outside-%'`), 0);
  assertGoodStored(run, { events: 1 });
  assert.equal(caseBytes(run.c.db, run.c.path).indexOf(SECRET), -1, 'the secret reached the case file');

  // Asked to follow links, the same folder reads both outside trails and refuses the credentials file.
  const followed = tempCase('links-followed');
  t.after(() => followed.cleanup());
  const summary = await ingestPaths(followed.db, [run.input], { followLinks: true });
  assert.equal(count(followed.db, 'events', `event_id LIKE 'outside-%'`), 2);
  const creds = summary.sources.find((s) => s.path.endsWith('aws-credentials'))!;
  assert.equal(creds.status, 'rejected');
  // "[default]" opens like JSON; the reason says where it fails and what kind of character is there.
  assert.equal(creds.reason, 'invalid JSON at byte 1: unexpected character: a letter');
  assert.equal(caseBytes(followed.db, followed.path).indexOf(SECRET), -1, 'the secret reached the case file');
});

test('no rejection reason quotes what a refused file holds', async (t) => {
  const files: Record<string, string> = {
    // Text of every kind the readers refuse, each starting with (or made of) the secret.
    'secret.txt': `${SECRET} is the key\n`,
    'secret.yml': `aws_secret_access_key: ${SECRET}\n`,
    'keys.json': JSON.stringify({ [SECRET]: 1, other: 2 }),
    'array.json': JSON.stringify([{ [SECRET]: 1 }]),
    'bad.json': `{"Records": [ {"eventName": ${SECRET}} ]}`,
    'colon.json': `{"${SECRET}" ${SECRET}}`,
    'scalar.json': `"${SECRET}"`,
    'flows.log': `2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 ${SECRET} 6 1 1 1 2 ACCEPT OK\n2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 1 1 2 ACCEPT OK\n`,
    'records.json': JSON.stringify({
      Records: [
        rec('fine'),
        { eventVersion: SECRET, eventTime: 'x' },
        { 'detail-type': SECRET, detail: {} },
        { CloudTrailEvent: `{${SECRET}`, EventTime: 1 },
      ],
    }),
    'lookup.json': JSON.stringify({ Events: [{ CloudTrailEvent: JSON.stringify(rec('lookup')) }, { CloudTrailEvent: `${SECRET}` }] }),
    'lines.jsonl': `${JSON.stringify(rec('line-1'))}\n{"eventName": ${SECRET}}\n${SECRET}\n`,
  };
  const run = await ingestBeside('no-quotes', files);
  t.after(() => run.c.cleanup());
  const reasons = [
    ...(run.c.db.prepare(`SELECT path || ': ' || reason FROM sources WHERE reason IS NOT NULL`).pluck().all() as string[]),
    ...(run.c.db.prepare(`SELECT position || ': ' || reason FROM rejected_records`).pluck().all() as string[]),
  ];
  console.log(reasons.map((r) => `# ${r.replace(run.input, '')}`).join('\n'));
  assert.ok(reasons.length >= 14, `${reasons.length} reasons`);
  for (const r of reasons) {
    assert.ok(!r.includes(SECRET.slice(0, 8)) && !r.includes('SECRET'), r);
    assert.ok(r.length < 300, r);
  }
  assert.equal(caseBytes(run.c.db, run.c.path).indexOf(SECRET), -1, 'the secret reached the case file');
  assertGoodStored(run, { events: 3, flows: 1 });
  assert.equal(run.source('flows.log').stored, 1);
});

test('inputs that cannot be read at all are recorded as rejected sources with their reason', async (t) => {
  const run = await ingestBeside('unreadable', {
    'corrupt.zip': Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 7)]),
    'empty.zip': Buffer.from('PK\u0005\u0006'),
  });
  t.after(() => run.c.cleanup());
  const missing = join(run.input, 'no-such-folder');
  // A path that is not there, given beside the folder, is a source too.
  const again = await ingestPaths(run.c.db, [run.input, missing]);
  const rows = run.c.db.prepare(`SELECT path, status, reason FROM sources WHERE status = 'rejected' ORDER BY path`).all() as { path: string; status: string; reason: string }[];
  const byName = (end: string) => rows.find((r) => r.path.endsWith(end));
  assert.match(byName('corrupt.zip')?.reason ?? '', /^corrupt zip archive: /);
  assert.match(byName('empty.zip')?.reason ?? '', /^corrupt zip archive: /);
  assert.equal(byName('no-such-folder')?.reason, 'no such file or folder');
  // Read twice, still one row each: a rejected source is tried again in place, not added again.
  assert.equal(rows.length, 3);
  assert.equal(again.sources.filter((s) => s.status === 'rejected').length, 3);
  assertGoodStored(run);
});
