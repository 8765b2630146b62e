// Migration 146 on a case of the previous version: the events' search index, written again from the
// events without positions, holds every word for the same events as the index an ingest of today writes,
// and a search finds what it found before.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { openCase, type CaseDb } from '../open-case.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { schemaAt } from '../../../../test-support/schema-at.ts';
import { tempCase } from '../../../../test-support/temp-case.ts';
import { REAL } from '../../../../test-support/real-data.ts';
import { timelinePage } from '../../analysis/timeline/timeline-query.ts';

/** Every word of the index with the number of events that hold it. */
function words(db: CaseDb): unknown[] {
  db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.events_fts_words USING fts5vocab(main, events_fts, 'row')`);
  return db.prepare('SELECT term, doc FROM temp.events_fts_words ORDER BY term').raw().all();
}

const SEARCHES = ['AssumeRole', 'ec2.amazonaws.com', 'AccessDenied', 'Client.UnauthorizedOperation', 'i-786a3A8B5C0d92eF4', 'ssm.amazonaws.com christophe', 'christophe'];

test('a version 145 case gets its search index without positions, the same words for the same events as an ingest writes today', async (t) => {
  const c = tempCase('migration-146');
  t.after(() => c.cleanup());
  await ingestPaths(c.db, [join(REAL, 'stratus-red-team'), join(REAL, 'trailscraper'), join(REAL, 'awsdocs-cloudtrail-user-guide')]);
  const today = words(c.db);
  assert.ok(today.length > 300, `${today.length} words`);
  const found = SEARCHES.map((text) => timelinePage(c.db, { text, limit: 500 }).rows.map((r) => r.eventId));
  assert.ok(found.every((ids) => ids.length > 0), 'each search finds events');

  schemaAt(c.db, 145);
  c.db.pragma('user_version = 145');
  assert.doesNotMatch(c.db.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'events_fts'`).pluck().get() as string, /detail/);
  c.db.close();
  const db = openCase(c.path);
  t.after(() => db.close());
  assert.match(db.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'events_fts'`).pluck().get() as string, /detail = none/);
  assert.deepEqual(words(db), today);
  assert.deepEqual(SEARCHES.map((text) => timelinePage(db, { text, limit: 500 }).rows.map((r) => r.eventId)), found);
});
