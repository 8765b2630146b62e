// Anything the app can ask, the command line can ask, and the reverse: this walks the contract
// (shared/api/schemas.ts) and the command list, so a new call without a CLI way to make it, or a new
// command with no counterpart in the app, fails here. The calls no command makes by name are made
// through `trailscope call` on a real case file, which proves they answer from the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CALL_NAMES, type CallName } from '../../shared/api/index.ts';
import { COMMANDS } from './commands/index.ts';
import { openCase } from '../core/db/open-case.ts';
import { REAL, loadRecords, readRecords } from '../../test-support/case-fixtures.ts';
import { runTrailscope } from '../../test-support/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'trailscope-reach-'));
const casePath = join(dir, 'c.case');
{
  const db = openCase(casePath);
  loadRecords(db, readRecords(join(REAL, 'stratus-red-team', 'aws.defense-evasion.cloudtrail-stop.json')));
  db.close();
}
test.after(() => rmSync(dir, { recursive: true, force: true }));

const named = (c: (typeof COMMANDS)[number]) => (c.name === 'call' ? [] : [...c.calls, ...(c.mirrors?.calls ?? [])]);
const byCommand = new Set<CallName>(COMMANDS.flatMap(named));

// An input for each call that no command makes by name: answered through `trailscope call`.
const THROUGH_CALL: Partial<Record<CallName, unknown>> = {
  'graph:savePositions': { key: 'reach-test', positions: { 'sg-1': { x: 1, y: 2 } } },
  'graph:loadPositions': { key: 'reach-test', wait: false },
  'timeline:histogram': { filter: { includeReadOnly: true }, buckets: 10 },
  'event:get': { id: 1 },
  'event:field': { id: 1, path: [] },
  'job:current': {},
  'export:timeline': { filter: { includeReadOnly: true }, format: 'csv' },
};

test('every contract call is made by a command, or answers through `trailscope call`', async () => {
  for (const name of CALL_NAMES) {
    if (byCommand.has(name)) continue;
    assert.ok(name in THROUGH_CALL, `${name}: no command makes it; give it a command or an input in THROUGH_CALL`);
    const r = await runTrailscope(['call', '--case', casePath, name, JSON.stringify(THROUGH_CALL[name])]);
    assert.equal(r.code, 0, `${name}: ${r.err}`);
    assert.ok(r.out.trim().length > 0, `${name} printed nothing`);
  }
  // A saved layout read back from the command line is the one written from it.
  const loaded = await runTrailscope(['call', '--case', casePath, 'graph:loadPositions', '{"key":"reach-test","wait":false}']);
  assert.deepEqual(JSON.parse(loaded.out), { 'sg-1': { x: 1, y: 2 } });
});

test('every command but the server makes a contract call: what the command line does, the app can do', () => {
  for (const c of COMMANDS) {
    if (c.name === 'serve') continue;
    assert.ok(c.calls.length + (c.mirrors?.calls.length ?? 0) > 0, `trailscope ${c.name} has no counterpart in the app's contract`);
    for (const name of named(c)) assert.ok(CALL_NAMES.includes(name), `trailscope ${c.name} names an unknown call ${name}`);
  }
});

test('commands that make contract calls never open the case themselves', () => {
  for (const c of COMMANDS) {
    if (c.mirrors || c.calls.length === 0) continue;
    const source = readFileSync(new URL(`./commands/${c.name}.ts`, import.meta.url), 'utf8');
    assert.doesNotMatch(source, /openCase|openForQuery|core\/analysis\/(?!prepared)|core\/annotations\//, `trailscope ${c.name} reaches the engine around the service`);
  }
});

test('a refused input is a usage error that names the call and the field', async () => {
  const r = await runTrailscope(['call', '--case', casePath, 'graph:paths', '{"from":"a"}']);
  assert.equal(r.code, 2);
  assert.match(r.err, /graph:paths: to: /);
  const unknown = await runTrailscope(['call', '--case', casePath, 'case:drop', '{}']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /no call named 'case:drop'/);
});
