// A resource's tags at a moment, and the Name tag naming it: from its launch, CreateTags and DeleteTags,
// and from a configuration snapshot where the evidence holds no launch. Tags are record data: only
// what AWS itself accepts is read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRecords, memoryCase } from '../../../../test-support/case-fixtures.ts';
import { A, INSTANCE, rec, user } from '../../../../test-support/auto-scaling-records.ts';
import { CaseWriter } from '../../ingest/writer.ts';
import { normalizeConfig } from '../../ingest/normalize/normalize-config.ts';
import { nameTag, productionTag, tagsIn } from '../../ingest/normalize/aws-tags.ts';
import { tagsAt } from './tags-at.ts';
import { whoChanged } from './who-changed.ts';

const alice = user('alice');
const ec2 = (time: string, name: string, requestParameters: object, responseElements: object | null = null) =>
  rec(time, 'ec2.amazonaws.com', name, alice, requestParameters, responseElements);
const pairs = (tags: Record<string, string>) => Object.entries(tags).map(([key, value]) => ({ key, value }));
const launch = (time: string, requested: Record<string, string>, answered?: Record<string, string>) => ec2(time, 'RunInstances',
  { instancesSet: { items: [{ imageId: 'ami-0abc1234def567890', minCount: 1, maxCount: 1 }] },
    tagSpecificationSet: { items: [{ resourceType: 'volume', tags: pairs({ Name: 'a-volume' }) }, { resourceType: 'instance', tags: pairs(requested) }] } },
  { instancesSet: { items: [{ instanceId: INSTANCE, ...(answered ? { tagSet: { items: pairs(answered) } } : {}) }] } });
const createTags = (time: string, tags: Record<string, string>, ...ids: string[]) =>
  ec2(time, 'CreateTags', { resourcesSet: { items: ids.map((resourceId) => ({ resourceId })) }, tagSet: { items: pairs(tags) } }, { _return: true });
const deleteTags = (time: string, tags: { key: string; value?: string }[] | null) =>
  ec2(time, 'DeleteTags', { resourcesSet: { items: [{ resourceId: INSTANCE }] }, ...(tags ? { tagSet: { items: tags } } : {}) }, { _return: true });
const at = (iso: string) => Date.parse(iso);
const asObject = (tags: Map<string, string>) => Object.fromEntries(tags);
const nameOf = (db: ReturnType<typeof memoryCase>, id: string) => db.prepare('SELECT name FROM resources WHERE id = ?').pluck().get(id);

test('an instance is named by its launch\'s Name tag, then renamed by a later CreateTags; other resources by theirs', () => {
  const db = memoryCase();
  loadRecords(db, [launch('2024-06-01T09:00:00Z', { Name: 'asked-name' }, { Name: 'web-1', Environment: 'staging' })]);
  assert.equal(nameOf(db, INSTANCE), 'web-1', 'the answer\'s tags, as launched');
  loadRecords(db, [createTags('2024-06-02T09:00:00Z', { Name: 'web-1-debug' }, INSTANCE, 'sg-0a1b2c3d4e5f60718'), createTags('2024-06-03T09:00:00Z', { Owner: 'bob' }, INSTANCE)]);
  assert.equal(nameOf(db, INSTANCE), 'web-1-debug');
  assert.equal(nameOf(db, 'sg-0a1b2c3d4e5f60718'), 'web-1-debug', 'a security group tagged in the same call');

  const other = memoryCase();
  loadRecords(other, [launch('2024-06-01T09:00:00Z', { Name: 'asked-name' })]);
  assert.equal(nameOf(other, INSTANCE), 'asked-name', 'without tags in the answer, the request\'s for instances');
  db.close();
  other.close();
});

test('tags at a moment replay the launch, CreateTags and DeleteTags up to it, and not after', () => {
  const db = memoryCase();
  loadRecords(db, [
    launch('2024-06-01T09:00:00Z', { Name: 'web-1', Environment: 'production', Team: 'web' }),
    createTags('2024-06-01T10:00:00Z', { Environment: 'staging', Owner: 'bob' }, INSTANCE),
    deleteTags('2024-06-01T11:00:00Z', [{ key: 'Owner', value: 'someone-else' }, { key: 'Team' }]),
    deleteTags('2024-06-01T12:00:00Z', null),
  ]);
  assert.deepEqual(asObject(tagsAt(db, INSTANCE, at('2024-06-01T09:30:00Z'))), { Name: 'web-1', Environment: 'production', Team: 'web' });
  assert.deepEqual(asObject(tagsAt(db, INSTANCE, at('2024-06-01T10:30:00Z'))), { Name: 'web-1', Environment: 'staging', Team: 'web', Owner: 'bob' });
  assert.deepEqual(asObject(tagsAt(db, INSTANCE, at('2024-06-01T11:30:00Z'))), { Name: 'web-1', Environment: 'staging', Owner: 'bob' },
    'a key alone removes it; a key with another value does not');
  assert.deepEqual(asObject(tagsAt(db, INSTANCE, at('2024-06-01T12:30:00Z'))), {}, 'DeleteTags without tags removes them all');
  assert.deepEqual(asObject(tagsAt(db, INSTANCE, at('2024-06-01T08:00:00Z'))), {}, 'before its launch');
  db.close();
});

