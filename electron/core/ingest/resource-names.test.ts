// A resource's name is its latest observation's, whatever order the files were read in: a snapshot
// handed in late, a ConfigHistory printed newest first, two events of one batch in either order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestPaths } from './pipeline.ts';
import { NAME_REPLACES, replacesName } from './resource-names.ts';
import { awsConfigItems } from './normalize/config/aws-config-items.ts';
import { resourcesMatching } from '../analysis/search/resource-matches.ts';
import { tempCase } from '../../../test-support/temp-case.ts';
import type { CaseDb } from '../db/open-case.ts';

const JAN = Date.parse('2025-01-01T00:00:00Z');
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
  // The same rule in the writer's SQL: each case upserted over its known row in a real SQLite table.
  const db = new Database(':memory:');
  db.exec('CREATE TABLE resources (id TEXT PRIMARY KEY, name TEXT, name_at INTEGER)');
  const put = db.prepare(`INSERT INTO resources (id, name, name_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET
    name = CASE WHEN ${NAME_REPLACES} THEN excluded.name ELSE resources.name END,
    name_at = CASE WHEN ${NAME_REPLACES} THEN excluded.name_at ELSE resources.name_at END`);
  cases.forEach(([name, at, known, knownAt, replaces], i) => {
    const label = JSON.stringify([name, at, known, knownAt]);
    assert.equal(replacesName(name, at, known, knownAt), replaces, label);
    put.run(`r${i}`, known, known === null ? null : knownAt);
    put.run(`r${i}`, name, name === null ? null : at);
    assert.deepEqual(db.prepare('SELECT name, name_at AS at FROM resources WHERE id = ?').get(`r${i}`),
      replaces ? { name, at } : { name: known, at: known === null ? null : knownAt }, `in SQL: ${label}`);
  });
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

test('a ConfigHistory printed newest first names the resource by its newest item', () => {
  const item = (time: string, name: string) => ({
    configurationItemCaptureTime: time, configurationItemStatus: 'OK', resourceType: 'AWS::EC2::SecurityGroup',
    resourceId: 'sg-0123456789abcdef0', resourceName: name, awsAccountId: '111122223333', awsRegion: 'eu-west-1',
    configuration: { groupId: 'sg-0123456789abcdef0', groupName: name, ipPermissions: [], ipPermissionsEgress: [] },
  });
  const newestFirst = { configurationItems: [item('2025-06-01T00:00:00.000Z', 'web-new'), item('2025-01-01T00:00:00.000Z', 'web-old')] };
  const oldestFirst = { configurationItems: [...newestFirst.configurationItems].reverse() };
  for (const document of [newestFirst, oldestFirst]) {
    const snapshot = awsConfigItems(document, 0);
    assert.deepEqual(snapshot.resources.map((r) => [r.id, r.name]), [['sg-0123456789abcdef0', 'web-new']]);
    assert.equal(snapshot.versions.length, 2);
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
    const file = (label: string, records: unknown[]) => {
      const path = join(c.dir, `${label}.json`);
      writeFileSync(path, JSON.stringify({ Records: records }));
      return path;
    };
    if (order === 'one file, later first') await ingestPaths(c.db, [file('both', [deleted, created])]);
    else if (order === 'one file, earlier first') await ingestPaths(c.db, [file('both', [created, deleted])]);
    else {
      const later = file('later', [deleted]);
      const earlier = file('earlier', [created]);
      for (const path of order === 'later file first' ? [later, earlier] : [earlier, later]) await ingestPaths(c.db, [path]);
    }
    assert.equal(name(c.db), 'deploy-2025', order);
  }
});
