// trailscope findings on a real case file: incidents first, blind windows, rule and technique per
// finding; --rules adds the Sigma rules of a folder and lists the files it could not load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { openCase } from '../../core/db/open-case.ts';
import { REAL, loadRecords, readRecords } from '../../../test-support/case-fixtures.ts';
import { UsageError } from '../command.ts';
import { command } from './findings.ts';

const dir = mkdtempSync(join(tmpdir(), 'trailscope-findings-cli-'));
const casePath = join(dir, 'c.case');
{
  const db = openCase(casePath);
  loadRecords(db, readRecords(join(REAL, 'stratus-red-team', 'aws.defense-evasion.cloudtrail-stop.json')));
  db.close();
}
const rules = join(dir, 'rules');
test.after(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (d) => (out += d));
  const code = await command.run(['--case', casePath, ...args], { stdout, stderr: new PassThrough(), signal: new AbortController().signal });
  return { code, out };
}

test('findings prints the blind window, then the incident with the rule and ATT&CK id of each finding', async () => {
  const { code, out } = await run([]);
  assert.equal(code, 0);
  assert.match(out, /\[BLIND\] 2024-\S+ → 2024-\S+ \(end of data\)\s+trail stratus-red-team-ct-stop-trail-buykxbqejv stopped/);
  assert.match(out, /=== Incident 1 \[HIGH\]/);
  assert.match(out, /CloudTrail logging stopped: stratus-red-team-ct-stop-trail-buykxbqejv/);
  assert.match(out, /rule cloudtrail-logging-stopped T1562\.008/);
  assert.match(out, /proof: requestParameters\.name = stratus-red-team-ct-stop-trail-buykxbqejv/);
  assert.ok(out.indexOf('[BLIND]') < out.indexOf('=== Incident 1'));
});

test('--rules DIR adds the Sigma hits and names the rules it could not load; a missing folder is a usage error', async () => {
  mkdirSync(rules);
  writeFileSync(join(rules, 'stop.yml'), `title: Trail stopped (lab)
id: 11111111-2222-3333-4444-555555555555
level: high
author: lab
tags: [attack.defense-evasion, attack.t1562.008]
logsource: {product: aws, service: cloudtrail}
detection:
  selection: {eventSource: cloudtrail.amazonaws.com, eventName|startswith: Stop}
  condition: selection
`);
  writeFileSync(join(rules, 'count.yml'), 'title: c\nlogsource: {product: aws, service: cloudtrail}\ndetection: {s: {eventName: x}, condition: s | count() > 3}\n');
  const { code, out } = await run(['--rules', rules]);
  assert.equal(code, 0);
  assert.match(out, /Sigma: 1 rules loaded, 1 not loaded/);
  assert.match(out, /count\.yml: aggregation '\| count\(\) > 3' in the condition is not supported/);
  assert.match(out, /\[HIGH\] \S+ {2}Trail stopped \(lab\) by user\/christophe/);
  assert.match(out, /Sigma 11111111-2222-3333-4444-555555555555 \(stop\.yml, level high\) T1562\.008/);
  const json = JSON.parse((await run(['--rules', rules, '--json'])).out);
  assert.equal(json.sigma.loaded, 1);
  assert.ok(json.findings.some((f: { rule?: { id: string } }) => f.rule?.id === '11111111-2222-3333-4444-555555555555'));
  await assert.rejects(run(['--rules', join(dir, 'nope')]), (e: unknown) => e instanceof UsageError && /is not a folder/.test(e.message));
});

test('findings reads the findings stored in the case, a page at a time: --limit and --offset walk the list', async () => {
  const many = join(dir, 'many.case');
  const db = openCase(many);
  loadRecords(db, readRecords(join(REAL, 'stratus-red-team', 'aws.defense-evasion.cloudtrail-stop.json')));
  loadRecords(db, readRecords(join(REAL, 'stratus-red-team', 'aws.defense-evasion.cloudtrail-delete.json')), 'delete.json');
  db.exec('DELETE FROM stored_findings; DELETE FROM stored_findings_parts');
  db.close();
  const page = async (args: string[]) => {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (d) => (out += d));
    await command.run(['--case', many, ...args], { stdout, stderr: new PassThrough(), signal: new AbortController().signal });
    return out;
  };
  // The first ask of a case without stored findings computes and stores them.
  const whole = JSON.parse(await page(['--json']));
  const check = openCase(many, { readonly: true });
  assert.equal(check.prepare('SELECT count(*) FROM stored_findings').pluck().get(), whole.total);
  check.close();
  assert.ok(whole.total >= 2, `two findings or more (${whole.total})`);
  const first = JSON.parse(await page(['--json', '--limit', '1']));
  const second = JSON.parse(await page(['--json', '--limit', '1', '--offset', '1']));
  assert.deepEqual([first.findings[0].id, second.findings[0].id], whole.findings.slice(0, 2).map((f: { id: string }) => f.id));
  assert.equal(first.total, whole.total);
  const text = await page(['--limit', '1']);
  assert.match(text, new RegExp(`Findings 1–1 of ${whole.total}; --offset 1 for the next page`));
  assert.match(text, new RegExp(`^${whole.total} findings:`));
  await assert.rejects(page(['--limit', '0']), (e: unknown) => e instanceof UsageError && /--limit takes a whole number/.test(e.message));
});
