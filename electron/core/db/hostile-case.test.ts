// A case is data, never code. Each hostile case is refused on every kind of open, with a message that
// says what was found; nothing outside the case is created or changed, and the case keeps its bytes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openCase } from './open-case.ts';
import { beginBulkLoad } from './bulk-load.ts';
import { ForeignCaseError } from './foreign-case-error.ts';
import { DamagedCaseError } from './damaged-case-error.ts';
import { CaseVersionError } from './case-version-error.ts';
import { HOSTILE, genuineCase, hostileCopy } from '../../../test-support/hostile-cases.ts';
import { ingestPaths } from '../ingest/pipeline.ts';
import { insertEvents } from '../../../test-support/case-fixtures.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
const ERRORS = { foreign: ForeignCaseError, newer: CaseVersionError, damaged: DamagedCaseError };

let work: string;
let template: string;
before(async () => {
  work = mkdtempSync(join(tmpdir(), 'trailscope-hostile-'));
  template = await genuineCase(join(work, 'genuine.case'));
});
after(() => rmSync(work, { recursive: true, force: true }));

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Every file in a folder with its hash: what "nothing outside the case changed" compares. */
function snapshot(dir: string): Map<string, string> {
  return new Map(readdirSync(dir).map((name) => [name, sha256(join(dir, name))]));
}

/**
 * The folder after a refused open holds what it held before, byte for byte. Opening a WAL-mode file
 * read-only leaves SQLite's own -wal and -shm beside it; the -wal must be empty (nothing written).
 */
function assertUntouched(dir: string, before: Map<string, string>, casePath: string): void {
  const now = snapshot(dir);
  for (const [name, hash] of before) assert.equal(now.get(name), hash, `${name} changed`);
  const companions = [`${casePath}-wal`, `${casePath}-shm`].map((p) => p.slice(dir.length + 1));
  const created = [...now.keys()].filter((n) => !before.has(n));
  assert.deepEqual(created.filter((n) => !companions.includes(n)), [], 'nothing is created beside the case');
  if (existsSync(`${casePath}-wal`)) assert.equal(statSync(`${casePath}-wal`).size, 0, 'nothing was written to the case');
}

