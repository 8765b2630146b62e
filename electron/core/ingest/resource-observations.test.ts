// A resource's name is its latest observation's and its place its earliest's, whatever order the files
// were read in: a snapshot handed in late, a ConfigHistory printed newest first, two events of one batch
// in either order, a bucket called from two regions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestPaths } from './pipeline.ts';
import { NAME_REPLACES, NO_PLACE, observedPlace, PLACE_REPLACES, replacesName, type Place } from './resource-observations.ts';
import { resourcesMatching } from '../analysis/search/resource-matches.ts';
import { tempCase } from '../../../test-support/temp-case.ts';
import { trailFile } from '../../../test-support/trail-file.ts';
import type { CaseDb } from '../db/open-case.ts';

const JAN = Date.parse('2025-01-01T00:00:00Z');
const MAR = Date.parse('2025-03-01T00:00:00Z');
const JUN = Date.parse('2025-06-01T00:00:00Z');

test('a later name replaces an earlier one; an earlier, a missing or an undated one does not; a tie goes to the greater text as SQLite orders it', () => {
  // [name, at, known, knownAt, replaces]
  const cases: [string | null, number | null, string | null, number | null, boolean][] = [
    ['new', JUN, 'old', JAN, true],
    ['old', JAN, 'new', JUN, false],
    [null, JUN, 'old', JAN, false],
    ['first', JAN, null, null, true],
    ['dated', JAN, 'undated', null, true],
    ['undated', null, 'dated', JAN, false],
    ['b', JAN, 'a', JAN, true],
    ['a', JAN, 'b', JAN, false],
    ['same', JAN, 'same', JAN, false],
    ['b', null, 'a', null, true],
    // UTF-16 puts U+E000 after a character past U+FFFF (a surrogate pair); UTF-8, as SQLite compares, before it.
    ['\u{1F600}', JAN, '\uE000', JAN, true],
    ['\uE000', JAN, '\u{1F600}', JAN, false],
  ];
  for (const [name, at, known, knownAt, replaces] of cases) assert.equal(replacesName(name, at, known, knownAt), replaces, JSON.stringify([name, at, known, knownAt]));
});

/** Observations of one resource: [name, account, region, time]; a snapshot may give no region (IAM), an event always does. */
type Observation = [name: string | null, account: string | null, region: string | null, at: number];
const OBSERVATIONS: Observation[] = [
  ['web-old', '111122223333', null, JAN],
  [null, '111122223333', 'us-east-1', MAR],
  ['web-new', '111122223333', 'eu-west-1', JUN],
  ['web-mid', '444455556666', 'eu-west-1', MAR],
  ['\u{1F600}', '111122223333', '\uE000', JUN],
  ['\uE000', '111122223333', '\u{1F600}', JUN],
];

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]));
}

test('the name and the place kept are the same whatever order the observations come in, in JavaScript and in the writer\'s SQL alike', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE resources (id TEXT PRIMARY KEY, account_id TEXT, region TEXT, place_at INTEGER, name TEXT, name_at INTEGER)');
  // The writer's upsert (writer.ts), on the columns the rules read.
  const put = db.prepare(`INSERT INTO resources (id, account_id, region, place_at, name, name_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET
    account_id = CASE WHEN ${PLACE_REPLACES} THEN excluded.account_id ELSE coalesce(resources.account_id, excluded.account_id) END,
    region = CASE WHEN ${PLACE_REPLACES} THEN excluded.region ELSE coalesce(resources.region, excluded.region) END,
    place_at = CASE WHEN ${PLACE_REPLACES} THEN excluded.place_at ELSE resources.place_at END,
    name = CASE WHEN ${NAME_REPLACES} THEN excluded.name ELSE resources.name END,
    name_at = CASE WHEN ${NAME_REPLACES} THEN excluded.name_at ELSE resources.name_at END`);
  const kept = new Set<string>();
  permutations(OBSERVATIONS).forEach((order, i) => {
    // In JavaScript, as a batch gathers them.
    let place: Place = NO_PLACE;
    let name: { name: string | null; at: number | null } = { name: null, at: null };
    for (const [n, account, region, at] of order) {
      place = observedPlace({ account, region, at }, place);
      if (replacesName(n, at, name.name, name.at)) name = { name: n, at };
    }
    const inJs = JSON.stringify([place.account, place.region, name.name]);
    // In SQL, one upsert each, as batches and snapshots arrive.
    for (const [n, account, region, at] of order) {
      const p = observedPlace({ account, region, at }, NO_PLACE);
      put.run(`r${i}`, p.account, p.region, p.at, n, n === null ? null : at);
    }
    const row = db.prepare('SELECT account_id, region, name FROM resources WHERE id = ?').raw().get(`r${i}`);
    assert.equal(JSON.stringify(row), inJs, `SQL and JavaScript agree on ${JSON.stringify(order)}`);
    kept.add(inJs);
  });
  // The earliest complete observation (March, us-east-1) places it; the latest names it, and of the two
  // of June the greater in UTF-8 (the character past U+FFFF).
  assert.deepEqual([...kept], [JSON.stringify(['111122223333', 'us-east-1', '\u{1F600}'])]);
  db.close();
});

