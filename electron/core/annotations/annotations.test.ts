// Annotations as an investigator uses them through `trailscope note/tag/notes` and the workbench API:
// they survive closing the case and ingesting the same logs again, travel into every timeline export,
// and a hostile comment (or author) stays text everywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase } from '../db/open-case.ts';
import { ingestPaths } from '../ingest/pipeline.ts';
import { openWorkbench } from '../api/open-workbench.ts';
import { runTrailscope } from '../../../test-support/run-cli.ts';
import type { Annotation, ExportResult, TimelinePage } from '../../../shared/api/types.ts';
import { removeFolder } from '../../../test-support/remove-folder.ts';

const EVENT = (i: number) => `00000000-0000-4000-8000-00000000001${i}`;
const HOSTILE_NOTE = '=HYPERLINK("http://evil.example","x") <script>alert(1)</script> | `code` \u001b[31m\nsecond line';
const HOSTILE_AUTHOR = '@SUM(1+1)';

function record(i: number) {
  return {
    eventVersion: '1.08', eventID: EVENT(i), eventTime: `2024-05-01T10:00:0${i}Z`, eventSource: 'ec2.amazonaws.com',
    eventName: 'AuthorizeSecurityGroupIngress', awsRegion: 'us-east-1', sourceIPAddress: '203.0.113.7', userAgent: 'aws-cli/2',
    readOnly: false, recipientAccountId: '111122223333',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/mallory', accountId: '111122223333', userName: 'mallory', accessKeyId: 'AKIAEXAMPLEEXAMPLE01' },
    requestParameters: { groupId: `sg-0000000${i}` },
  };
}

