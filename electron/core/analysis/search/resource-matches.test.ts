// Substring search through the trigram index of migration 0126: on a case file filled by the real
// ingest (bulk load, the index kept by its triggers) from real CloudTrail, and on a copy of that case
// as it was before 0126, whose index the migration builds when it is opened: the same hits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { REAL, memoryCase } from '../../../../test-support/case-fixtures.ts';
import { tempCase } from '../../../../test-support/temp-case.ts';
import { trailFile } from '../../../../test-support/trail-file.ts';
import { chainCutsAsText } from '../../../../test-support/chain-cuts-as-text.ts';
import { facetValuesAsText } from '../../../../test-support/facet-values-as-text.ts';
import { sourcesAsText } from '../../../../test-support/sources-as-text.ts';
import { storedFindingsThreeParts } from '../../../../test-support/stored-findings-three-parts.ts';
import { eventSearchWithPositions } from '../../../../test-support/event-search-with-positions.ts';
import { openCase, type CaseDb } from '../../db/open-case.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { CaseWriter } from '../../ingest/writer.ts';
import { search } from './search.ts';
import { LATEST_VERSION } from '../../db/migrations/index.ts';
import { expectedSchema, schemaKey } from '../../db/expected-schema.ts';

const ids = (db: CaseDb, q: string, limit?: number) => search(db, q, limit).map((h) => h.id);

test('a piece from inside an id or a name is found by the index, and a case migrated from before 0126 finds the same hits', async (t) => {
  const c = tempCase('search-index');
  t.after(c.cleanup);
  // Real trails (sessions, keys, instances) and a real account's configuration (names beside ids).
  await ingestPaths(c.db, [`${REAL}stratus-red-team`, `${REAL}cloudmapper-demo`]);
  // A piece from the middle of the longest id, and one of a name its id does not hold.
  const long = c.db.prepare(`SELECT rowid, id FROM resources ORDER BY length(id) DESC, id LIMIT 1`).get() as { rowid: number; id: string };
  const named = c.db.prepare(`SELECT rowid, id, name FROM resources WHERE length(name) >= 8 AND instr(id, name) = 0 ORDER BY id LIMIT 1`)
    .get() as { rowid: number; id: string; name: string };
  assert.ok(long.id.length > 60 && named, 'the real data has long ids and names');
  const inId = long.id.slice(30, 45);
  const inName = named.name.slice(1, -1);
  assert.ok(!long.id.startsWith(inId) && !named.id.includes(inName));
  const matched = c.db.prepare(`SELECT rowid FROM resources_search WHERE resources_search MATCH ?`).pluck();
  for (const [piece, r] of [[inId, long], [inName, named]] as const) {
    assert.ok(ids(c.db, piece).includes(r.id), `"${piece}" finds ${r.id}`);
    assert.ok(matched.all(`"${piece}"`).includes(r.rowid), `the index holds "${piece}"`);
  }

  const queries = [inId, inName, long.id, named.name, long.id.slice(0, 4), named.id.slice(-6), 'Web', 'arn:aws:iam', 'role/', 'ASIA', 'AK', 'no-such-thing', '%_', 'a"b OR c*'];
  const found = queries.map((q) => ids(c.db, q));
  assert.ok(found.some((hits) => hits.length >= 20), 'a common piece fills the list');
  c.db.close();

  // The same case at version 125: no index, no triggers (nor the later migrations' indexes, and the links
  // and credentials as 0010 to 0110 made them); opening it runs migration 0126 and on.
  const before = join(c.dir, 'v125.case');
  copyFileSync(c.path, before);
  const raw = new Database(before);
  const sqlAt125 = (type: string, name: string) => expectedSchema(125).objects.get(schemaKey(type, name))!.sql!;
  raw.exec(`DROP VIEW event_resources; ${sqlAt125('table', 'event_resources')};
    INSERT INTO event_resources SELECT resource_id, event, resource_type, touch FROM (SELECT s.value AS resource_id, r.event,
      (SELECT value FROM strings WHERE id = r.resource_type) AS resource_type, (SELECT value FROM strings WHERE id = r.touch) AS touch
      FROM event_resource_rows r JOIN strings s ON s.id = r.resource);
    DROP TABLE event_resource_rows; ${sqlAt125('index', 'event_resources_event')};
    CREATE TEMP TABLE old_credentials AS SELECT * FROM credentials; DROP VIEW credentials; DROP TABLE credential_rows;
    ${sqlAt125('table', 'credentials')}; INSERT INTO credentials (rowid, access_key_id, kind, issued_event, issued_at, expires_at, issued_arn, role_arn,
      session_name, source_identity, caller_arn, caller_type, caller_key, caller_ip, subject, issuer)
      SELECT rowid, access_key_id, kind, issued_event, issued_at, expires_at, issued_arn, role_arn,
      session_name, source_identity, caller_arn, caller_type, caller_key, caller_ip, subject, issuer FROM temp.old_credentials;
    ${['credentials_issued_arn', 'credentials_role_caller', 'credentials_caller_role', 'credentials_caller_key_role'].map((i) => sqlAt125('index', i)).join(';\n')};`);
  chainCutsAsText(raw);
  facetValuesAsText(raw);
  sourcesAsText(raw);
  storedFindingsThreeParts(raw, 125);
  eventSearchWithPositions(raw, 125);
  raw.exec(`DROP TRIGGER resources_search_insert; DROP TRIGGER resources_search_update; DROP TRIGGER resources_search_delete;
    DROP TABLE resources_search; DROP VIEW resources_search_texts; DROP INDEX resources_name; DROP INDEX resources_arn; ALTER TABLE resources DROP COLUMN name_at; ALTER TABLE resources DROP COLUMN place_at;
    DROP INDEX actors_shape; DROP INDEX actors_chain_event; DROP INDEX actors_chain_time; DROP INDEX actors_quoted_cuts;
    DROP INDEX actors_awaits; ALTER TABLE actor_rows DROP COLUMN awaits; DROP INDEX origins_label; DROP TABLE origin_facet_rows; DROP TABLE identity_first_calls; DROP INDEX sources_attempts; DROP TABLE owner_service_calls;
    DROP VIEW actor_facets; ${sqlAt125('view', 'actor_facets')};
    DROP TABLE flow_blocks; DROP TABLE flow_block_data; DROP TABLE flow_addresses; DROP TABLE flow_interface_buckets; DROP TABLE flow_interfaces; DROP TABLE flow_origins;
    ${[['table', 'flows'], ...['flows_content', 'flows_interface_time', 'flows_src_time', 'flows_dst_port', 'flows_account_time'].map((i) => ['index', i])].map(([type, name]) => sqlAt125(type, name)).join(';\n')};
    PRAGMA user_version = 125;`);
  raw.close();
  const migrated = openCase(before);
  t.after(() => migrated.close());
  assert.equal(migrated.pragma('user_version', { simple: true }), LATEST_VERSION);
  assert.deepEqual(queries.map((q) => ids(migrated, q)), found);
});

