// The incident report as an investigator hands it over: one HTML file with no script in which a
// hostile comment and hostile record data are inert text; a redacted report that holds none of the
// case's account ids, addresses, keys or names; and a PDF whose pages render and carry the notes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase } from '../db/open-case.ts';
import { ingestPaths } from '../ingest/pipeline.ts';
import { runTrailscope } from '../../../test-support/run-cli.ts';
import { chromiumPath } from '../headless-chromium.ts';
import { createRedactor } from './redact.ts';
import { openWorkbench } from '../api/open-workbench.ts';
import { removeFolder } from '../../../test-support/remove-folder.ts';

const ACCOUNT = '111122223333';
const IP = '203.0.113.7';
const IP6 = '2001:db8:85a3::8a2e:370:7334';
const KEY = 'AKIAEXAMPLEEXAMPLE01';
const EMAIL = 'mallory.evil@corp.example.com';
const HOSTILE_NOTE = '<script>alert("note")</script><img src=x onerror=alert(2)> first access by the attacker';
const HOSTILE_AGENT = '<script>alert("agent")</script>';

function record(i: number) {
  return {
    eventVersion: '1.08', eventID: `00000000-0000-4000-8000-00000000002${i}`, eventTime: `2024-05-01T10:00:0${i}Z`,
    eventSource: 'iam.amazonaws.com', eventName: i === 0 ? 'CreateAccessKey' : 'ListUsers', awsRegion: 'us-east-1',
    sourceIPAddress: i === 2 ? IP6 : IP, userAgent: HOSTILE_AGENT, readOnly: i !== 0, recipientAccountId: ACCOUNT,
    userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/${EMAIL}`, accountId: ACCOUNT, accessKeyId: KEY,
      sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/Admin`, userName: 'Admin', accountId: ACCOUNT } } },
    requestParameters: { userName: `<img src=x onerror=alert(${i})>` },
  };
}

