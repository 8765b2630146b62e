// New addresses and regions weighed against more than one identity's history: a role's sessions the case
// cannot trace to a caller (sessions named per run), a region most identities work in, an address many
// identities call from. What the findings list and an actor report say of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRecords, memoryCase } from '../../../../test-support/case-fixtures.ts';
import { findings } from './findings.ts';

const A = '111111111111';
const at = (minutes: number) => new Date(Date.parse('2025-01-01T09:00:00Z') + minutes * 60_000).toISOString().replace('.000', '');
let n = 0;
function call(minute: number, identity: object, region: string, ip: string, eventName = 'DescribeInstances') {
  return {
    eventVersion: '1.08', eventTime: at(minute), eventSource: 'ec2.amazonaws.com', eventName, awsRegion: region, eventID: `peers-${n++}`,
    sourceIPAddress: ip, userAgent: 'aws-cli/2.13.25', recipientAccountId: A, userIdentity: identity, readOnly: true,
  };
}
const user = (name: string) => ({ type: 'IAMUser', arn: `arn:aws:iam::${A}:user/${name}`, accountId: A, accessKeyId: `AKIA${name.toUpperCase().padEnd(16, '0')}`, userName: name });
/** A session of a role whose AssumeRole is not in the case (another account's trail assumed it). */
const run = (i: number, role = 'terraform-apply') => ({
  type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/${role}/terraform-run-${String(i).padStart(8, '0')}`, accountId: A,
  accessKeyId: `ASIARUN${String(i).padStart(13, '0')}`, principalId: `AROARUN:terraform-run-${i}`,
  sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${A}:role/${role}`, accountId: A, userName: role } },
});

test('runs of one role the case cannot trace to a caller are weighed together: one new region for the role, a stranger\'s address still new', () => {
  const db = memoryCase();
  // Six runs an hour apart, each six calls in us-east-1 from the runner pool, then one in eu-west-1.
  const runs = [0, 1, 2, 3, 4, 5].flatMap((i) => [
    ...[0, 1, 2, 3, 4, 5].map((k) => call(i * 60 + k, run(i), 'us-east-1', `52.44.10.${10 + i}`)),
    call(i * 60 + 6, run(i), 'eu-west-1', `52.44.10.${10 + i}`),
  ]);
  // A seventh session of the role, from an address none of them used: its first call is who-am-I.
  const stranger = [call(400, run(7), 'us-east-1', '185.220.101.34', 'GetCallerIdentity'), call(401, run(7), 'us-east-1', '185.220.101.34')];
  loadRecords(db, [...runs, ...stranger]);
  const all = findings(db).findings;
  const regions = all.filter((f) => f.kind === 'new-region');
  assert.deepEqual(regions.map((f) => [f.value, f.severity, f.title]),
    [['eu-west-1', 'medium', 'New region for assumed-role/terraform-apply/terraform-run-00000000: eu-west-1']], 'the first run alone, not each run');
  assert.match(regions[0].detail, /Weighed with the 6 other sessions of role\/terraform-apply the case cannot trace to whoever assumed them\.$/);
  const addresses = all.filter((f) => f.kind === 'new-source-ip');
  // The runners' addresses are one network the role called from before: low; the stranger's is not.
  assert.deepEqual(addresses.map((f) => [f.value, f.severity]), [
    ...[1, 2, 3, 4, 5].map((i) => [`52.44.10.${10 + i}`, 'low']), ['185.220.101.34', 'high']]);
  assert.equal(addresses.at(-1)!.actor?.arn, run(7).arn);

  // An actor report weighs its key with the same peers: a later run's key brought nothing new, the stranger's did.
  assert.deepEqual(findings(db, { actor: run(3).accessKeyId }).findings.filter((f) => f.kind === 'new-region'), []);
  assert.deepEqual(findings(db, { actor: run(7).accessKeyId }).findings.filter((f) => f.kind === 'new-source-ip').map((f) => [f.value, f.severity]),
    [['185.220.101.34', 'high']]);
  db.close();
});

