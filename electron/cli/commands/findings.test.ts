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