async function caseWithEvents(t: { after(f: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-notes-'));
  t.after(() => removeFolder(dir));
  const file = join(dir, 'trail.json');
  writeFileSync(file, JSON.stringify({ Records: [0, 1, 2].map(record) }));
  const casePath = join(dir, 'notes.case');
  const db = openCase(casePath);
  await ingestPaths(db, [file]);
  db.close();
  return { dir, file, casePath };
}

async function ok(args: string[]): Promise<string> {
  const r = await runTrailscope(args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
  return r.out;
}

test('notes, tags and a star survive reopen and re-ingest, in order, with author and time', async (t) => {
  const { dir, file, casePath } = await caseWithEvents(t);
  await ok(['note', '--case', casePath, '--event', EVENT(1), '--text', 'opened SSH to the world', '--author', 'ana']);
  await ok(['tag', '--case', casePath, '--event', EVENT(1), '--tag', 'Suspicious', '--author', 'ana']);
  await ok(['tag', '--case', casePath, '--event', EVENT(1), '--tag', 't1078.004', '--author', 'ana']);
  await ok(['tag', '--case', casePath, '--event', EVENT(1), '--star', '--author', 'ana']);
  // Setting the same tag again keeps one.
  await ok(['tag', '--case', casePath, '--event', EVENT(1), '--tag', 'suspicious', '--author', 'bo']);
  await ok(['note', '--case', casePath, '--node', 'sg-00000001', '--text', 'the group the attacker opened', '--author', 'bo']);

  // The same logs again, and a copy under another name: every event is stored once, marks unchanged.
  copyFileSync(file, join(dir, 'copy.json'));
  const db = openCase(casePath);
  await ingestPaths(db, [file, join(dir, 'copy.json')]);
  db.close();

  const list = JSON.parse(await ok(['notes', '--case', casePath, '--json'])) as Annotation[];
  assert.deepEqual(list.map((a) => [a.target, a.targetId, a.kind, a.value, a.author]), [
    ['event', EVENT(1), 'note', 'opened SSH to the world', 'ana'],
    ['event', EVENT(1), 'tag', 'suspicious', 'ana'],
    ['event', EVENT(1), 'tag', 'T1078.004', 'ana'],
    ['event', EVENT(1), 'star', '', 'ana'],
    ['node', 'sg-00000001', 'note', 'the group the attacker opened', 'bo'],
  ]);
  for (const a of list) assert.match(a.at, /^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
  // Searchable: a word of a comment finds it.
  const found = JSON.parse(await ok(['notes', '--case', casePath, '--json', '--search', 'ATTACKER'])) as Annotation[];
  assert.deepEqual(found.map((a) => a.targetId), ['sg-00000001']);

  // Carried into the exports of the timeline.
  // To a file, as a spreadsheet user writes it (the terminal shows a CR as an escape).
  await ok(['timeline', '--case', casePath, '--format', 'csv', '--out', join(dir, 'out.csv')]);
  const csv = readFileSync(join(dir, 'out.csv'), 'utf8');
  const [header, ...lines] = csv.trim().split('\r\n');
  assert.match(header, /^"eventTime","starred","tags","notes","eventName"/);
  const marked = lines.find((l) => l.includes(EVENT(1)))!;
  assert.ok(marked.startsWith('"2024-05-01T10:00:01.000Z","yes","suspicious T1078.004","ana (' + list[0].at + '): opened SSH to the world",'), marked);
  assert.ok(lines.find((l) => l.includes(EVENT(0)))!.startsWith('"2024-05-01T10:00:00.000Z","","","",'));
  const jsonl = (await ok(['timeline', '--case', casePath, '--format', 'jsonl'])).trim().split('\n').map((l) => JSON.parse(l) as { event_id: string; tag?: string[]; comment?: string[] });
  const ts = jsonl.find((r) => r.event_id === EVENT(1))!;
  assert.deepEqual(ts.tag, ['starred', 'suspicious', 'T1078.004']);
  assert.deepEqual(ts.comment, [`ana (${list[0].at}): opened SSH to the world`]);
  const md = await ok(['timeline', '--case', casePath, '--format', 'md']);
  assert.match(md, /★; #suspicious; #T1078\.004; ana \(.*\): opened SSH to the world \|/);
});

test('bad targets and bad tags are refused with the reason', async (t) => {
  const { casePath } = await caseWithEvents(t);
  // The service refuses the input: a usage error (exit 2) that says why.
  const unknown = await runTrailscope(['note', '--case', casePath, '--event', 'no-such-event', '--text', 'x']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /no event with eventID 'no-such-event'/);
  const badTag = await runTrailscope(['tag', '--case', casePath, '--event', EVENT(0), '--tag', '=1+1']);
  assert.equal(badTag.code, 2);
  assert.match(badTag.err, /not a tag/);
  const two = await runTrailscope(['note', '--case', casePath, '--event', EVENT(0), '--node', 'x', '--text', 'x']);
  assert.equal(two.code, 2);
  const noCase = await runTrailscope(['note', '--case', `${casePath}.typo`, '--event', EVENT(0), '--text', 'x']);
  assert.equal(noCase.code, 1);
  assert.match(noCase.err, /no case file/);
});

test('a hostile comment and author are inert in every export and in the API answers', async (t) => {
  const { casePath } = await caseWithEvents(t);
  await ok(['note', '--case', casePath, '--event', EVENT(2), '--text', HOSTILE_NOTE, '--author', HOSTILE_AUTHOR]);
  const listed = await ok(['notes', '--case', casePath]);
  assert.doesNotMatch(listed, /\u001b/, 'no raw escape reaches the terminal');

  const wb = openWorkbench(casePath);
  t.after(() => wb.close());
  const page = await wb.dispatch('timeline:page', { filter: { includeReadOnly: true } });
  assert.ok(page.ok);
  const row = (page.value as TimelinePage).rows.find((r) => r.eventId === EVENT(2))!;
  assert.equal(row.marks?.notes[0].text, HOSTILE_NOTE, 'the page gets the comment as text, exactly');

  const added = await wb.dispatch('notes:add', { target: 'event', targetId: EVENT(0), kind: 'tag', value: 'evidence' });
  assert.ok(added.ok, JSON.stringify(added));
  const refused = await wb.dispatch('notes:add', { target: 'event', targetId: EVENT(0), kind: 'tag', value: '<b>x</b>' });
  assert.ok(!refused.ok && refused.error.kind === 'invalid-input', JSON.stringify(refused));

  const exported = async (format: string) => {
    const r = await wb.dispatch('export:timeline', { filter: { includeReadOnly: true }, format });
    assert.ok(r.ok, JSON.stringify(r));
    return (r.value as ExportResult).content;
  };
  const csv = await exported('csv');
  // The notes cell starts with the author: guarded like any cell that could start a formula.
  assert.ok(csv.includes(`"'${HOSTILE_AUTHOR} (`), csv);
  assert.ok(csv.includes('"evidence"'));
  const md = await exported('markdown');
  assert.doesNotMatch(md, /<script/i);
  const body = md.split('\n').filter((l) => l.startsWith('| 2024'));
  assert.equal(body.length, 3, 'a newline in a comment does not add a row');
  for (const line of body) assert.equal(line.split(/(?<!\\)\|/).length - 2, 8, line);
  const jsonl = (await exported('jsonl')).trim().split('\n').map((l) => JSON.parse(l) as { event_id: string; comment?: string[] });
  assert.ok(jsonl.find((r) => r.event_id === EVENT(2))!.comment![0].endsWith(HOSTILE_NOTE));
});
