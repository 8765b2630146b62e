import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertEvents, memoryCase } from '../../test-support/case-fixtures.ts';
import { caseSummary } from './case-info.ts';

test('accounts are 12-digit ids: the "aws" of managed policy ARNs is not an account', () => {
  const db = memoryCase();
  db.prepare(`INSERT INTO resources (id, type, account_id, arn) VALUES ('arn:aws:iam::aws:policy/ReadOnlyAccess', 'policy', 'aws', 'arn:aws:iam::aws:policy/ReadOnlyAccess'),
    ('sg-1', 'security-group', '111111111111', NULL)`).run();
  db.prepare(`INSERT INTO principals (arn, type, account_id, name) VALUES ('arn:aws:iam::222222222222:user/bob', 'IAMUser', '222222222222', 'bob'),
    ('ec2.amazonaws.com', 'AWSService', 'ec2.amazonaws.com', NULL)`).run();
  insertEvents(db, [{ eventId: 'e1', time: '2025-01-01T00:00:00Z', name: 'DescribeInstances', account: '333333333333', identity: { type: 'IAMUser', arn: 'arn:aws:iam::333333333333:user/carol' } }]);
  assert.deepEqual(caseSummary(db, '/tmp/x.case').accounts, ['111111111111', '222222222222', '333333333333']);
});

test('every account and region of the events is found, each once, with the time range of all of them', () => {
  const db = memoryCase();
  const carol = { type: 'IAMUser', arn: 'arn:aws:iam::333333333333:user/carol' };
  // Values interleaved in time and repeated: a loose index scan must still list each exactly once.
  const places = [['444444444444', 'us-east-1'], ['333333333333', 'eu-west-1'], ['444444444444', 'ap-south-1'], ['333333333333', 'us-east-1'], ['555555555555', 'eu-west-1']];
  insertEvents(db, places.map(([account, region], i) => ({ eventId: `e${i}`, time: `2025-01-0${i + 1}T00:00:00Z`, name: 'DescribeInstances', account, region, identity: carol })));
  const info = caseSummary(db, '/tmp/x.case');
  assert.deepEqual(info.accounts, ['333333333333', '444444444444', '555555555555']);
  assert.deepEqual(info.regions, ['ap-south-1', 'eu-west-1', 'us-east-1']);
  assert.equal(info.firstTime, '2025-01-01T00:00:00.000Z');
  assert.equal(info.lastTime, '2025-01-05T00:00:00.000Z');
  assert.equal(info.events, 5);
});

test('the accounts and regions of resources are all found: regions of resources without an account, of every type', () => {
  const db = memoryCase();
  const add = db.prepare(`INSERT INTO resources (id, type, account_id, region) VALUES (?, ?, ?, ?)`);
  add.run('r1', 'instance', null, 'ap-south-1');
  add.run('r2', 'instance', '111111111111', null);
  add.run('r3', 'instance', '111111111111', 'eu-west-1');
  add.run('r4', 'bucket', '222222222222', 'us-east-1');
  add.run('r5', 'bucket', '222222222222', 'eu-west-1');
  add.run('r6', 'bucket', '', 'me-south-1');
  add.run('r7', '', '444444444444', 'sa-east-1');
  for (let i = 0; i < 50; i++) add.run(`k${i}`, 'access-key', '111111111111', 'us-east-1');
  const info = caseSummary(db, '/tmp/x.case');
  assert.deepEqual(info.accounts, ['111111111111', '222222222222', '444444444444']);
  assert.deepEqual(info.regions, ['ap-south-1', 'eu-west-1', 'me-south-1', 'sa-east-1', 'us-east-1']);
});

// A hostile file can name a million accounts and regions: the summary names the first of each, in
// order, and says there are more (50,000 regions of 120 characters had made a 10 MB answer).
test('the summary names at most 10,000 accounts and 1,000 regions, the first in order, and says there are more', () => {
  const db = memoryCase();
  const carol = { type: 'IAMUser', arn: 'arn:aws:iam::333333333333:user/carol' };
  insertEvents(db, Array.from({ length: 10_050 }, (_, i) => ({
    eventId: `e${i}`, time: '2025-01-01T00:00:00Z', name: 'DescribeInstances', account: String(100_000_000_000 + i),
    region: `zz-region-${String(i).padStart(5, '0')}`, identity: carol,
  })));
  db.prepare(`INSERT INTO resources (id, type, account_id, region) VALUES ('sg-1', 'security-group', '099999999999', 'aa-first-1')`).run();
  const info = caseSummary(db, '/tmp/x.case');
  assert.equal(info.accounts.length, 10_000);
  assert.deepEqual(info.accounts.slice(0, 2), ['099999999999', '100000000000'], 'the first in order, from every place that names them');
  assert.equal(info.accountInfo.length, 10_000);
  assert.equal(info.moreAccounts, true);
  assert.equal(info.regions.length, 1_000);
  assert.deepEqual(info.regions.slice(0, 2), ['aa-first-1', 'zz-region-00000']);
  assert.equal(info.moreRegions, true);

  const few = memoryCase();
  insertEvents(few, [{ eventId: 'e1', time: '2025-01-01T00:00:00Z', name: 'DescribeInstances', account: '333333333333', region: 'eu-west-1', identity: carol }]);
  const small = caseSummary(few, '/tmp/y.case');
  assert.deepEqual([small.accounts, small.regions, small.moreAccounts, small.moreRegions], [['333333333333'], ['eu-west-1'], false, false]);
});
