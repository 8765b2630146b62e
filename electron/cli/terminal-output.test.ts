// The real `trailscope` command on hostile names and values: a file named with an ANSI sequence, a
// file the ingest rejects (its path and reason printed), records whose user agent, ARN and error code
// carry escapes, bidi overrides and C1 controls, and arguments with escapes. Whatever each command
// prints, on stdout or stderr, holds no raw control character but newline and tab, and the hostile
// characters show as visible escapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { runTrailscope } from '../../test-support/run-cli.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;
const CLI = join(ROOT, 'bin/trailscope.js');
// What a terminal acts on: C0 but newline and tab, DEL, C1 (U+009B is a one-character CSI), line and
// paragraph separators, bidi embeddings, overrides and isolates.
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const ESC = '\u001b';
const HOSTILE_NAME = `trail-${ESC}[31mRED${ESC}]0;pwned\u0007.json`;
const AGENT = `aws-cli ${ESC}[2J${ESC}[1;1Hfake prompt$ \u202egnp.exe\u009b31m\r\n`;

type Output = { code: number | null; out: string; err: string; both: string };

/** The real command in its own process, as a person runs it. */
function spawn(args: string[]): Output {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr, both: r.stdout + r.stderr };
}

/** The same entry (runCli) in this process: each spawn costs seconds of start-up. */
async function run(args: string[]): Promise<Output> {
  const r = await runTrailscope(args);
  return { ...r, both: r.out + r.err };
}

test('every CLI command shows control characters from names, reasons and records as visible escapes', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-terminal-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const record = {
    eventVersion: '1.08',
    eventID: '00000000-0000-4000-8000-000000000001',
    eventTime: '2024-05-01T10:00:00Z',
    eventSource: 'iam.amazonaws.com',
    eventName: `CreateAccessKey${ESC}[8m`,
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.66',
    userAgent: AGENT,
    readOnly: false,
    errorCode: `Denied${ESC}[0m\u202e`,
    recipientAccountId: '111122223333',
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::111122223333:user/mal${ESC}[5mlory`, accountId: '111122223333', userName: 'mallory', accessKeyId: 'AKIAEXAMPLEEXAMPLE01' },
    requestParameters: { userName: `victim${ESC}[31m` },
  };
  writeFileSync(join(dir, HOSTILE_NAME), JSON.stringify({ Records: [record] }));
  // Not a format the ingest knows: rejected, and its path and reason are printed.
  writeFileSync(join(dir, `notes-${ESC}[41m\u202e.json`), JSON.stringify({ hello: `world${ESC}[2J` }));
  // Read in part: a record, then a line cut short; `trailscope info` names it with its first rejected record.
  writeFileSync(join(dir, `partly-${ESC}[32m.jsonl`), [JSON.stringify({ ...record, eventID: '00000000-0000-4000-8000-000000000002' }), `{"eventName": "x${ESC}[2J`].join('\n'));
  const casePath = join(dir, `case-${ESC}[7m.case`);

  const outputs = [
    spawn(['ingest', '--case', casePath, dir]),
    spawn(['info', '--case', casePath]),
    await run(['info', '--case', casePath, '--json']),
    spawn(['timeline', '--case', casePath]),
    await run(['timeline', '--case', casePath, '--format', 'csv']),
    await run(['timeline', '--case', casePath, '--format', 'md']),
    await run(['timeline', '--case', casePath, '--format', 'jsonl']),
    await run(['actor', '--case', casePath, 'AKIAEXAMPLEEXAMPLE01']),
    await run(['actor', '--case', casePath, `nobody${ESC}[31m`]),
    await run(['who-changed', '--case', casePath, `sg-${ESC}]0;title\u0007`]),
    await run(['findings', '--case', casePath]),
    await run(['graph', '--case', casePath]),
    await run([`bogus${ESC}[31m`]),
    await run(['timeline', '--case', casePath, `--no-such-flag${ESC}[31m`]),
  ];
  const [ingest, info, , table, csv] = outputs;
  assert.equal(ingest.code, 3, `one input rejected, the other stored: ${ingest.both}`);
  assert.match(ingest.out, /rejected: .*notes-\\u001b\[41m\\u202e\.json: /, 'the rejected path shows its escapes');
  assert.match(info.out, /case-\\u001b\[7m\.case/, 'the case path shows its escapes');
  assert.match(info.out, /records rejected {2}1 in 1 sources read in part\n {4}1 records rejected in .*partly-\\u001b\[32m\.jsonl \(1 read\), first line 2: invalid JSON/);
  assert.match(table.out, /CreateAccessKey\\u001b\[8m/);
  assert.match(csv.out, /aws-cli \\u001b\[2J\\u001b\[1;1Hfake prompt\$ \\u202egnp\.exe\\u009b31m/);
  for (const [i, o] of outputs.entries()) {
    assert.doesNotMatch(o.out, RAW_CONTROL, `command ${i}: stdout holds a raw control character: ${JSON.stringify(o.out.slice(0, 300))}`);
    assert.doesNotMatch(o.err, RAW_CONTROL, `command ${i}: stderr holds a raw control character: ${JSON.stringify(o.err.slice(0, 300))}`);
    assert.ok(o.both.length > 0, `command ${i} printed something`);
  }
  // --json stays valid JSON: the escapes are JSON's own.
  const json = JSON.parse(outputs[2].out) as { rejectedSources: { path: string }[] };
  assert.ok(json.rejectedSources.some((s) => s.path.endsWith(`notes-${ESC}[41m\u202e.json`)), 'the path round-trips through --json');
});
