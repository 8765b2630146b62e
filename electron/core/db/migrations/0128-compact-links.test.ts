// Migration 128 on a case stored by the previous version: every link between an event and a resource
// reads back through the `event_resources` view exactly as it was (hostile texts included), lookups by
// resource and by event still find them, and every credential reads back through the `credentials`
// view as it was (rowid included) while its caller indexes hold only the keys a caller ARN or key asked for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openCase } from '../open-case.ts';
import { caseAtVersion } from '../../../../test-support/case-at-version.ts';
import { LATEST_VERSION } from './index.ts';

const LINKS: [resource: string, event: number, type: string, touch: string][] = [
  ['ASIAONE0000000000001', 1, 'access-key', 'created'],
  ['arn:aws:iam::111122223333:role/web', 1, 'role', 'used'],
  ['arn:aws:sts::111122223333:assumed-role/web/i-0abc', 1, 'session', 'created'],
  ['arn:aws:iam::111122223333:role/web', 2, 'role', 'used'],
  // Texts already interned for other reasons, and hostile ones: quotes, control characters, an empty id.
  ['us-east-1', 3, 'region\u0001', "it's"],
  ['","', 3, '', 'read'],
  ['', 4, 'bucket', 'modified'],
];

test('a version 127 case keeps every event-resource link and credential as it was', (t) => {
  const { path, raw } = caseAtVersion(t, 127);
  raw.prepare(`INSERT INTO strings (value) VALUES ('us-east-1')`).run();
  const link = raw.prepare('INSERT INTO event_resources (resource_id, event, resource_type, touch) VALUES (?, ?, ?, ?)');
  for (const l of LINKS) link.run(...l);
  const cred = raw.prepare(`INSERT INTO credentials (access_key_id, kind, issued_event, issued_at, role_arn, caller_arn, caller_type, caller_key)
    VALUES (?, 'AssumeRole', 1, ?, 'arn:aws:iam::111122223333:role/web', ?, ?, ?)`);
  cred.run('ASIAONE0000000000001', 5, null, 'AWSService', null);
  cred.run('ASIATWO0000000000002', 6, 'arn:aws:iam::111122223333:user/alice', 'IAMUser', 'AKIAALICE');
  const links = raw.prepare('SELECT * FROM event_resources ORDER BY resource_id, event').all();
  const credentials = raw.prepare('SELECT *, rowid FROM credentials ORDER BY access_key_id').all();
  raw.close();

  const db = openCase(path);
  assert.equal(db.pragma('user_version', { simple: true }), LATEST_VERSION);
  assert.deepEqual(db.prepare('SELECT resource_id, event, resource_type, touch FROM event_resources ORDER BY resource_id, event').all(), links);
  assert.deepEqual(db.prepare('SELECT * FROM credentials ORDER BY access_key_id').all(), credentials, 'every column, the rowid too');
  assert.deepEqual(db.prepare('SELECT event FROM event_resources WHERE resource_id = ? ORDER BY event').pluck().all('arn:aws:iam::111122223333:role/web'), [1, 2]);
  assert.deepEqual(db.prepare('SELECT resource_id FROM event_resources WHERE event = ? ORDER BY resource_id').pluck().all(3), ['","', 'us-east-1']);
  assert.deepEqual(db.prepare(`SELECT touch FROM event_resources WHERE resource_id = ''`).pluck().all(), ['modified']);
  // Stored as ids: each text once in strings, whatever number of links name it.
  assert.equal(db.prepare(`SELECT count(*) FROM strings WHERE value = 'us-east-1'`).pluck().get(), 1);
  assert.equal(db.prepare(`SELECT count(DISTINCT resource) FROM event_resource_rows`).pluck().get(), 6);
  // The texts are ids; the caller indexes hold the key a user asked for, not the one a service asked for.
  assert.equal(db.prepare(`SELECT count(*) FROM credential_rows WHERE typeof(role_arn) = 'integer' AND typeof(kind) = 'integer'`).pluck().get(), 2);
  const indexed = (name: string) => db.prepare(`SELECT count(*) FROM credential_rows INDEXED BY ${name} WHERE ${name === 'credentials_caller_role' ? 'caller_arn' : 'caller_key'} IS NOT NULL`).pluck().get();
  assert.equal(indexed('credentials_caller_role'), 1);
  assert.equal(indexed('credentials_caller_key_role'), 1);
  assert.deepEqual(db.prepare('SELECT access_key_id FROM credentials WHERE caller_key = ?').pluck().all('AKIAALICE'), ['ASIATWO0000000000002']);
  assert.deepEqual(db.prepare('SELECT access_key_id FROM credentials WHERE role_arn = ? ORDER BY rowid').pluck().all('arn:aws:iam::111122223333:role/web'),
    ['ASIAONE0000000000001', 'ASIATWO0000000000002']);
  db.close();
});