test('prefixes come before substrings, shortest first, at most the limit; a renamed resource is found by its new name only', () => {
  const db = memoryCase();
  const add = db.prepare(`INSERT INTO resources (id, type, name, arn) VALUES (?, ?, ?, ?)`);
  add.run('arn:aws:s3:::corp-bucket-archive', 's3-bucket', null, 'arn:aws:s3:::corp-bucket-archive');
  add.run('x-bucket', 's3-bucket', null, null);
  add.run('bucket-logs', 's3-bucket', null, null);
  add.run('sg-0abc', 'security-group', 'alpha-web', null);
  for (let i = 0; i < 300; i++) add.run(`ASIA${String(i).padStart(6, '0')}ZZQ${'X'.repeat(7)}`, 'access-key', null, null);

  assert.deepEqual(ids(db, 'bucket'), ['bucket-logs', 'x-bucket', 'arn:aws:s3:::corp-bucket-archive']);
  assert.deepEqual(ids(db, 'BUCKET-LO'), ['bucket-logs'], 'ASCII case is folded, as LIKE did');
  assert.deepEqual(ids(db, 'bu'), ['bucket-logs'], 'two characters: prefixes only');
  assert.equal(ids(db, 'ZZQ').length, 20);
  assert.equal(ids(db, 'ZZQ', 200).length, 200);
  assert.deepEqual(ids(db, 'lpha-we'), ['sg-0abc'], 'a piece of the name');

  db.prepare(`UPDATE resources SET name = 'beta-web' WHERE id = 'sg-0abc'`).run();
  assert.deepEqual(ids(db, 'beta-we'), ['sg-0abc']);
  assert.deepEqual(ids(db, 'lpha-we'), [], 'the old name is gone from the index');
  db.prepare(`DELETE FROM resources WHERE id = 'x-bucket'`).run();
  assert.deepEqual(ids(db, 'bucket'), ['bucket-logs', 'arn:aws:s3:::corp-bucket-archive']);
  assert.deepEqual(ids(db, 'a"b OR c*'), [], 'FTS5 query syntax is literal text');
});

