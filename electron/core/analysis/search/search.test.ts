import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REAL, insertFlowRows, loadRecords, memoryCase, readRecords } from '../../../../test-support/case-fixtures.ts';
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

test('an interface, an instance and addresses known only from flow logs are found', () => {
  const db = memoryCase();
  const flow = (interfaceId: string, srcaddr: string, dstaddr: string, startTime: number, endTime: number, instanceId: string | null) => ({
    interfaceId, srcaddr, dstaddr, srcport: 40000, dstport: 22, protocol: 6, startTime, endTime, action: 'ACCEPT', vpcId: 'vpc-0aaa', subnetId: 'subnet-0bbb', instanceId,
  });
  insertFlowRows(db, [
    flow('eni-0619213399adc3ab5', '203.0.113.9', '10.0.0.5', 1000, 2000, 'i-0ccc'),
    flow('eni-0619213399adc3ab5', '203.0.113.10', '10.0.0.5', 3000, 4000, 'i-0ccc'),
    flow('eni-0ddd', '10.0.0.6', '198.51.100.4', 3000, 4000, null),
  ]);
  const ids = (q: string) => search(db, q).map((h) => h.id);
  assert.deepEqual(ids('eni-0619213399adc3ab5'), ['eni-0619213399adc3ab5']);
  assert.equal(search(db, 'eni-0619213399adc3ab5')[0].type, 'network-interface');
  assert.deepEqual(ids('0619213'), ['eni-0619213399adc3ab5'], 'a piece of the id');
  assert.deepEqual(ids('i-0ccc'), ['eni-0619213399adc3ab5'], 'the instance its records name');
  assert.deepEqual(ids('203.0.113.9'), ['ip/203.0.113.9']);
  assert.deepEqual(ids('203.0.113.'), ['ip/203.0.113.10', 'ip/203.0.113.9'], 'a prefix of flow-only addresses');
  assert.deepEqual(ids('198.51.100.4'), ['ip/198.51.100.4'], 'a destination address');
  assert.deepEqual(ids('eni-0eee'), []);
});