for (const hostile of HOSTILE) {
  test(`refused: ${hostile.name}`, (t) => {
    const dir = mkdtempSync(join(work, 'case-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const { path } = hostileCopy(template, dir, hostile);
    const before = snapshot(dir);
    for (const readonly of [false, true]) {
      const mode = readonly ? 'read-only' : 'writable';
      let refusal: unknown = null;
      try {
        openCase(path, { readonly }).close();
      } catch (err) {
        refusal = err;
      }
      // First what the open did (or would have done, had it not refused), then what it said.
      assert.equal(existsSync(join(dir, 'authorized_keys')), false, `${mode} open: nothing is written outside the case`);
      assertUntouched(dir, before, path);
      assert.ok(refusal instanceof ERRORS[hostile.kind], `${mode} open: ${String(refusal)}`);
      const message = refusal.message;
      assert.match(message, hostile.says);
      assert.ok(message.includes(path), 'the message names the file');
      assert.match(message, /(did not change it|the file was not changed)/);
      if (hostile.kind === 'foreign') assert.match(message, /was modified outside Trailscope/);
      assert.doesNotMatch(message, /[\u0000-\u001f]/, 'no raw control characters from the case reach the message');
    }
  });
}

test('a genuine case opens writable and read-only; its schema is unchanged by opening', (t) => {
  const dir = mkdtempSync(join(work, 'genuine-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { path } = hostileCopy(template, dir, { name: 'none', says: /./, kind: 'foreign', build: () => {} });
  const ro = openCase(path, { readonly: true });
  const events = ro.prepare('SELECT count(*) FROM events').pluck().get() as number;
  assert.ok(events > 0);
  ro.close();
  const rw = openCase(path);
  assert.equal(rw.prepare('SELECT count(*) FROM events').pluck().get(), events);
  rw.close();
});

test('every connection runs with trusted_schema off, in defensive mode, checking cell sizes, without a memory map', (t) => {
  const dir = mkdtempSync(join(work, 'flags-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'flags.case');
  openCase(path).close();
  for (const readonly of [false, true]) {
    const db = openCase(path, { readonly });
    try {
      assert.equal(db.pragma('trusted_schema', { simple: true }), 0);
      assert.equal(db.pragma('cell_size_check', { simple: true }), 1);
      assert.equal(db.pragma('mmap_size', { simple: true }), 0);
      // Defensive mode: the schema cannot be written, even with writable_schema asked for.
      db.pragma('writable_schema = ON');
      assert.throws(() => db.exec(`UPDATE sqlite_schema SET sql = sql WHERE name = 'events'`), /may not be modified|readonly/);
    } finally {
      db.close();
    }
  }
});

test('a case cut short while it is open (a removed disk, a share gone away) fails that read with an error, not the process', (t) => {
  const dir = mkdtempSync(join(work, 'cut-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // Enough events that reading them takes many pages, the first read before the cut.
  const path = join(dir, 'cut.case');
  const db = openCase(path);
  insertEvents(db, Array.from({ length: 3000 }, (_, i) => ({ eventId: `cut-${i}`, time: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
    name: 'DescribeInstances', identity: { type: 'IAMUser', arn: `arn:aws:iam::111111111111:user/u${i}` }, ua: `agent/${i}` })));
  db.close();
  // In a process of its own: were the case read through a memory map, the pages past the new end would
  // be a SIGBUS, which ends the process (it would end the test runner here).
  const script = `
    import { truncateSync } from 'node:fs';
    import { openCase } from ${JSON.stringify(join(ROOT, 'electron/core/db/open-case.ts'))};
    const db = openCase(${JSON.stringify(path)}, { readonly: true });
    try {
      // Cut while a read is under way, as a disk removed in the middle of one would.
      let cut = false;
      for (const row of db.prepare('SELECT * FROM event_rows').iterate()) {
        if (!cut) truncateSync(${JSON.stringify(path)}, 8192);
        cut = true;
      }
      console.log('read');
    } catch (err) {
      console.log('refused:', err.code);
    }`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', cwd: ROOT });
  assert.equal(r.signal, null, `the process was ended by ${r.signal}`);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^refused: SQLITE_(CORRUPT|IOERR)/m);
});

test('a case killed mid-bulk-load opens read-only without its indexes, and writable gets them back from the code', (t) => {
  const dir = mkdtempSync(join(work, 'bulk-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'bulk.case');
  const fresh = openCase(path);
  const indexes = () => fresh.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name`).pluck().all() as string[];
  const all = indexes();
  assert.equal(beginBulkLoad(fresh), true);
  const during = indexes();
  assert.ok(!during.includes('event_rows_time') && !during.includes('flows_content'), 'the event and flow indexes are dropped');
  assert.ok(!during.includes('credentials_caller_role') && !during.includes('event_resources_event'), 'so are the secondary indexes of credentials and links');
  assert.ok(during.includes('strings_value') && during.includes('sqlite_autoindex_credential_rows_1'), 'the unique keys the upserts rely on stay');
  // The state a kill leaves: marker and dropped indexes committed, nothing rebuilt.
  fresh.close();

  const ro = openCase(path, { readonly: true });
  assert.deepEqual(ro.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name`).pluck().all(), during);
  const marker = JSON.parse(ro.prepare(`SELECT value FROM case_meta WHERE key = 'bulk_load_dropped_indexes'`).pluck().get() as string) as unknown;
  assert.ok(Array.isArray(marker) && marker.every((n) => typeof n === 'string'), 'the marker names indexes and holds no SQL');
  ro.close();

  const rw = openCase(path);
  assert.deepEqual(rw.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name`).pluck().all(), all);
  assert.equal(rw.prepare(`SELECT count(*) FROM case_meta WHERE key = 'bulk_load_dropped_indexes'`).pluck().get(), 0);
  rw.close();
});

// Rows a rebuilt unique index refuses (the one known cause, two eventIDs differing in a lone surrogate,
// is now kept out by the load): the case says so in words at each writable open, stays as it was, and
// still opens read-only.
test('a mid-load case whose events repeat an eventID is refused for writing in words, unchanged, and opens read-only', (t) => {
  const dir = mkdtempSync(join(work, 'bulk-dup-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'dup.case');
  const fresh = openCase(path);
  assert.equal(beginBulkLoad(fresh), true);
  const carol = { type: 'IAMUser', arn: 'arn:aws:iam::333333333333:user/carol' };
  insertEvents(fresh, [
    { eventId: 'same-id', time: '2025-01-01T00:00:00Z', name: 'DescribeInstances', identity: carol },
    { eventId: 'same-id', time: '2025-01-01T00:00:01Z', name: 'DescribeInstances', identity: carol },
  ]);
  fresh.close();
  const before = createHash('sha256').update(readFileSync(path)).digest('hex');
  for (let i = 0; i < 2; i++) {
    assert.throws(() => openCase(path), /^Error: The indexes of the case file .*dup\.case cannot be rebuilt after its load, since rows repeat a key they must not \(UNIQUE constraint failed: event_rows\.event_id\)\. It opens read-only; no ingest can write to it\.$/);
  }
  assert.equal(createHash('sha256').update(readFileSync(path)).digest('hex'), before, 'the case keeps its bytes');
  const ro = openCase(path, { readonly: true });
  assert.equal(ro.prepare('SELECT count(*) FROM event_rows').pluck().get(), 2);
  ro.close();
});

test('a marker from earlier builds ({name, sql} holding exactly Trailscope\'s SQL) still opens and is rebuilt', (t) => {
  const dir = mkdtempSync(join(work, 'legacy-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'legacy.case');
  openCase(path).close();
  const raw = new Database(path);
  const indexes = raw.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL AND tbl_name = 'event_rows'`).all() as { name: string; sql: string }[];
  raw.prepare(`INSERT INTO case_meta (key, value) VALUES ('bulk_load_dropped_indexes', ?)`).run(JSON.stringify(indexes));
  for (const i of indexes) raw.exec(`DROP INDEX "${i.name}"`);
  raw.close();
  const db = openCase(path);
  const now = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'event_rows'`).pluck().all();
  assert.deepEqual(new Set(now), new Set(indexes.map((i) => i.name)));
  db.close();
});

test('statistics gathered by SQLite (ANALYZE) are allowed', (t) => {
  const dir = mkdtempSync(join(work, 'stats-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'stats.case');
  const db = openCase(path);
  db.exec('ANALYZE');
  db.close();
  openCase(path, { readonly: true }).close();
});

// The whole demo (5,000 events) takes ~10 s to ingest here: this takes every kind of input from it
// (configuration, CloudTrail, digests, flow logs) with a slice of the logs. bench/open-case.bench.ts
// opens the whole demo case and a large one.
test('the bundled demo account, ingested, opens writable and read-only', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(work, 'demo-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'demo.case');
  const logs = join(ROOT, 'assets/demo/AWSLogs/111122223333');
  const slice = (folder: string) => readdirSync(join(logs, folder)).sort().slice(0, 6).map((f) => join(logs, folder, f));
  const inputs = [
    join(ROOT, 'assets/demo/config'),
    join(logs, 'CloudTrail-Digest/us-east-1'),
    ...slice('CloudTrail/us-east-1/2025/03/10'),
    ...slice('vpcflowlogs/us-east-1/2025/03/10'),
  ];
  const db = openCase(path);
  const summary = await ingestPaths(db, inputs, { readers: 1 });
  db.close();
  assert.ok(summary.events > 50 && summary.flows > 50 && summary.resources > 50, JSON.stringify(summary));
  for (const readonly of [true, false]) {
    const again = openCase(path, { readonly });
    assert.equal(again.prepare('SELECT count(*) FROM events').pluck().get(), summary.events);
    again.close();
  }
});

// ATTACH cannot be limited from JavaScript (better-sqlite3 does not expose sqlite3_limit for it):
// what keeps it out is that no SQL from a case runs, and that Trailscope's own code never issues it.
test('no Trailscope code attaches a database', () => {
  const offenders: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|tsx|js|cjs|mjs)$/.test(p) && !/\.test\.ts$|test-support/.test(p) && /\bATTACH\s+(DATABASE\b|['"`$?:@])/i.test(readFileSync(p, 'utf8'))) offenders.push(p);
    }
  };
  for (const d of ['electron', 'shared', 'tools', 'bench']) walk(join(ROOT, d));
  assert.deepEqual(offenders, []);
});