/** Two describe-vpcs outputs of one VPC, renamed in between; a file's time is when it was captured. */
function vpcSnapshots(dir: string): { older: string; newer: string } {
  const write = (folder: string, name: string, at: number) => {
    mkdirSync(join(dir, folder), { recursive: true });
    const file = join(dir, folder, 'describe-vpcs.json');
    writeFileSync(file, JSON.stringify({ Vpcs: [{ VpcId: 'vpc-0a1b2c3d4e5f60718', OwnerId: '111122223333', CidrBlock: '10.0.0.0/16', Tags: [{ Key: 'Name', Value: name }] }] }));
    utimesSync(file, at / 1000, at / 1000);
    return join(dir, folder);
  };
  return { older: write('january', 'prod-old', JAN), newer: write('june', 'prod-new', JUN) };
}

function vpc(db: CaseDb): { name: string; versions: number } {
  const name = db.prepare(`SELECT name FROM resources WHERE id = 'vpc-0a1b2c3d4e5f60718'`).pluck().get() as string;
  const versions = db.prepare(`SELECT count(*) FROM resource_versions WHERE resource_id = 'vpc-0a1b2c3d4e5f60718'`).pluck().get() as number;
  return { name, versions };
}

test('a renamed VPC is named by the later snapshot, whichever was handed in first, and found by that name', async (t) => {
  for (const order of ['newer first', 'older first', 'one ingest'] as const) {
    const c = tempCase('resource-names');
    t.after(() => c.cleanup());
    const { older, newer } = vpcSnapshots(c.dir);
    if (order === 'newer first') {
      await ingestPaths(c.db, [newer]);
      await ingestPaths(c.db, [older]);
    } else if (order === 'older first') {
      await ingestPaths(c.db, [older]);
      await ingestPaths(c.db, [newer]);
    } else await ingestPaths(c.db, [newer, older], { readers: 2 });
    assert.deepEqual(vpc(c.db), { name: 'prod-new', versions: 2 }, order);
    assert.deepEqual(resourcesMatching(c.db, 'prod-new', 10).map((r) => r.id), ['vpc-0a1b2c3d4e5f60718'], order);
    assert.deepEqual(resourcesMatching(c.db, 'prod-old', 10), [], `${order}: the old name is no longer searched`);
  }
});

test('a ConfigHistory printed newest first or oldest first names the group by its newest item', async (t) => {
  const item = (time: string, name: string) => ({
    configurationItemCaptureTime: time, configurationItemStatus: 'OK', resourceType: 'AWS::EC2::SecurityGroup',
    resourceId: 'sg-0123456789abcdef0', resourceName: name, awsAccountId: '111122223333', awsRegion: 'eu-west-1',
    configuration: { groupId: 'sg-0123456789abcdef0', groupName: name, ipPermissions: [], ipPermissionsEgress: [] },
  });
  const newestFirst = [item('2025-06-01T00:00:00.000Z', 'web-new'), item('2025-01-01T00:00:00.000Z', 'web-old')];
  for (const items of [newestFirst, [...newestFirst].reverse()]) {
    const c = tempCase('resource-names');
    t.after(() => c.cleanup());
    const path = join(c.dir, 'config-history.json');
    writeFileSync(path, JSON.stringify({ configurationItems: items }));
    await ingestPaths(c.db, [path]);
    assert.deepEqual(c.db.prepare(`SELECT name, region FROM resources WHERE id = 'sg-0123456789abcdef0'`).get(), { name: 'web-new', region: 'eu-west-1' });
    assert.equal(c.db.prepare(`SELECT count(*) FROM resource_versions WHERE resource_id = 'sg-0123456789abcdef0'`).pluck().get(), 2);
  }
});

