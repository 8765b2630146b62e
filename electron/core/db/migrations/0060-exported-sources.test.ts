// Migration 60 on a case written by the previous version: its sources and events stay as they were,
// with no read-as note and no derived-id mark (their ids were CloudTrail's own).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openCase } from '../open-case.ts';
import { caseAtVersion } from '../../../../test-support/case-at-version.ts';
import { LATEST_VERSION } from './index.ts';

test('a version 40 case gains sources.read_as and event_rows.event_id_derived, its rows untouched', (t) => {
  const { path, raw } = caseAtVersion(t, 40);
  raw.exec(`INSERT INTO sources (id, path, sha256, size, kind, status, started_at) VALUES (1, 'old.json', 'h', 1, 'cloudtrail', 'done', 0);
    INSERT INTO strings (id, value) VALUES (1, 'ec2.amazonaws.com'), (2, 'RunInstances');
    INSERT INTO event_rows (event_id, event_time, event_source, event_name, source_id, raw_block, raw_index) VALUES ('e-1', 1, 1, 2, 1, 1, 0);`);
  raw.close();

  const db = openCase(path);
  assert.equal(db.pragma('user_version', { simple: true }), LATEST_VERSION);
  assert.deepEqual(db.prepare('SELECT path, read_as FROM sources').all(), [{ path: 'old.json', read_as: null }]);
  assert.deepEqual(db.prepare('SELECT e.event_id, e.event_source, r.event_id_derived FROM events e JOIN event_rows r ON r.id = e.id').all(), [
    { event_id: 'e-1', event_source: 'ec2.amazonaws.com', event_id_derived: null },
  ]);
  db.close();
});
