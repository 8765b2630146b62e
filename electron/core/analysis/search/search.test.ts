import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REAL, loadRecords, memoryCase, readRecords } from '../test-support.ts';
import { search } from './search.ts';

const db = memoryCase();
loadRecords(db, readRecords(`${REAL}stratus-red-team/aws.credential-access.ec2-steal-instance-credentials.json`));
const byId = (q: string) => search(db, q).map((h) => h.id);

test('an access key, an address (whole or its prefix), an instance id and a role name find their graph nodes', () => {
  const key = db.prepare(`SELECT access_key_id FROM events WHERE access_key_id LIKE 'ASIA%' LIMIT 1`).pluck().get() as string;
  assert.ok(byId(key).includes(key));
  const ip = db.prepare(`SELECT source_ip FROM events WHERE source_ip GLOB '[0-9]*.*' LIMIT 1`).pluck().get() as string;
  assert.ok(byId(ip).includes(`ip/${ip}`));
  assert.ok(byId(ip.split('.').slice(0, 2).join('.') + '.').includes(`ip/${ip}`), 'prefix of an address');
  const origin = db.prepare(`SELECT ident FROM origins WHERE kind = 'instance' LIMIT 1`).pluck().get() as string;
  assert.ok(byId(origin).includes(origin), 'the instance behind the stolen credentials');
  const arn = db.prepare(`SELECT arn FROM principals WHERE arn LIKE '%assumed-role/%' LIMIT 1`).pluck().get() as string;
  const role = /assumed-role\/([^/]+)\//.exec(arn)![1];
  assert.ok(search(db, role).some((h) => h.id.includes(role)), 'a substring of an ARN');
  assert.deepEqual(search(db, 'no-such-thing-anywhere'), []);
  assert.deepEqual(search(db, '%'), [], 'LIKE wildcards are literal');
});
