// Migration 139 on a case of the previous version: a credential's roll-ups keep their values as ids
// into strings, the actor_facets view answers what it answered before, a value the case never interned
// is interned rather than lost, and a later ingest adds to the same roll-ups.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openCase, type CaseDb } from '../open-case.ts';
import { tempCase } from '../../../../test-support/temp-case.ts';
import { schemaAt } from '../../../../test-support/schema-at.ts';
import { loadRecords } from '../../../../test-support/case-fixtures.ts';

const A = '111122223333';
const alice = { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/alice`, accountId: A, accessKeyId: 'AKIA3V4QW7ZXALICEK01', userName: 'alice' };
const AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64';
const rec = (id: string, name: string, ip: string, time: string, error?: string) => ({
  eventVersion: '1.10', eventID: id, eventTime: time, eventSource: 'iam.amazonaws.com', eventName: name, awsRegion: 'us-east-1',
  sourceIPAddress: ip, userAgent: AGENT, recipientAccountId: A, userIdentity: alice, ...(error ? { errorCode: error } : {}),
});
/** What the view says of alice's credential, in a stable order. */
const facets = (db: CaseDb) => db.prepare(`SELECT f.facet, f.value, f.count, f.errors, f.first_seen, f.last_seen FROM actor_facets f
  JOIN actor_rows a ON a.id = f.actor WHERE a.actor_key = ? ORDER BY 1, 2`).raw().all(alice.accessKeyId);

test('a version 138 case keeps its roll-ups as ids, the view answers as before, and later events add to them', (t) => {
  const c = tempCase('migration-139');
  t.after(() => c.cleanup());
  loadRecords(c.db, [rec('e1', 'ListUsers', '198.51.100.7', '2024-06-01T10:00:00Z'), rec('e2', 'CreateUser', '198.51.100.7', '2024-06-01T10:05:00Z'),
    rec('e3', 'AttachUserPolicy', '203.0.113.9', '2024-06-01T10:06:00Z', 'AccessDenied')]);
  const before = facets(c.db);
  assert.deepEqual(before.map((r) => (r as unknown[]).slice(0, 3)), [['error', 'AccessDenied', 1], ['ip', '198.51.100.7', 2], ['ip', '203.0.113.9', 1],
    ['name', 'AttachUserPolicy', 1], ['name', 'CreateUser', 1], ['name', 'ListUsers', 1], ['region', 'us-east-1', 3], ['ua', AGENT, 3]]);
  // As version 138 left it: the values as text, one of them a text the case's strings do not hold.
  schemaAt(c.db, 138);
  c.db.exec(`UPDATE actor_facet_rows SET value = 'eu-gamma-9' WHERE facet = 'region'`);
  assert.equal(c.db.prepare(`SELECT count(*) FROM strings WHERE value = 'eu-gamma-9'`).pluck().get(), 0);
  c.db.pragma('user_version = 138');
  c.db.close();

  const db = openCase(c.path);
  t.after(() => db.close());
  assert.deepEqual(facets(db), before.map((r) => ((r as unknown[])[0] === 'region' ? ['region', 'eu-gamma-9', ...(r as unknown[]).slice(2)] : r)),
    'the view names every value as before; the one the case lacked is interned');
  assert.equal(db.prepare(`SELECT count(*) FROM actor_facet_rows f LEFT JOIN strings s ON s.id = f.value WHERE s.id IS NULL`).pluck().get(), 0, 'every value an id of strings');
  assert.equal(db.prepare(`SELECT typeof(value) FROM actor_facet_rows GROUP BY 1`).pluck().get(), 'integer');

  // A later ingest finds the migrated rows by the same ids: counts grow, no second row for a value.
  loadRecords(db, [rec('e4', 'CreateUser', '198.51.100.7', '2024-06-01T11:00:00Z'), rec('e1', 'ListUsers', '198.51.100.7', '2024-06-01T10:00:00Z')]);
  const after = new Map(facets(db).map((r) => [`${(r as unknown[])[0]} ${(r as unknown[])[1]}`, (r as unknown[])[2]]));
  assert.equal(after.get('ip 198.51.100.7'), 3);
  assert.equal(after.get('name CreateUser'), 2);
  assert.equal(after.get(`ua ${AGENT}`), 4);
  assert.equal(after.get('name ListUsers'), 1, 'the event read again is not counted again');
  assert.equal(db.prepare(`SELECT count(*) FROM actor_facet_rows GROUP BY actor, facet, value HAVING count(*) > 1`).all().length, 0);
});
