// An address names its subnet and VPC by the subnets' blocks in their latest snapshots, within the
// record's account; an address two VPCs' subnets both hold names neither, and a crafted snapshot names nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryCase } from '../../../../test-support/case-fixtures.ts';
import { SubnetsByAddress } from './subnets-by-address.ts';

const A = '111122223333';
const B = '444455556666';

function withSubnets(subnets: [id: string, account: string | null, config: unknown, at?: number][]) {
  const db = memoryCase();
  for (const [id, account, config, at] of subnets) {
    db.prepare(`INSERT OR IGNORE INTO resources (id, type, account_id) VALUES (?, 'subnet', ?)`).run(id, account);
    db.prepare(`INSERT INTO resource_versions (resource_id, origin, observed_at, config_hash, config) VALUES (?, 'snapshot', ?, ?, ?)`)
      .run(id, at ?? 1, `${id}@${at ?? 1}`, typeof config === 'string' ? config : JSON.stringify(config));
  }
  return db;
}

test('an address names the subnet whose block holds it, in the record\'s account, by the latest snapshot; IPv6 blocks too', () => {
  const db = withSubnets([
    ['subnet-0a0a0a0a0a0a0a0a1', A, { CidrBlock: '10.0.0.0/20', VpcId: 'vpc-0aaa', Ipv6CidrBlockAssociationSet: [{ Ipv6CidrBlock: '2600:1f18:aaaa:bb00::/64' }] }],
    ['subnet-0b0b0b0b0b0b0b0b2', A, { CidrBlock: '10.0.16.0/20', VpcId: 'vpc-0aaa' }, 1],
    // Re-addressed later: the latest snapshot holds.
    ['subnet-0b0b0b0b0b0b0b0b2', A, { CidrBlock: '10.0.32.0/20', VpcId: 'vpc-0aaa' }, 2],
    // Another account of the organisation uses the same range.
    ['subnet-0c0c0c0c0c0c0c0c3', B, { CidrBlock: '10.0.0.0/20', VpcId: 'vpc-0ccc' }],
  ]);
  const subnets = new SubnetsByAddress(db);
  assert.deepEqual(subnets.of('10.0.1.5', A), { subnet: 'subnet-0a0a0a0a0a0a0a0a1', vpc: 'vpc-0aaa' });
  assert.deepEqual(subnets.of('10.0.1.5', B), { subnet: 'subnet-0c0c0c0c0c0c0c0c3', vpc: 'vpc-0ccc' });
  assert.equal(subnets.of('10.0.1.5', null), null, 'no account: two subnets hold it');
  assert.deepEqual(subnets.of('2600:1f18:aaaa:bb00::15', A), { subnet: 'subnet-0a0a0a0a0a0a0a0a1', vpc: 'vpc-0aaa' });
  assert.deepEqual(subnets.of('10.0.33.1', A)?.subnet, 'subnet-0b0b0b0b0b0b0b0b2');
  assert.equal(subnets.of('10.0.17.1', A), null, 'the block it left');
  for (const none of ['10.9.0.1', '-', '', 'not an address', null]) assert.equal(subnets.of(none, A), null, String(none));
  db.close();
});

test('two VPCs of one account with the same range name neither; crafted snapshots name nothing and stop nothing', () => {
  const db = withSubnets([
    ['subnet-0a0a0a0a0a0a0a0a1', A, { CidrBlock: '10.0.0.0/16', VpcId: 'vpc-0aaa' }],
    ['subnet-0d0d0d0d0d0d0d0d4', A, { CidrBlock: '10.0.0.0/16', VpcId: 'vpc-0ddd' }],
    ['subnet-0e0e0e0e0e0e0e0e5', A, { CidrBlock: '10.1.0.0/16', VpcId: 'vpc-0eee' }],
    ['subnet-0e0e0e0e0e0e0e0e6', A, { CidrBlock: '10.1.4.0/24', VpcId: 'vpc-0eee' }],
    ['subnet-0f0f0f0f0f0f0f0f7', A, 'not json'],
    ['subnet-0f0f0f0f0f0f0f0f8', A, { CidrBlock: { $ne: 1 }, VpcId: ['vpc-0'] }],
    ['subnet-0f0f0f0f0f0f0f0f9', A, { CidrBlock: '10.2.0.0/999', VpcId: 'vpc-0fff' }],
  ]);
  const subnets = new SubnetsByAddress(db);
  assert.equal(subnets.of('10.0.1.5', A), null);
  assert.deepEqual(subnets.of('10.1.4.9', A), { subnet: 'subnet-0e0e0e0e0e0e0e0e6', vpc: 'vpc-0eee' }, 'the most specific block');
  assert.equal(subnets.of('10.2.0.1', A), null);
  db.close();
});

test('ten thousand subnets: each address finds its own by its block, whichever of them it lies in', () => {
  const db = memoryCase();
  const insert = db.prepare(`INSERT INTO resource_versions (resource_id, origin, observed_at, config_hash, config) VALUES (?, 'snapshot', 1, ?, ?)`);
  const id = (k: number) => `subnet-0${String(k).padStart(16, '0')}`;
  db.transaction(() => {
    for (let k = 0; k < 10_000; k++) insert.run(id(k), id(k), JSON.stringify({ CidrBlock: `10.${k >> 8}.${k & 255}.0/24`, VpcId: `vpc-0${k % 7}`, OwnerId: A }));
  })();
  const subnets = new SubnetsByAddress(db);
  for (const k of [0, 1, 255, 256, 4_321, 9_999]) assert.deepEqual(subnets.of(`10.${k >> 8}.${k & 255}.77`, A), { subnet: id(k), vpc: `vpc-0${k % 7}` });
  assert.equal(subnets.of('10.40.0.1', A), null);
  db.close();
});
