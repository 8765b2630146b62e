// The two ways to an origin's addresses, agents and regions (origin-rollups.ts) give the same rows in
// the same order, on a case holding both single-event credentials (rolled up from their one event)
// and credentials with roll-up rows, some of them single-event credentials that gained more events in
// a second ingest; and the in-memory order is SQLite's.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAccount } from '../../../../tools/gen/generate.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { tempCase } from '../../../../test-support/temp-case.ts';
import { filesUnder } from '../../../../test-support/files-under.ts';
import { memoryCase } from '../../../../test-support/case-fixtures.ts';
import { binaryOrder, originRollups, rollupsFromEvents, rollupsFromFacets } from './origin-rollups.ts';

const gen = mkdtempSync(join(tmpdir(), 'trailscope-origin-rollups-'));
const c = tempCase('origin-rollups');
after(() => {
  c.cleanup();
  rmSync(gen, { recursive: true, force: true });
});

test('roll-ups read from the events equal those read from the per-credential roll-ups', async () => {
  await generateAccount({ out: gen, events: 3000, flows: 200, seed: 41, shape: { callsPerKey: 2 } });
  const files = filesUnder(join(gen, 'AWSLogs'));
  const half = Math.floor(files.length / 2);
  await ingestPaths(c.db, files.slice(0, half));
  await ingestPaths(c.db, files.slice(half));
  const single = c.db.prepare('SELECT count(*) FROM actor_rows WHERE only_event IS NOT NULL').pluck().get() as number;
  const rolled = c.db.prepare('SELECT count(DISTINCT actor) FROM actor_facet_rows').pluck().get() as number;
  assert.ok(single > 0 && rolled > 0, `both kinds of credentials (${single} single-event, ${rolled} with roll-up rows)`);
  const fromFacets = rollupsFromFacets(c.db);
  assert.ok(fromFacets.length > 100 && new Set(fromFacets.map((r) => r.facet)).size === 3, 'addresses, agents and regions of many origins');
  assert.deepEqual(rollupsFromEvents(c.db), fromFacets);
  assert.deepEqual(originRollups(c.db), fromFacets);
});

test('texts sort in memory as SQLite sorts them (code points, not UTF-16 units)', () => {
  const db = memoryCase();
  const texts = ['b', 'a', '\u{1F600}x', '\uFF21', '\uE000', 'é', 'ab', '', 'A', '\u{10000}'];
  const sqlite = db.prepare(`SELECT value FROM json_each(?) ORDER BY value`).pluck().all(JSON.stringify(texts)) as string[];
  assert.deepEqual([...texts].sort(binaryOrder), sqlite);
  assert.notDeepEqual([...texts].sort(), sqlite, 'the default order differs on these texts');
  db.close();
});
