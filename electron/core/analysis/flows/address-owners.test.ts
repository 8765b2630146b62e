// An address is named by the latest snapshot of the instance holding it; a crafted case of instance
// snapshots each as large as a stored configuration may be is parsed only up to the run's bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryCase } from '../../../../test-support/case-fixtures.ts';
import { MAX_STORED_CONFIG_CHARS } from '../history/stored-config.ts';
import { AddressOwners } from './address-owners.ts';

const version = (db: ReturnType<typeof memoryCase>, instance: string, at: number, config: object) =>
  db.prepare(`INSERT INTO resource_versions (resource_id, origin, observed_at, config_hash, config) VALUES (?, 'snapshot', ?, ?, ?)`)
    .run(instance, at, `${instance}@${at}`, JSON.stringify(config));

test('an address is the instance\'s whose latest snapshot holds it; an address given again is the later instance\'s', () => {
  const db = memoryCase();
  version(db, 'i-0a0a0a0a0a0a0a0a1', 1, { InstanceId: 'i-0a0a0a0a0a0a0a0a1', PrivateIpAddress: '10.0.1.5' });
  version(db, 'i-0a0a0a0a0a0a0a0a1', 2, { InstanceId: 'i-0a0a0a0a0a0a0a0a1', PrivateIpAddress: '10.0.1.6' });
  version(db, 'i-0b0b0b0b0b0b0b0b2', 3, { InstanceId: 'i-0b0b0b0b0b0b0b0b2', NetworkInterfaces: [{ PrivateIpAddress: '10.0.1.5' }] });
  const owners = new AddressOwners(db);
  assert.equal(owners.instanceOf('10.0.1.6'), 'i-0a0a0a0a0a0a0a0a1');
  assert.equal(owners.instanceOf('10.0.1.5'), 'i-0b0b0b0b0b0b0b0b2');
  assert.equal(owners.instanceOf('10.0.9.9'), null);
  db.close();
});

test('a crafted case of instance snapshots of the largest stored size is parsed only up to the bound: the later ones stay unnamed', () => {
  const db = memoryCase();
  const pad = 'x'.repeat(MAX_STORED_CONFIG_CHARS - 200);
  const count = Math.ceil((64 * 1024 * 1024) / MAX_STORED_CONFIG_CHARS) + 2;
  for (let k = 0; k < count; k++) version(db, `i-0${String(k).padStart(16, '0')}`, k, { PrivateIpAddress: `10.0.2.${k}`, Padding: pad });
  const owners = new AddressOwners(db);
  assert.equal(owners.instanceOf('10.0.2.0'), `i-0${'0'.repeat(16)}`);
  assert.equal(owners.instanceOf(`10.0.2.${count - 1}`), null);
  db.close();
});