// A later ingest into a case (no bulk load) adds its resources to the index once per commit group
// (migration 0133): they are found like any other, a name learnt in the same group is the one indexed,
// the index stays whole (FTS5's own check), and no group leaves its marker behind.
test('resources added by a later ingest are indexed at its commits, the index whole, nothing left pending', async (t) => {
  const c = tempCase('search-later');
  t.after(c.cleanup);
  const dir = join(c.dir, 'in');
  mkdirSync(dir, { recursive: true });
  const A = '111122223333';
  const alice = { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/alice`, accountId: A, principalId: 'AIDA3V4QW7ZXALICE8R2', userName: 'alice', accessKeyId: 'AKIA3V4QW7ZXALICEK01' };
  let n = 0;
  const rec = (name: string, source: string, extra: object) => ({
    eventVersion: '1.10', eventID: `e-${++n}`, eventTime: `2024-06-01T10:${String(n % 60).padStart(2, '0')}:00Z`, eventSource: source, eventName: name,
    awsRegion: 'eu-west-1', sourceIPAddress: '198.51.100.7', userAgent: 'aws-cli/2.15', recipientAccountId: A, userIdentity: alice, ...extra,
  });
  const key = (k: number) => `ASIA3V4QW7ZX${String(k).padStart(8, '0')}`;
  const assumeRole = (k: number) => rec('AssumeRole', 'sts.amazonaws.com', {
    requestParameters: { roleArn: `arn:aws:iam::${A}:role/ops`, roleSessionName: `s${k}` },
    responseElements: { credentials: { accessKeyId: key(k), sessionToken: 't', expiration: 'Jun 1, 2024, 11:00:00 AM' },
      assumedRoleUser: { assumedRoleId: `AROA3V4QW7ZXOPSROLE5:s${k}`, arn: `arn:aws:sts::${A}:assumed-role/ops/s${k}` } },
  });
  await ingestPaths(c.db, [trailFile(dir, 'first.json', Array.from({ length: 30 }, (_, k) => assumeRole(k)))]);
  const pair = 'key-0aa11bb22cc33dd44';
  // The later ingest: more keys, and a key pair met by its id alone and, in another file, with its name.
  await ingestPaths(c.db, [
    trailFile(dir, 'second-a.json', [...Array.from({ length: 30 }, (_, k) => assumeRole(100 + k)),
      rec('DeleteKeyPair', 'ec2.amazonaws.com', { requestParameters: { keyPairId: pair } })]),
    trailFile(dir, 'second-b.json', [rec('ImportKeyPair', 'ec2.amazonaws.com', { requestParameters: { keyName: 'payments-deploy' },
      responseElements: { keyName: 'payments-deploy', keyPairId: pair } })]),
  ]);
  // Temporary keys are credentials, not resources: found by a piece through the keys' range of the strings index.
  assert.deepEqual(ids(c.db, key(117).slice(-7)), [key(117)], 'a temporary key of the later ingest, by a piece of it');
  assert.deepEqual(ids(c.db, key(7).slice(-7)), [key(7)], 'and one of the first');
  assert.deepEqual(ids(c.db, key(117).slice(0, -1)).sort(), Array.from({ length: 10 }, (_, k) => key(110 + k)), 'and by their start, never used');
  assert.equal(c.db.prepare(`SELECT count(*) FROM resources WHERE type = 'access-key'`).pluck().get(), 0, 'no temporary key is a resource');
  assert.deepEqual(ids(c.db, 'ayments-dep'), [pair], 'the key pair by a piece of the name it got in the same ingest');
  c.db.prepare(`INSERT INTO resources_search (resources_search) VALUES ('integrity-check')`).run();
  assert.equal(c.db.prepare(`SELECT count(*) FROM case_meta WHERE key = 'resources_search_after'`).pluck().get(), 0);
});

test('inside one commit group, a resource added and then named is indexed by its name, and one named before it keeps the index whole', () => {
  const db = memoryCase();
  const writer = new CaseWriter(db);
  const source = writer.startSource({ path: 'key-pairs.json', sha256: 'x', size: 0, kind: 'unknown' });
  // Each snapshot observed after the one before: a later name replaces an earlier one (ingest/resource-observations.ts).
  let observedAt = 0;
  const snapshot = (resources: { id: string; name: string | null }[]) => ({
    resources: resources.map((r) => ({ ...r, type: 'key-pair' as const, accountId: '111122223333', region: 'eu-west-1', arn: null, observedAt: ++observedAt })),
    versions: [], edges: [], principals: [],
  });
  writer.writeConfig(source, snapshot([{ id: 'key-0old', name: 'old-name' }]));
  db.exec('BEGIN');
  writer.writeConfig(source, snapshot([{ id: 'key-0new', name: null }, { id: 'key-0old', name: 'renamed-before' }]));
  writer.writeConfig(source, snapshot([{ id: 'key-0new', name: 'named-later' }]));
  assert.equal(db.prepare(`SELECT count(*) FROM resources_search WHERE resources_search MATCH '"key-0new"'`).pluck().get(), 0, 'waiting for the commit');
  writer.flushSearchText();
  db.exec('COMMIT');
  db.prepare(`INSERT INTO resources_search (resources_search) VALUES ('integrity-check')`).run();
  assert.deepEqual(ids(db, 'amed-late'), ['key-0new']);
  assert.deepEqual(ids(db, 'enamed-befo'), ['key-0old']);
  assert.deepEqual(ids(db, 'ld-nam'), []);
  // A transaction of its own after a group committed without its flush is refused, not silently unindexed.
  db.exec('BEGIN');
  writer.writeConfig(source, snapshot([{ id: 'key-0third', name: null }]));
  db.exec('COMMIT');
  assert.throws(() => writer.writeConfig(source, snapshot([{ id: 'key-0fourth', name: null }])), /never stored/);
});
