// An address is named by the latest snapshot of the instance holding it; a crafted case of instance
// snapshots each as large as a stored configuration may be is parsed only up to the run's bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRecords, memoryCase } from '../../../../test-support/case-fixtures.ts';
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

test('without snapshots, the RunInstances calls name the addresses they gave; an address given again is each instance\'s from its launch on', () => {
  const db = memoryCase();
  const launch = (n: number, at: string, instances: unknown[], extra: object = {}) => ({
    eventVersion: '1.09', eventID: `5c0e1f2a-0000-4000-8000-00000000000${n}`, eventTime: at, eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances',
    awsRegion: 'eu-west-1', sourceIPAddress: '198.51.100.23', recipientAccountId: '111122223333',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333', accessKeyId: 'AKIA3V4QW7ZXALICEKKK' },
    responseElements: { instancesSet: { items: instances } }, ...extra,
  });
  loadRecords(db, [
    launch(1, '2024-06-01T08:00:00Z', [{ instanceId: 'i-0a0a0a0a0a0a0a0a1', privateIpAddress: '10.0.1.5',
      networkInterfaceSet: { items: [{ networkInterfaceId: 'eni-0a0a0a0a0a0a0a0a1', privateIpAddress: '10.0.1.5',
        privateIpAddressesSet: { item: [{ privateIpAddress: '10.0.1.5' }, { privateIpAddress: '10.0.1.6' }] },
        ipv6AddressesSet: { items: [{ ipv6Address: '2600:1f18:aaaa:bb00::15' }] } }] } }]),
    launch(2, '2024-06-01T12:00:00Z', [{ instanceId: 'i-0b0b0b0b0b0b0b0b2', privateIpAddress: '10.0.1.5' }]),
    // A failed launch gave nothing; a crafted one names no instance or a path, and an address of words.
    launch(3, '2024-06-01T13:00:00Z', [{ instanceId: 'i-0c0c0c0c0c0c0c0c3', privateIpAddress: '10.0.1.7' }], { errorCode: 'Client.UnauthorizedOperation' }),
    launch(4, '2024-06-01T14:00:00Z', [{ privateIpAddress: '10.0.1.8' }, { instanceId: '../../etc/passwd', privateIpAddress: '10.0.1.9' },
      { instanceId: 'i-0d0d0d0d0d0d0d0d4', privateIpAddress: '<script>' }, 'i-0e0e0e0e0e0e0e0e5']),
  ]);
  const owners = new AddressOwners(db);
  const at = (iso: string) => Date.parse(iso);
  assert.equal(owners.instanceOf('10.0.1.5', at('2024-06-01T09:00:00Z')), 'i-0a0a0a0a0a0a0a0a1');
  assert.equal(owners.instanceOf('10.0.1.5', at('2024-06-01T12:30:00Z')), 'i-0b0b0b0b0b0b0b0b2');
  assert.equal(owners.instanceOf('10.0.1.5', at('2024-06-01T07:00:00Z')), 'i-0a0a0a0a0a0a0a0a1', 'before any launch: the first seen holding it');
  assert.equal(owners.instanceOf('10.0.1.5'), 'i-0b0b0b0b0b0b0b0b2');
  assert.equal(owners.instanceOf('10.0.1.6'), 'i-0a0a0a0a0a0a0a0a1');
  assert.equal(owners.instanceOf('2600:1f18:aaaa:bb00::15'), 'i-0a0a0a0a0a0a0a0a1');
  for (const unnamed of ['10.0.1.7', '10.0.1.8', '10.0.1.9', '<script>']) assert.equal(owners.instanceOf(unnamed), null, unnamed);
  db.close();
});

test('a terminated instance\'s last snapshot names no address: the version before it, as AWS Config\'s history keeps it, still does', () => {
  const db = memoryCase();
  version(db, 'i-0a0a0a0a0a0a0a0a1', Date.parse('2024-06-01T08:00:00Z'), { InstanceId: 'i-0a0a0a0a0a0a0a0a1', PrivateIpAddress: '10.0.1.5', State: { Name: 'running' } });
  version(db, 'i-0a0a0a0a0a0a0a0a1', Date.parse('2024-06-01T16:00:00Z'), { InstanceId: 'i-0a0a0a0a0a0a0a0a1', State: { Name: 'terminated' }, NetworkInterfaces: [] });
  const owners = new AddressOwners(db);
  assert.equal(owners.instanceOf('10.0.1.5', Date.parse('2024-06-01T12:00:00Z')), 'i-0a0a0a0a0a0a0a0a1');
  db.close();
});