test('sessions of two roles, or of one role name in two accounts, are not each other\'s peers', () => {
  const db = memoryCase();
  const other = (i: number) => ({ ...run(i, 'deploy'), arn: `arn:aws:sts::${A}:assumed-role/deploy/terraform-run-${i}`, accessKeyId: `ASIADEPLOY${String(i).padStart(10, '0')}` });
  const elsewhere = (i: number) => ({ ...run(i), arn: `arn:aws:sts::222222222222:assumed-role/terraform-apply/terraform-run-${i}`, accountId: '222222222222',
    accessKeyId: `ASIAELSE${String(i).padStart(12, '0')}` });
  const six = (who: object, from: number, region: string, ip: string) => [0, 1, 2, 3, 4, 5].map((k) => call(from + k, who, region, ip));
  loadRecords(db, [...six(run(0), 0, 'eu-west-1', '52.44.10.10'), ...six(other(1), 10, 'us-east-1', '52.44.10.10'), call(16, other(1), 'eu-west-1', '52.44.10.10'),
    ...six(elsewhere(2), 20, 'us-east-1', '52.44.10.10'), call(26, elsewhere(2), 'eu-west-1', '52.44.10.10')]);
  const regions = findings(db).findings.filter((f) => f.kind === 'new-region').map((f) => [f.actor?.arn, f.severity]);
  assert.deepEqual(regions, [[other(1).arn, 'low'], [elsewhere(2).arn, 'low']]);
  db.close();
});

test('a region most identities work in is routine: no finding for one more; a region no one used still is one', () => {
  const db = memoryCase();
  const team = ['ana', 'ben', 'cai', 'dee', 'eli', 'fay'];
  // The team works in both regions from the first hour; bob, in one, reaches the second, then one no one used.
  const work = team.flatMap((name, i) => [call(i, user(name), 'us-east-1', '198.51.100.1'), call(10 + i, user(name), 'eu-west-1', '198.51.100.1')]);
  const bob = [...[0, 1, 2, 3, 4, 5].map((k) => call(30 + k, user('bob'), 'us-east-1', '198.51.100.1')),
    call(40, user('bob'), 'eu-west-1', '198.51.100.1'), call(41, user('bob'), 'ap-southeast-3', '198.51.100.1')];
  loadRecords(db, [...work, ...bob]);
  const regions = findings(db).findings.filter((f) => f.kind === 'new-region').map((f) => [f.title, f.severity]);
  assert.deepEqual(regions, [['New region for user/bob: ap-southeast-3', 'medium']]);
  db.close();
});

test('an address five other identities started from (the office\'s) is no new address; one four had is', () => {
  const db = memoryCase();
  const office = '198.51.100.7';
  const homes = (name: string, from: number, ip: string) => [0, 1, 2, 3, 4, 5].map((k) => call(from + k, user(name), 'us-east-1', ip));
  // Four colleagues at the office when alice first comes in; a fifth, then alice herself, before bob does.
  loadRecords(db, [...homes('alice', 0, '203.0.113.10'), ...homes('bob', 0, '192.0.2.10'),
    ...['ana', 'ben', 'cai', 'dee'].map((name, i) => call(10 + i, user(name), 'us-east-1', office)),
    call(20, user('alice'), 'us-east-1', office), call(30, user('eli'), 'us-east-1', office), call(40, user('bob'), 'us-east-1', office),
    call(50, user('bob'), 'us-east-1', '185.220.101.34')]);
  const addresses = findings(db).findings.filter((f) => f.kind === 'new-source-ip').map((f) => [f.title, f.severity]);
  assert.deepEqual(addresses, [['New source address for user/alice: 198.51.100.7', 'medium'], ['New source address for user/bob: 185.220.101.34', 'medium']]);
  db.close();
});

test('an intruder\'s address is new for each stolen identity, however many he turns up with: they had histories elsewhere', () => {
  const db = memoryCase();
  const victims = ['ana', 'ben', 'cai', 'dee', 'eli', 'fay', 'gus'];
  // Each victim works from home for six calls; in the afternoon each of their keys calls from the intruder's address.
  loadRecords(db, [...victims.flatMap((name, i) => [0, 1, 2, 3, 4, 5].map((k) => call(i * 10 + k, user(name), 'us-east-1', `203.0.113.${10 + i}`))),
    ...victims.map((name, i) => call(300 + i, user(name), 'us-east-1', '185.220.101.34', 'GetCallerIdentity'))]);
  const stolen = findings(db).findings.filter((f) => f.kind === 'new-source-ip' && f.value === '185.220.101.34');
  assert.deepEqual(stolen.map((f) => [f.title, f.severity]), victims.map((name) => [`New source address for user/${name}: 185.220.101.34`, 'high']));
  db.close();
});
