// Migration 125 on a case resolved by the previous version: every actor reads back through the
// `actors` view exactly as it was stored (identity, chain, flags, roll-ups), the chains of one
// session's keys share one shape, and hostile values (a key made of JSON punctuation, a one-character
// event id, control characters) come back unchanged.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openCase } from '../open-case.ts';
import { caseAtVersion } from '../../../../test-support/case-at-version.ts';
import { LATEST_VERSION } from './index.ts';

type OldActor = { key: string; accessKeyId: string | null; arn: string | null; chain: unknown[] };

const issued = (eventId: string, eventTime: string) => ({ eventId, eventName: 'AssumeRole', eventTime });
const link = (accessKeyId: string | null, detail: string, issuedBy: ReturnType<typeof issued> | null) => ({
  kind: 'role-session', id: 'arn:aws:sts::111122223333:assumed-role/web/i-0abc', label: 'assumed-role/web/i-0abc', accountId: '111122223333',
  accessKeyId, proof: 'proven', basis: 'identity', detail, issuedBy,
});
const instance = (key: string, at: string) => ({
  accountId: '111122223333', accessKeyId: null, kind: 'instance', id: 'i-0abc', label: 'i-0abc (instance)', proof: 'proven', basis: 'key',
  detail: `${key} issued by AssumeRole at ${at} to AWSService`, issuedBy: null,
});
const sessionKey = (key: string, eventId: string, at: string): OldActor => ({
  key, accessKeyId: key, arn: 'arn:aws:sts::111122223333:assumed-role/web/i-0abc',
  chain: [link(key, 'as recorded in the event', issued(eventId, at)), instance(key, at)],
});

const ACTORS: OldActor[] = [
  sessionKey('ASIAONE0000000000001', '0a1b-1', '2025-03-10T07:41:43.000Z'),
  sessionKey('ASIATWO0000000000002', '0a1b-2', '2025-03-10T07:41:44.000Z'),
  // A key of JSON punctuation, an event id of one letter found all over the text, a time never used.
  { key: '","', accessKeyId: '","', arn: null, chain: [link('","', 'as recorded, "quoted" ","', issued('e', 'not a time')), instance('","', 'later')] },
  // Control characters never occur raw in JSON, so these are never cut, and stay as they were.
  { key: 'AKIA\u0001X', accessKeyId: 'AKIA\u0001X', arn: 'arn:aws:iam::111122223333:user/a\u0002b', chain: [link('AKIA\u0001X', 'd\u0003', issued('\u0002', '\u0003'))] },
  // No key: nothing but the issuing call to cut.
  { key: 'svc:lambda.amazonaws.com', accessKeyId: null, arn: null, chain: [link(null, 'as recorded in the event', null)] },
];

test('a version 115 case keeps every actor as it was, with its chain stored once per shape', (t) => {
  const { path, raw } = caseAtVersion(t, 115);
  raw.prepare(`INSERT INTO origins (id, origin_key, kind, ident, label, account_id) VALUES (1, 'instance|i-0abc', 'instance', 'i-0abc', 'i-0abc (instance)', NULL)`).run();
  const insert = raw.prepare(`INSERT INTO actors (actor_key, access_key_id, identity_type, identity_arn, identity_account, principal_id,
    session_issuer_arn, session_name, invoked_by, source_identity, on_behalf_of, origin, proven, chain, flags, instance_id, first_seen, first_ip, only_event)
    VALUES (?, ?, 'AssumedRole', ?, '111122223333', NULL, NULL, 'i-0abc', NULL, NULL, NULL, 1, 1, ?, '[]', 'i-0abc', 5, '203.0.113.9', NULL)`);
  for (const a of ACTORS) insert.run(a.key, a.accessKeyId, a.arn, JSON.stringify(a.chain));
  const before = raw.prepare('SELECT * FROM actors ORDER BY id').all();
  raw.close();

  const db = openCase(path);
  assert.equal(db.pragma('user_version', { simple: true }), LATEST_VERSION);
  // The columns readers had then (the view has gained the cut-out values since, migration 0134).
  const columns = Object.keys(before[0] as object).join(', ');
  assert.deepEqual(db.prepare(`SELECT ${columns} FROM actors ORDER BY id`).all(), before);
  // The two keys of one instance session share a shape; their key, eventID and time are cut out.
  const shapes = db.prepare('SELECT r.chain_shape AS shape, a.chain_event AS event, a.chain_time AS time FROM actors a JOIN actor_rows r ON r.id = a.id ORDER BY a.id').all() as
    { shape: number; event: string | null; time: string | null }[];
  assert.equal(shapes[0].shape, shapes[1].shape);
  assert.deepEqual([shapes[0].event, shapes[0].time], ['0a1b-1', '2025-03-10T07:41:43.000Z']);
  assert.deepEqual([shapes[3].event, shapes[3].time, shapes[4].event], [null, null, null]);
  // The identity columns are interned ids; lookups by value still find the row through the view.
  assert.deepEqual(db.prepare('SELECT actor_key FROM actors WHERE identity_arn = ?').pluck().all('arn:aws:iam::111122223333:user/a\u0002b'), ['AKIA\u0001X']);
  db.close();
});
