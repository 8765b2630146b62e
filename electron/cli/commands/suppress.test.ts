// trailscope suppress and trailscope sigma on a real case file: what they store is what
// `trailscope findings` then hides or runs; --suppressed lists the hidden findings with their reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { openCase } from '../../core/db/open-case.ts';
import { REAL, loadRecords, readRecords } from '../../../test-support/case-fixtures.ts';
import type { CliCommand } from '../command.ts';
import { UsageError } from '../command.ts';
import { command as findings } from './findings.ts';
import { command as suppress } from './suppress.ts';
import { command as sigma } from './sigma.ts';

const dir = mkdtempSync(join(tmpdir(), 'trailscope-suppress-cli-'));
const casePath = join(dir, 'c.case');
{
  const db = openCase(casePath);
  loadRecords(db, readRecords(join(REAL, 'stratus-red-team', 'aws.defense-evasion.cloudtrail-stop.json')));
  db.close();
}
test.after(() => rmSync(dir, { recursive: true, force: true }));

async function run(cmd: CliCommand, args: string[]) {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (d) => (out += d));
  const code = await cmd.run(['--case', casePath, ...args], { stdout, stderr: new PassThrough(), signal: new AbortController().signal });
  return { code, out };
}

test('suppress a finding by the id findings prints; findings hides it, --suppressed shows why; --remove brings it back', async () => {
  const first = await run(findings, []);
  const id = /id: (cloudtrail-logging-stopped@\S+)/.exec(first.out)?.[1];
  assert.ok(id, first.out);
  const added = await run(suppress, ['--finding', id, '--reason', 'lab trail', '--author', 'ana']);
  assert.match(added.out, new RegExp(`suppressed #1  finding ${id} marked as expected  by ana at \\S+: lab trail`));
  const hidden = await run(findings, []);
  assert.doesNotMatch(hidden.out, /CloudTrail logging stopped:/);
  assert.match(hidden.out, /1 suppressed \(--suppressed lists them\)/);
  const listed = await run(findings, ['--suppressed']);
  assert.match(listed.out, /=== Suppressed \(1\)[\s\S]*CloudTrail logging stopped:[\s\S]*SUPPRESSED #1 \(marked as expected\) by ana at \S+: lab trail/);
  assert.match((await run(suppress, ['--list'])).out, /#1 {2}finding .* marked as expected[\s\S]*1 suppression\n/);
  assert.match((await run(suppress, ['--rule', 'unknown-region', '--actor', 'arn:aws:iam::143434273843:user/christophe', '--reason', 'fake'])).out, /rule unknown-region for arn:aws:iam::143434273843:user\/christophe/);
  assert.equal(JSON.parse((await run(findings, ['--json'])).out).suppressed, 2);
  assert.equal((await run(suppress, ['--remove', '1'])).out, 'removed #1\n');
  assert.match((await run(findings, [])).out, /CloudTrail logging stopped:/);
  await assert.rejects(run(suppress, ['--rule', 'x']), (e: unknown) => e instanceof UsageError && /--reason/.test(e.message));
  await assert.rejects(run(suppress, ['--finding', 'nope', '--reason', 'r']), (e: unknown) => e instanceof UsageError && /not a finding id/.test(e.message));
  await assert.rejects(run(suppress, ['--list', '--remove', '2']), UsageError);
});

test('sigma --load stores a folder whose rules findings then runs; --list names what did not load; --remove forgets it', async () => {
  const rules = join(dir, 'rules');
  mkdirSync(rules);
  writeFileSync(join(rules, 'stop.yml'), 'title: Trail stopped (lab)\nid: lab-stop\nlevel: high\nlogsource: {product: aws, service: cloudtrail}\ndetection: {s: {eventName: StopLogging}, condition: s}\n');
  writeFileSync(join(rules, 'bad.yml'), 'title: b\nlogsource: {product: aws, service: cloudtrail}\ndetection: {s: {eventName|base64: x}, condition: s}\n');
  const loaded = await run(sigma, ['--load', rules]);
  assert.match(loaded.out, /: 1 rules loaded, 1 not loaded/);
  assert.match(loaded.out, /bad\.yml: .*base64/);
  rmSync(rules, { recursive: true });
  const out = (await run(findings, [])).out;
  assert.match(out, /Sigma: 1 rules loaded, 1 not loaded/);
  assert.match(out, /\[HIGH\] \S+ {2}Trail stopped \(lab\)/);
  assert.match((await run(sigma, ['--list'])).out, /1 rules loaded[\s\S]*1 folder\n/);
  assert.match((await run(sigma, ['--remove', rules])).out, /^removed /);
  assert.doesNotMatch((await run(findings, [])).out, /Trail stopped \(lab\)/);
  await assert.rejects(run(sigma, ['--load', join(dir, 'nope')]), (e: unknown) => e instanceof UsageError && /is not a folder/.test(e.message));
});
