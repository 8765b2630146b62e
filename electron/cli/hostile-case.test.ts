// What the analyst sees when a command is pointed at a case changed outside Trailscope: a readable
// refusal on stderr, a failing exit code, and the case exactly as it was. Through runCli, the same
// entry as bin/trailscope.js (which only adds process wiring).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runTrailscope } from '../../test-support/run-cli.ts';
import { EXIT_FAILURE } from './command.ts';
import { EVIDENCE, HOSTILE, genuineCase, hostileCopy } from '../../test-support/hostile-cases.ts';
import { writeFarDatedExport } from '../../test-support/far-dated-export.ts';

let work: string;
let template: string;
before(async () => {
  work = mkdtempSync(join(tmpdir(), 'trailscope-cli-hostile-'));
  template = await genuineCase(join(work, 'genuine.case'));
});
after(() => rmSync(work, { recursive: true, force: true }));

const hostile = (name: RegExp) => HOSTILE.find((h) => name.test(h.name))!;
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

const CASES = [
  { command: 'info', hostile: hostile(/trigger on event_rows/), extra: [] as string[] },
  { command: 'timeline', hostile: hostile(/redefined events view/), extra: [] },
  { command: 'ingest', hostile: hostile(/trigger on event_rows/), extra: [EVIDENCE] },
  { command: 'ingest', hostile: hostile(/ATTACH in the bulk-load marker/), extra: [EVIDENCE] },
  { command: 'info', hostile: hostile(/damaged schema page/), extra: [] },
  { command: 'serve', hostile: hostile(/foreign table/), extra: ['--renderer', 'RENDERER'] },
];