test('the instance\'s history says what each tagging call set or removed', () => {
  const db = memoryCase();
  loadRecords(db, [
    launch('2024-06-01T09:00:00Z', { Name: 'web-1', Environment: 'production' }),
    createTags('2024-06-01T10:00:00Z', { Environment: 'sandbox', Owner: 'mallory' }, INSTANCE),
    deleteTags('2024-06-01T11:00:00Z', [{ key: 'Owner' }, { key: 'Team', value: 'web' }]),
    deleteTags('2024-06-01T12:00:00Z', null),
  ]);
  assert.deepEqual(whoChanged(db, INSTANCE).items.map((i) => i.change.summary).slice(1),
    ['tagged Environment=sandbox, Owner=mallory', 'removed tags Owner, Team=web', 'removed every tag']);
  db.close();
});

test('without its launch, an instance\'s tags come from the snapshot before the moment (else the first after), changed by later calls', () => {
  const db = memoryCase();
  const writer = new CaseWriter(db);
  const snapshot = (time: string, environment: string) => {
    const source = writer.startSource({ path: `describe-instances-${time}.json`, sha256: time, size: 0, kind: 'config:describe-instances' });
    writer.writeConfig(source, normalizeConfig('describe-instances', { Reservations: [{ OwnerId: A, Instances: [{ InstanceId: INSTANCE, Placement: { AvailabilityZone: 'eu-west-1a' },
      Tags: [{ Key: 'Name', Value: 'db-1' }, { Key: 'Environment', Value: environment }] }] }] }, at(time)));
    writer.finishSource(source, 'done');
  };
  snapshot('2024-06-01T00:00:00Z', 'Production');
  snapshot('2024-06-03T00:00:00Z', 'dev');
  loadRecords(db, [createTags('2024-06-01T12:00:00Z', { Environment: 'test' }, INSTANCE)]);
  assert.deepEqual(asObject(tagsAt(db, INSTANCE, at('2024-05-01T00:00:00Z'))), { Name: 'db-1', Environment: 'Production' }, 'the first snapshot stands for before it');
  assert.deepEqual(asObject(tagsAt(db, INSTANCE, at('2024-06-01T06:00:00Z'))), { Name: 'db-1', Environment: 'Production' });
  assert.deepEqual(asObject(tagsAt(db, INSTANCE, at('2024-06-02T00:00:00Z'))), { Name: 'db-1', Environment: 'test' }, 'a call after the snapshot');
  assert.deepEqual(asObject(tagsAt(db, INSTANCE, at('2024-06-04T00:00:00Z'))), { Name: 'db-1', Environment: 'dev' }, 'the later snapshot');
  assert.equal(nameOf(db, INSTANCE), 'db-1');
  db.close();
});

test('tags past AWS\'s limits are not read: no name or label of megabytes from a crafted record', () => {
  const long = 'x'.repeat(2_000_000);
  assert.deepEqual(tagsIn({ items: [{ key: 'Name', value: long }, { key: long, value: 'v' }, { key: 'Team', value: 'web' }, { value: 'no key' }, 'junk'] }), [['Team', 'web']]);
  assert.equal(tagsIn({ items: Array.from({ length: 10_000 }, (_, i) => ({ key: `k${i}`, value: 'v' })) }).length, 50, 'at most 50 a resource');
  assert.deepEqual(tagsIn({ Name: 'web-1', Environment: 'prod', Count: 3 }), [['Name', 'web-1'], ['Environment', 'prod']], 'AWS Config\'s map');
  assert.deepEqual(tagsIn('...'), [], 'redacted');
  assert.equal(nameTag({ items: [{ key: 'Name', value: '...' }] }), null, 'a redacted name names nothing');
  assert.equal(nameTag([{ Key: 'Name', Value: 'HIDDEN_DUE_TO_SECURITY_REASONS' }]), null);
  const db = memoryCase();
  loadRecords(db, [launch('2024-06-01T09:00:00Z', { Name: long })]);
  assert.equal(nameOf(db, INSTANCE), null);
  db.close();
});

test('production is said by an environment tag, whatever its case or suffix, not by a name', () => {
  const said = (tags: Record<string, string>) => productionTag(new Map(Object.entries(tags)));
  assert.equal(said({ Environment: 'production' }), 'Environment=production');
  assert.equal(said({ env: 'PROD' }), 'env=PROD');
  assert.equal(said({ Stage: 'prod-eu' }), 'Stage=prod-eu');
  assert.equal(said({ 'deployment-environment': 'live' }), 'deployment-environment=live');
  for (const tags of [{ Environment: 'preprod' }, { Environment: 'staging' }, { Environment: 'production2' }, { Name: 'prod-web-1' }, { Team: 'production' }] as Record<string, string>[]) {
    assert.equal(said(tags), null, JSON.stringify(tags));
  }
});
