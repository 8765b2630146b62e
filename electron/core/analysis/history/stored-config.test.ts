// A crafted case's stored configurations: every reader of a version's text reads it only up to the
// bound (stored-config.ts) and reads a bounded number of versions, so a text of megabytes or a resource
// of thousands of versions costs what an ordinary one does, and the versions within the bound still answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryCase } from '../../../../test-support/case-fixtures.ts';
import { instanceAddresses } from '../attribution/instance-addresses.ts';
import { configRecorded } from './config-recorded.ts';
import { MAX_STORED_CONFIG_CHARS, storedConfig } from './stored-config.ts';
import { tagsAt } from './tags-at.ts';

const INSTANCE = 'i-0crafted0000000001';
const HOUR = 3_600_000;
const start = Date.parse('2024-06-01T00:00:00Z');
const padding = 'x'.repeat(MAX_STORED_CONFIG_CHARS + 1);

function crafted() {
  const db = memoryCase();
  db.prepare(`INSERT INTO source_rows (id, name, size, kind, status, started_at) VALUES (3, 'config-history.json', 1, 'config:get-resource-config-history', 'done', 0)`).run();
  const store = db.prepare(`INSERT INTO resource_versions (resource_id, origin, observed_at, source_id, config_hash, config) VALUES (?, 'snapshot', ?, 3, ?, ?)`);
  return { db, store };
}

test('a stored text past the bound is not parsed; one within it is', () => {
  assert.equal(storedConfig(JSON.stringify({ Padding: padding })), null);
  assert.deepEqual(storedConfig('{"a":1}'), { a: 1 });
  assert.equal(storedConfig('{"a":'), null, 'broken text');
  assert.equal(storedConfig(null), null);
});

test('tags at a moment skip a snapshot of megabytes and read the one before it', () => {
  const { db, store } = crafted();
  store.run(INSTANCE, start, 'ok', JSON.stringify({ InstanceId: INSTANCE, Tags: [{ Key: 'Environment', Value: 'production' }] }));
  store.run(INSTANCE, start + HOUR, 'huge', JSON.stringify({ InstanceId: INSTANCE, Tags: [{ Key: 'Environment', Value: 'dev' }], Padding: padding }));
  assert.deepEqual(Object.fromEntries(tagsAt(db, INSTANCE, start + 2 * HOUR)), { Environment: 'production' });
  db.close();
});

test('an instance\'s addresses come from its latest versions within the bound, not from a text of megabytes or its thousandth-latest', () => {
  const { db, store } = crafted();
  // An hourly snapshot for 300 hours, each with the address of that hour: only the latest 200 are read.
  for (let h = 0; h < 300; h++) store.run(INSTANCE, start + h * HOUR, `h${h}`, JSON.stringify({ InstanceId: INSTANCE, PrivateIpAddress: `10.0.${Math.floor(h / 250)}.${h % 250}` }));
  store.run(INSTANCE, start + 301 * HOUR, 'huge', JSON.stringify({ InstanceId: INSTANCE, PublicIpAddress: '198.51.100.9', Padding: padding }));
  const found = instanceAddresses(db, INSTANCE);
  assert.ok(found.includes('10.0.1.49'), 'the latest snapshot within the bound (hour 299)');
  assert.ok(!found.includes('10.0.0.0'), 'the earliest of 300 is past the 200 read');
  assert.ok(!found.includes('198.51.100.9'), 'the text of megabytes is not read');
  db.close();
});

test('AWS Config\'s versions: one of megabytes is listed without its configuration, and the latest 500 of thousands are set beside the events', () => {
  const { db, store } = crafted();
  const group = 'sg-0crafted000000001';
  for (let h = 0; h < 600; h++) store.run(group, start + h * HOUR, `v${h}`, JSON.stringify({ awsConfig: { status: 'OK', stateId: String(h) } }));
  store.run(group, start + 700 * HOUR, 'huge', JSON.stringify({ awsConfig: { status: 'OK', stateId: 'huge' }, Padding: padding }));
  const recorded = configRecorded(db, group, []);
  assert.equal(recorded.length, 500);
  assert.equal(recorded[0].capturedAt, new Date(start + 101 * HOUR).toISOString(), 'the earliest listed is the 500th-latest');
  const last = recorded[recorded.length - 1];
  assert.equal(last.capturedAt, new Date(start + 700 * HOUR).toISOString());
  assert.equal(last.config, null, 'listed, its text not read');
  db.close();
});