for (const c of CASES) {
  test(`${c.command} on a case with ${c.hostile.name}: a readable refusal, exit 1, the case unchanged`, async (t) => {
    const dir = mkdtempSync(join(work, 'case-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const { path, other } = hostileCopy(template, dir, c.hostile);
    // serve checks for a built renderer before it opens the case: give it a stand-in.
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    const before = { case: sha256(path), other: sha256(other) };
    const { code, out, err } = await runTrailscope([c.command, '--case', path, ...c.extra.map((a) => (a === 'RENDERER' ? dir : a))]);
    assert.equal(code, EXIT_FAILURE, err);
    assert.equal(out, '');
    assert.match(err, new RegExp(`^trailscope ${c.command}: The case file `));
    assert.match(err, c.hostile.says);
    assert.doesNotMatch(err, /\n\s+at /, 'no stack trace');
    assert.equal(sha256(path), before.case);
    assert.equal(sha256(other), before.other);
  });
}

// openCase reads the header and the schema's pages, not every page (that would be a full scan of a
// large case on every command): a damaged data page is met by the query that reads it.
// (info answers from indexes and small tables since migration 0120; the timeline reads the rows.)
test('timeline on a case with a damaged page of events: "the case file is damaged", exit 1', async (t) => {
  const dir = mkdtempSync(join(work, 'page-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'damaged.case');
  copyFileSync(template, path);
  const raw = new Database(path, { readonly: true });
  const page = raw.prepare(`SELECT pageno FROM dbstat WHERE name = 'event_rows' ORDER BY pageno LIMIT 1`).pluck().get() as number;
  const size = raw.pragma('page_size', { simple: true }) as number;
  raw.close();
  const bytes = readFileSync(path);
  bytes.fill(0xa5, (page - 1) * size + 8, page * size);
  writeFileSync(path, bytes);
  const { code, err } = await runTrailscope(['timeline', '--case', path]);
  assert.equal(code, EXIT_FAILURE, err);
  assert.equal(err, 'trailscope timeline: the case file is damaged (SQLITE_CORRUPT: database disk image is malformed)\n');
});

let farDated: Promise<string> | undefined;
/** A fresh copy of a case of the far-dated export (62 events, findings among them), ingested once for the tests that change its values. */
async function farDatedCopy(t: { after(f: () => void): void }, name: string): Promise<string> {
  farDated ??= (async () => {
    const file = join(work, 'far-dated.json');
    writeFarDatedExport(file);
    const path = join(work, 'far-dated.case');
    assert.equal((await runTrailscope(['ingest', '--case', path, file])).code, 0);
    return path;
  })();
  const dir = mkdtempSync(join(work, `${name}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, `${name}.case`);
  copyFileSync(await farDated, path);
  return path;
}

// A value no Trailscope ingest writes but a case file can hold: a time of 9e18 ms, which a JavaScript
// date cannot hold. Such a case had failed the summary every open asks for, the event and the report
// ("Invalid time value"); its times now show at the limit of a date.
test('a case whose stored times lie past what a date holds is read, those times shown at the limit of a date', async (t) => {
  const path = await farDatedCopy(t, 'times');
  const raw = new Database(path);
  const [late, early] = raw.prepare('SELECT id FROM event_rows ORDER BY id LIMIT 2').pluck().all() as number[];
  raw.prepare('UPDATE event_rows SET event_time = ? WHERE id = ?').run(9_000_000_000_000_000_000n, late);
  raw.prepare('UPDATE event_rows SET event_time = ? WHERE id = ?').run(-9_000_000_000_000_000_000n, early);
  raw.prepare('UPDATE stored_findings SET first_time = ?, last_time = ?').run(-9_000_000_000_000_000_000n, 9_000_000_000_000_000_000n);
  raw.close();

  const info = await runTrailscope(['info', '--case', path]);
  assert.equal(info.code, 0, info.err);
  assert.match(info.out, /events from {7}-271821-04-20T00:00:00\.000Z to \+275760-09-13T00:00:00\.000Z\n/);
  const report = await runTrailscope(['report', '--case', path, '--out', `${path}.html`]);
  assert.equal(report.code, 0, report.err);
  const findings = await runTrailscope(['findings', '--case', path]);
  assert.equal(findings.code, 0, findings.err);
  assert.match(findings.out, /-271821-04-20T00:00:00\.000Z/);
  const event = await runTrailscope(['call', '--case', path, 'event:get', JSON.stringify({ id: late })]);
  assert.equal(event.code, 0, event.err);
  assert.equal(JSON.parse(event.out).row.eventTime, '+275760-09-13T00:00:00.000Z');
});

// Values a genuine schema allows but no Trailscope ingest writes, set with the attacker's own SQLite:
// chains that are not JSON, a finding whose body is `{}`, lists that are not JSON, counts past 2^63 in
// all. Each had failed a whole answer (the actor of every event, the findings, the case summary); each
// is now read as what it is, and the rest of the case answers.
test('a case holding values no ingest writes answers around them', async (t) => {
  const path = await farDatedCopy(t, 'values');
  const findingsBefore = (await runTrailscope(['findings', '--case', path])).out;
  const raw = new Database(path);
  const event = raw.prepare('SELECT id FROM event_rows ORDER BY id LIMIT 1').pluck().get() as number;
  const stored = raw.prepare('SELECT seq, title FROM (SELECT seq, json_extract(body, \'$.title\') AS title FROM stored_findings) ORDER BY seq').all() as { seq: number; title: string }[];
  assert.ok(stored.length >= 2, 'the export raises findings');
  raw.exec(`UPDATE chain_shapes SET shape = '{"a":'`);
  raw.prepare('UPDATE stored_findings SET body = ? WHERE seq = ?').run('{}', stored[0].seq);
  raw.exec(`UPDATE stored_findings SET actor_terms = 'not json', accounts = 'not json'`);
  raw.prepare('UPDATE source_rows SET rejected_records = ?').run(2n ** 62n);
  raw.close();

  const info = await runTrailscope(['info', '--case', path]);
  assert.equal(info.code, 0, info.err);
  const detail = await runTrailscope(['call', '--case', path, 'event:get', JSON.stringify({ id: event })]);
  assert.equal(detail.code, 0, detail.err);
  const actor = JSON.parse(detail.out).actor;
  assert.deepEqual(actor.chain, [], 'no chain is made up');
  assert.match(actor.flags.at(-1).detail, /^The chain or flags stored in the case file for this actor are not as Trailscope wrote them/);
  const findings = await runTrailscope(['findings', '--case', path]);
  assert.equal(findings.code, 0, findings.err);
  assert.ok(!findings.out.includes(stored[0].title) && findings.out.includes(stored[1].title), 'the finding without a body is left out, the others listed');
  assert.ok(findingsBefore.includes(stored[0].title));
  const byActor = await runTrailscope(['call', '--case', path, 'findings:list', JSON.stringify({ actor: 'arn:aws:iam::111122223333:user/mallory' })]);
  assert.equal(byActor.code, 0, byActor.err);
  assert.deepEqual(JSON.parse(byActor.out).findings, [], 'lists that are not JSON match nothing');
});
