// A case file made by an earlier release opens in this one: its migrations run and the schema check
// passes. test-support/released-cases/ holds a small case from each release whose schema changed (34
// events of a Stratus Red Team capture, ingested by that release's `trailscope ingest`). A migration
// numbered below one a release already applied would never run on such a case, and the schema check
// would refuse it as modified: this is the test that says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase } from './open-case.ts';
import { LATEST_VERSION } from './migrations/index.ts';
import { readRawEvent } from './raw-events.ts';
import { runTrailscope } from '../../../test-support/run-cli.ts';

const RELEASED = new URL('../../../test-support/released-cases/', import.meta.url);
const cases = readdirSync(RELEASED).filter((f) => f.endsWith('.case.gz'));

test('there is a released case to open', () => assert.ok(cases.length >= 1));

for (const file of cases) {
  test(`${file}: opens, migrates to the latest schema and answers as before`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'trailscope-released-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, file.replace(/\.gz$/, ''));
    writeFileSync(path, gunzipSync(readFileSync(new URL(file, RELEASED))));
    const db = openCase(path);
    assert.equal(db.pragma('user_version', { simple: true }), LATEST_VERSION);
    assert.equal(db.prepare('SELECT count(*) FROM events').pluck().get(), 34);
    assert.ok((db.prepare('SELECT count(*) FROM actor_facets').pluck().get() as number) > 0, 'the roll-ups read as before');
    // Its records were compressed by that release's codec (deflate before zstd): each still reads back whole.
    const ids = db.prepare('SELECT id FROM events').pluck().all() as number[];
    assert.deepEqual(ids.filter((id) => typeof readRawEvent(db, id)?.eventID !== 'string'), [], 'every stored record reads back');
    db.close();
    const timeline = await runTrailscope(['timeline', '--case', path, '--format', 'json']);
    assert.equal(timeline.code, 0, timeline.err);
    assert.equal((JSON.parse(timeline.out) as unknown[]).length, 34);
  });

  test(`${file}: read-only commands read it before anything opened it for writing`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'trailscope-released-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, file.replace(/\.gz$/, ''));
    writeFileSync(path, gunzipSync(readFileSync(new URL(file, RELEASED))));
    // The code reads the newest schema only (tables of later migrations): the case is brought up to date first.
    const info = await runTrailscope(['info', '--case', path, '--json']);
    assert.equal(info.code, 0, info.err);
    assert.equal((JSON.parse(info.out) as { events: number }).events, 34);
    const overview = await runTrailscope(['graph', '--case', path, '--overview', '--json']);
    assert.equal(overview.code, 0, overview.err);
    const db = openCase(path, { readonly: true });
    assert.equal(db.pragma('user_version', { simple: true }), LATEST_VERSION);
    db.close();
  });
}