async function reportCase(t: { after(f: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-report-'));
  t.after(() => removeFolder(dir));
  const file = join(dir, 'trail.json');
  writeFileSync(file, JSON.stringify({ Records: [0, 1, 2].map(record) }));
  const casePath = join(dir, 'r.case');
  const db = openCase(casePath);
  await ingestPaths(db, [file]);
  db.close();
  for (const args of [
    ['note', '--event', record(0).eventID, '--text', HOSTILE_NOTE, '--author', 'ana'],
    ['tag', '--event', record(0).eventID, '--star', '--author', 'ana'],
    ['tag', '--event', record(0).eventID, '--tag', 'attacker', '--author', 'ana'],
    ['tag', '--event', record(2).eventID, '--star', '--author', 'ana'],
    ['note', '--node', `arn:aws:iam::${ACCOUNT}:role/Admin`, '--text', `role used from ${IP} by ${EMAIL}`, '--author', 'bo'],
  ]) {
    const r = await runTrailscope([args[0], '--case', casePath, ...args.slice(1)]);
    assert.equal(r.code, 0, r.err);
  }
  return { dir, casePath };
}

test('the HTML report has no script and shows hostile comments and record data as text', async (t) => {
  const { dir, casePath } = await reportCase(t);
  const out = join(dir, 'report.html');
  const r = await runTrailscope(['report', '--case', casePath, '--out', out]);
  assert.equal(r.code, 0, r.err);
  const html = readFileSync(out, 'utf8');
  // Every tag in the file is one the report writes itself, with no handler and nothing to load.
  const tags = html.match(/<[a-zA-Z!/][^>]*>/g) ?? [];
  const names = new Set(tags.map((tag) => /^<\/?!?([a-zA-Z][a-zA-Z0-9]*)/.exec(tag)![1].toLowerCase()));
  assert.deepEqual([...names].filter((n) => !['doctype', 'html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'h2', 'h3', 'p', 'span', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'br', 'code'].includes(n)), []);
  for (const tag of tags) assert.doesNotMatch(tag, /\s(on\w+|src|href|action)=/i, tag);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
  // The comment is there, escaped, in the notes and on its starred event.
  const escaped = '&#60;script&#62;alert(&#34;note&#34;)&#60;/script&#62;';
  assert.ok(html.split(escaped).length - 1 >= 2, 'the hostile note shows as text in the notes and the starred timeline');
  assert.ok(html.includes('&#60;script&#62;alert(&#34;agent&#34;)') || !html.includes('agent'), 'record data escaped');
  // Starred events, in time order, with their tags; the notes in order with their authors.
  const starred = html.slice(html.indexOf('<h2>Starred events'), html.indexOf('<h2>Evidence manifest'));
  assert.ok(starred.indexOf('CreateAccessKey') < starred.indexOf('ListUsers'));
  assert.match(starred, /#attacker/);
  const notes = html.slice(html.indexOf('<h2>Investigator'), html.indexOf('<h2>Findings'));
  assert.ok(notes.indexOf('<td>ana</td>') > 0 && notes.indexOf('<td>ana</td>') < notes.indexOf('<td>bo</td>'), 'notes in the order written');
  assert.match(html, /Evidence manifest/);
  assert.match(html, /<h3>Inputs not read whole<\/h3>\n<p class="ok">Every input was read whole.<\/p>/);
});

test('the report names the inputs it could not read whole: a file rejected and why, a file read in part with its first rejected record', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-report-inputs-'));
  t.after(() => removeFolder(dir));
  const evidence = join(dir, 'handed-over');
  mkdirSync(evidence);
  writeFileSync(join(evidence, 'trail.json'), JSON.stringify({ Records: [0, 1].map(record) }));
  writeFileSync(join(evidence, 'export.jsonl'), [JSON.stringify(record(2)), '{"eventName": "<img src=x onerror=alert(3)>'].join('\n') + '\n');
  writeFileSync(join(evidence, '<b>readme.txt'), 'collected by the on-call engineer\n');
  const casePath = join(dir, 'r.case');
  const db = openCase(casePath);
  await ingestPaths(db, [evidence]);
  db.close();
  const out = join(dir, 'report.html');
  const r = await runTrailscope(['report', '--case', casePath, '--out', out]);
  assert.equal(r.code, 0, r.err);
  const html = readFileSync(out, 'utf8');
  assert.match(html, /inputs not read whole: <span class="bad">1 rejected<\/span>, <span class="bad">1 records rejected in 1 inputs read in part<\/span>/);
  const section = html.slice(html.indexOf('<h3>Inputs not read whole'));
  const rows = (section.match(/<tr><td>.*?<\/tr>/g) ?? []).map((row) => row.replace(/<[^>]+>/g, '|'));
  assert.equal(rows.length, 2, section);
  assert.match(rows[0], /^\|\|.*&#60;b&#62;readme\.txt\|\|unrecognized format: /, 'the rejected file, its name as text, and why');
  assert.match(rows[1], /export\.jsonl\|\|1\|\|1\|\|line 2: invalid JSON: /, 'the file read in part: one record read, one rejected, the first where and why');
  assert.ok(!section.includes('onerror'), 'a rejected record is never quoted');
});

test('a redacted report contains none of the account ids, addresses, keys, e-mails or names', async (t) => {
  const { dir, casePath } = await reportCase(t);
  const out = join(dir, 'redacted.html');
  const r = await runTrailscope(['report', '--case', casePath, '--out', out, '--redact']);
  assert.equal(r.code, 0, r.err);
  const html = readFileSync(out, 'utf8');
  for (const secret of [ACCOUNT, IP, IP6, KEY, EMAIL, 'mallory', 'role/Admin']) assert.ok(!html.includes(secret), `${secret} is redacted`);
  // Consistent: the account appears under one pseudonym throughout.
  const accounts = new Set(html.match(/acct-[0-9a-f]{10}/g));
  assert.equal(accounts.size, 1);
  assert.match(html, /first access by the attacker/, 'the investigator\'s words stay');
});

test('pseudonyms are keyed: one value, one pseudonym within a report; another key, another pseudonym', () => {
  const a = createRedactor(Buffer.alloc(32, 1));
  const b = createRedactor(Buffer.alloc(32, 2));
  assert.equal(a('event 00000000-0000-4000-8000-000000000020'), 'event 00000000-0000-4000-8000-000000000020', 'an event id is not an account');
  const text = `arn:aws:iam::${ACCOUNT}:user/alice from ${IP} and ${IP}; key ${KEY}; ${EMAIL}; at 2024-05-01T10:00:00.000Z`;
  const ra = a(text);
  assert.equal(ra, a(text));
  assert.notEqual(ra, b(text));
  assert.match(ra, /at 2024-05-01T10:00:00\.000Z$/, 'times are not addresses');
  const ips = ra.match(/ip-[0-9a-f]{10}/g)!;
  assert.equal(ips.length, 2);
  assert.equal(ips[0], ips[1]);
  for (const secret of [ACCOUNT, IP, KEY, EMAIL, 'alice']) assert.ok(!ra.includes(secret), secret);  // The evidence manifest names CloudTrail files by their account.
  assert.doesNotMatch(a(`AWSLogs/${ACCOUNT}/CloudTrail-Digest/us-east-1/${ACCOUNT}_CloudTrail-Digest_us-east-1_trail_20250310T0100Z.json.gz`), new RegExp(ACCOUNT));
});

test('the PDF report renders page by page and holds the notes', async (t) => {
  if (!existsSync(chromiumPath())) {
    if (process.env.CI) assert.fail(`no Chromium at ${chromiumPath()} (set CHROMIUM_PATH)`);
    t.skip(`no Chromium at ${chromiumPath()}`);
    return;
  }
  const { dir, casePath } = await reportCase(t);
  const out = join(dir, 'report.pdf');
  const r = await runTrailscope(['report', '--case', casePath, '--out', out]);
  assert.equal(r.code, 0, r.err);
  assert.equal(readFileSync(out).subarray(0, 5).toString(), '%PDF-');
  // poppler-utils, as a reader's viewer would: every page rasterises, and the text is the report's.
  execFileSync('pdftoppm', ['-r', '40', '-png', out, join(dir, 'page')], { timeout: 60_000 });
  const pages = readdirSync(dir).filter((f) => /^page-\d+\.png$/.test(f));
  assert.ok(pages.length >= 1);
  for (const p of pages) assert.ok(statSync(join(dir, p)).size > 1000, `${p} has content`);
  const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8', timeout: 60_000 });
  assert.match(text, /Incident report/);
  // Table cells wrap lines anywhere: compare without white space.
  const flat = text.replace(/\s+/g, '');
  assert.ok(flat.includes('firstaccessbytheattacker'), 'the note is in the PDF');
  assert.ok(flat.includes('<script>alert("note")</script>'), 'the hostile note is printed as the text it is');
});

test('a finding marked as expected leaves the findings table for the suppressed one, with its reason as text', async (t) => {
  const { dir, casePath } = await reportCase(t);
  const listed = await runTrailscope(['findings', '--case', casePath, '--json']);
  const first = (JSON.parse(listed.out) as { findings: { id: string; title: string }[] }).findings[0];
  assert.ok(first, 'the case raises a finding');
  const s = await runTrailscope(['suppress', '--case', casePath, '--finding', first.id, '--reason', '<b>pentest</b> window', '--author', 'ana']);
  assert.equal(s.code, 0, s.err);
  const out = join(dir, 'report.html');
  assert.equal((await runTrailscope(['report', '--case', casePath, '--out', out])).code, 0);
  const html = readFileSync(out, 'utf8');
  const section = html.slice(html.indexOf('<h3>Suppressed by the investigator'), html.indexOf('<h2>Actor chains'));
  assert.match(section, /marked as expected by ana: &#60;b&#62;pentest&#60;\/b&#62; window/);
});

test("a workbench with its own printer (the desktop app's printToPDF) prints the report's HTML with it, not a Chromium beside it", async (t) => {
  const { casePath } = await reportCase(t);
  const printed: string[] = [];
  const workbench = openWorkbench(casePath, { printPdf: async (html) => (printed.push(html), Buffer.from('%PDF-1.7 printed by the app')) });
  t.after(() => workbench.close());
  const pdf = await workbench.invoke('report:build', { format: 'pdf', redact: false });
  const html = await workbench.invoke('report:build', { format: 'html', redact: false });
  assert.equal(printed.length, 1);
  // The same report but for the moment it was generated.
  const undated = (h: string) => h.replace(/Generated \S+ by Trailscope/, 'Generated … by Trailscope');
  assert.equal(undated(printed[0]), undated(html.content), 'the printer was given the report as the HTML export has it');
  assert.equal(pdf.mime, 'application/pdf');
  assert.equal(Buffer.from(pdf.content, 'base64').toString(), '%PDF-1.7 printed by the app');
});