/** A CloudTrail record naming key pair key-0123456789abcdef0 as `keyName` at `time`. */
function keyPairRecord(eventName: 'CreateKeyPair' | 'DeleteKeyPair', time: string, keyName: string, eventID: string): Record<string, unknown> {
  return {
    eventVersion: '1.09', eventTime: time, eventSource: 'ec2.amazonaws.com', eventName, awsRegion: 'eu-west-1',
    sourceIPAddress: '198.51.100.7', userAgent: 'aws-cli/2.15.0', eventID, eventType: 'AwsApiCall', recipientAccountId: '111122223333',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333', principalId: 'AIDAQRSTUVWXYZ2345678', userName: 'alice' },
    requestParameters: eventName === 'CreateKeyPair' ? { keyName } : { keyName, keyPairId: 'key-0123456789abcdef0' },
    responseElements: eventName === 'CreateKeyPair' ? { keyName, keyPairId: 'key-0123456789abcdef0' } : { _return: true },
  };
}

test('a resource named by two events is named by the later one, in one batch in either order or in files read in either order', async (t) => {
  const created = keyPairRecord('CreateKeyPair', '2025-03-01T10:00:00Z', 'deploy', '4a7d3f9e-0000-4000-8000-000000000001');
  const deleted = keyPairRecord('DeleteKeyPair', '2025-03-02T10:00:00Z', 'deploy-2025', '4a7d3f9e-0000-4000-8000-000000000002');
  const name = (db: CaseDb) => db.prepare(`SELECT name FROM resources WHERE id = 'key-0123456789abcdef0'`).pluck().get();
  for (const order of ['one file, later first', 'one file, earlier first', 'later file first', 'earlier file first'] as const) {
    const c = tempCase('resource-names');
    t.after(() => c.cleanup());
    if (order === 'one file, later first') await ingestPaths(c.db, [trailFile(c.dir, 'both.json', [deleted, created])]);
    else if (order === 'one file, earlier first') await ingestPaths(c.db, [trailFile(c.dir, 'both.json', [created, deleted])]);
    else {
      const later = trailFile(c.dir, 'later.json', [deleted]);
      const earlier = trailFile(c.dir, 'earlier.json', [created]);
      for (const path of order === 'later file first' ? [later, earlier] : [earlier, later]) await ingestPaths(c.db, [path]);
    }
    assert.equal(name(c.db), 'deploy-2025', order);
  }
});

test('a bucket called from two regions is placed where it was first seen, whichever file is read first', async (t) => {
  const call = (time: string, region: string, eventID: string) => ({
    eventVersion: '1.09', eventTime: time, eventSource: 's3.amazonaws.com', eventName: 'GetBucketAcl', awsRegion: region,
    sourceIPAddress: '198.51.100.7', userAgent: 'aws-cli/2.15.0', eventID, eventType: 'AwsApiCall', recipientAccountId: '111122223333',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333', principalId: 'AIDAQRSTUVWXYZ2345678', userName: 'alice' },
    requestParameters: { bucketName: 'example-corp-backups', acl: '' }, responseElements: null,
  });
  const first = call('2025-03-01T10:00:00Z', 'eu-west-1', '5b8e4a10-0000-4000-8000-000000000001');
  const later = call('2025-03-02T10:00:00Z', 'us-east-1', '5b8e4a10-0000-4000-8000-000000000002');
  for (const order of ['later file first', 'earlier file first', 'one file, later first'] as const) {
    const c = tempCase('resource-places');
    t.after(() => c.cleanup());
    if (order === 'one file, later first') await ingestPaths(c.db, [trailFile(c.dir, 'both.json', [later, first])]);
    else {
      const paths = [trailFile(c.dir, 'later.json', [later]), trailFile(c.dir, 'earlier.json', [first])];
      for (const path of order === 'later file first' ? paths : paths.reverse()) await ingestPaths(c.db, [path]);
    }
    assert.deepEqual(c.db.prepare(`SELECT account_id AS account, region FROM resources WHERE id = 'arn:aws:s3:::example-corp-backups'`).get(),
      { account: '111122223333', region: 'eu-west-1' }, order);
  }
});
