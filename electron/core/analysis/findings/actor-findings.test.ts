// The actor report's findings run the case's stored Sigma rules as findings:list does: an actor
// the SigmaHQ rules flag is flagged in its report too, with the Sigma rule named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REAL, insertEvents, loadRecords, memoryCase, readRecords, type TestEvent } from '../../../../test-support/case-fixtures.ts';
import { refreshDerived } from '../refresh-derived.ts';
import { loadSigmaIntoCase } from './sigma/case-sigma.ts';
import { findings } from './findings.ts';
import { actorReport } from '../attribution/actor-report.ts';
import type { Finding } from '../../../../shared/engine-types.ts';

test('an actor report carries the stored Sigma rules\' findings', () => {
  const db = memoryCase();
  loadRecords(db, readRecords(join(REAL, 'stratus-red-team', 'aws.defense-evasion.cloudtrail-stop.json')));
  loadSigmaIntoCase(db, join(REAL, 'sigma-cloudtrail', 'rules'));
  const sigma = findings(db).findings.filter((f) => f.rule?.source === 'sigma' && f.actor?.arn);
  assert.ok(sigma.length > 0, 'the SigmaHQ rules flag the detonation');
  const report = actorReport(db, sigma[0].actor!.arn!);
  assert.ok(report);
  const ids = new Set((report.findings ?? []).filter((f) => f.rule?.source === 'sigma').map((f) => f.rule!.id));
  assert.ok(ids.has(sigma[0].rule!.id), `the report names Sigma rule ${sigma[0].rule!.id}`);
  db.close();
});

// The report learns the routine baseline of its own identities only (rules/baseline.ts); what it
// warns about must still be what the findings list says of the same credential.
const ACCOUNT = '111111111111';
const role = (instance: string, key: string) => ({
  type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app/${instance}`, accountId: ACCOUNT, accessKeyId: key, principalId: `AROAAPP:${instance}`,
  sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/app`, userName: 'app' } },
});
const user = (name: string, key: string) => ({ type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, accountId: ACCOUNT, accessKeyId: key, userName: name });
let n = 0;
const secretRead = (time: string, identity: Record<string, unknown>) => ({
  eventVersion: '1.09', eventTime: time, eventSource: 'secretsmanager.amazonaws.com', eventName: 'GetSecretValue', awsRegion: 'us-east-1',
  eventID: `routine-${++n}`, sourceIPAddress: '198.51.100.7', userAgent: 'aws-cli/2.15.0', recipientAccountId: ACCOUNT, userIdentity: identity,
  requestParameters: { secretId: 'db-password' }, responseElements: null, eventType: 'AwsApiCall',
});

test('an actor report finds routine calls routine by its identity\'s baseline, as the findings list does', () => {
  const db = memoryCase();
  const records = [];
  const week = Date.parse('2025-01-01T00:00:00Z');
  // One instance of role app and alice's first key read the secret all week: routine for the role and for alice.
  for (let h = 0; h < 7 * 24; h += 3) {
    const t = new Date(week + h * 3600_000).toISOString();
    records.push(secretRead(t, role('i-0aaaaaaaaaaaaaaa1', 'ASIAAPP0000000000001')), secretRead(t, user('alice', 'AKIAALICE00000000001')));
  }
  // Later: another instance of the role, alice's second key, and bob (new to it) read it.
  records.push(secretRead('2025-01-06T10:00:00Z', role('i-0bbbbbbbbbbbbbbb2', 'ASIAAPP0000000000002')));
  records.push(secretRead('2025-01-06T10:00:00Z', user('alice', 'AKIAALICE00000000002')));
  records.push(secretRead('2025-01-06T10:00:00Z', user('bob', 'AKIABOB0000000000001')));
  loadRecords(db, records);
  const listed = findings(db).findings.filter((f) => f.rule?.id === 'secrets-retrieved');
  assert.deepEqual(listed.map((f) => f.actor?.arn), [`arn:aws:iam::${ACCOUNT}:user/bob`], 'only bob is new to the secret');
  for (const key of ['ASIAAPP0000000000002', 'AKIAALICE00000000002', 'AKIABOB0000000000001']) {
    const report = actorReport(db, key, { findings: 'all' });
    assert.ok(report);
    const reported = (report.findings ?? []).filter((f) => f.rule?.id === 'secrets-retrieved');
    const expected = listed.filter((f) => f.actor?.chain.some((l) => l.accessKeyId === key));
    assert.deepEqual(reported.map((f) => [f.actor?.arn, f.count, f.eventIds]), expected.map((f) => [f.actor?.arn, f.count, f.eventIds]), key);
  }
  assert.equal(actorReport(db, 'ASIAAPP0000000000002')?.actor.origin.kind, 'instance', 'the role\'s sessions are instance credentials (baseline per role)');
  db.close();
});

// The sessions made with a key are found through indexes (migration 0127), also where the key was cut
// out of their chain's shape: their issuing call's eventID is the key itself, or a part of it with the
// quote before it (cut wherever it occurs, it splits the key where the chain names it).
test('a key\'s report holds what the sessions made with it did, however their chains were cut', () => {
  const db = memoryCase();
  const ci = { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/ci`, key: 'AKIACIUSER', userName: 'ci' };
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/deploy`;
  const events = ['e-plain', 'AKIACIUSER', '"AKIA'].flatMap((eventId, i) => {
    const key = `ASIADEPLOY${i}`;
    const arn = `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/s${i}`;
    return [
      { eventId, time: `2024-05-01T10:0${i}:00Z`, name: 'AssumeRole', source: 'sts.amazonaws.com', identity: ci, ip: '203.0.113.5',
        issued: { key, role: roleArn, session: `s${i}`, issuedArn: arn } },
      { eventId: `stop-${i}`, time: `2024-05-01T10:0${i}:30Z`, name: 'StopLogging', source: 'cloudtrail.amazonaws.com', ip: '203.0.113.5',
        identity: { type: 'AssumedRole', arn, key, issuer: roleArn, session: `s${i}` }, raw: { requestParameters: { name: 'main' } } },
    ];
  });
  insertEvents(db, events);
  refreshDerived(db);
  const cut = db.prepare(`SELECT chain_event FROM actors WHERE actor_key LIKE 'ASIADEPLOY%' ORDER BY actor_key`).pluck().all();
  assert.deepEqual(cut, ['e-plain', 'AKIACIUSER', '"AKIA'], 'cut out of the shapes');
  const shapes = db.prepare(`SELECT instr(c.shape, 'AKIACIUSER') > 0 FROM actor_rows r JOIN chain_shapes c ON c.id = r.chain_shape
    WHERE r.actor_key LIKE 'ASIADEPLOY%' ORDER BY r.actor_key`).pluck().all();
  assert.deepEqual(shapes, [1, 0, 0], 'the key is cut out of the shapes of the last two');
  const sig = (f: Finding) => `${f.rule?.id} ${f.actor?.arn} ${f.eventIds.join(',')}`;
  const listed = findings(db, { actor: 'AKIACIUSER' }).findings.filter((f) => f.rule?.id?.includes('stop')).map(sig).sort();
  assert.equal(listed.length, 3, listed.join('\n'));
  const reported = (actorReport(db, 'AKIACIUSER', { findings: 'all' })?.findings ?? []).filter((f) => f.rule?.id?.includes('stop')).map(sig).sort();
  assert.deepEqual(reported, listed);
  // A key longer than any AWS issues (a forged record) is searched by a scan.
  const long = `AKIA${'X'.repeat(200)}`;
  insertEvents(db, [{ eventId: 'long-1', time: '2024-05-01T11:00:00Z', name: 'StopLogging', source: 'cloudtrail.amazonaws.com',
    identity: { ...ci, key: long }, raw: { requestParameters: { name: 'main' } } }]);
  refreshDerived(db);
  assert.deepEqual((actorReport(db, long, { findings: 'all' })?.findings ?? []).map(sig), [`cloudtrail-logging-stopped ${ci.arn} long-1`]);
  db.close();
});

const BUILD_ROLE = `arn:aws:iam::${ACCOUNT}:role/build`;
const DEPLOY_ROLE = `arn:aws:iam::${ACCOUNT}:role/deploy`;

/**
 * `sessions` sessions of a build role, assumed by a CI user, each assuming a deploy role whose session
 * stops logging; `chainingId` gives each chaining call's eventID (one that holds the build key cuts
 * that key out of the deploy session's chain shape), `issueId` each build session's issuing call's.
 */
function chainedDeploySessions(sessions: number, chainingId: (i: number, buildKey: string) => string, issueId = (i: number) => `build-${i}`): TestEvent[] {
  const user = { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/ci`, key: 'AKIACIUSER0000000000', userName: 'ci' };
  const n = (i: number) => String(i).padStart(3, '0');
  const at = (i: number, s: number) => new Date(Date.UTC(2024, 4, 1, 10, i, s)).toISOString();
  return Array.from({ length: sessions }, (_, i) => {
    const buildKey = `ASIABUILD${n(i)}00000000`;
    const buildArn = `arn:aws:sts::${ACCOUNT}:assumed-role/build/run-${i}`;
    const deployKey = `ASIADEPLOY${n(i)}0000000`;
    const deployArn = `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/run-${i}`;
    return [
      { eventId: issueId(i), time: at(i, 0), name: 'AssumeRole', source: 'sts.amazonaws.com', identity: user, ip: '203.0.113.5',
        issued: { key: buildKey, role: BUILD_ROLE, session: `run-${i}`, issuedArn: buildArn } },
      { eventId: chainingId(i, buildKey), time: at(i, 10), name: 'AssumeRole', source: 'sts.amazonaws.com', ip: '203.0.113.5',
        identity: { type: 'AssumedRole', arn: buildArn, key: buildKey, issuer: BUILD_ROLE, session: `run-${i}` },
        issued: { key: deployKey, role: DEPLOY_ROLE, session: `run-${i}`, issuedArn: deployArn } },
      { eventId: `stop-${i}`, time: at(i, 30), name: 'StopLogging', source: 'cloudtrail.amazonaws.com', ip: '203.0.113.5',
        identity: { type: 'AssumedRole', arn: deployArn, key: deployKey, issuer: DEPLOY_ROLE, session: `run-${i}` }, raw: { requestParameters: { name: 'main' } } },
    ];
  }).flat();
}

test('a role\'s report over many keys holds what the sessions chained from each did, as the findings list does', () => {
  // Ten sessions (more than KEYS_FOR_ONE_PASS keys: the chain shapes are searched once for all). One
  // chaining call's eventID is the build session's key itself, so that key is cut out of its shape and
  // found by the cut values.
  const db = memoryCase();
  insertEvents(db, chainedDeploySessions(10, (i, buildKey) => (i === 3 ? buildKey : `deploy-${i}`)));
  refreshDerived(db);
  const sig = (f: Finding) => `${f.rule?.id} ${f.actor?.arn} ${f.eventIds.join(',')}`;
  // The findings list asked key by key names each chained session's stop; the role's report, all ten.
  const listed = Array.from({ length: 10 }, (_, i) => findings(db, { actor: `ASIABUILD${String(i).padStart(3, '0')}00000000` }).findings
    .filter((f) => f.rule?.id?.includes('stop')).map(sig)).flat().sort();
  assert.equal(listed.length, 10, listed.join('\n'));
  const reported = (actorReport(db, BUILD_ROLE, { findings: 'all' })?.findings ?? []).filter((f) => f.rule?.id?.includes('stop')).map(sig).sort();
  assert.deepEqual(reported, listed);
  db.close();
});

// A key holding a time (a forged one: an older case kept a caller's key unchecked, and a chain's last link
// names the key its SAML caller used) loses it with the time where a session's issuing call happened
// then: cut out of that session's shape, the key is found through the event rows of that millisecond
// (migration 0134: the time is the issuing row's).
test('a key holding an issuing call\'s time finds the session whose shape the time was cut from', () => {
  const db = memoryCase();
  const forged = 'AKIA2024-05-01T10:02:00.000Z';
  const ci = { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/ci`, key: forged, userName: 'ci' };
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/deploy`;
  const arn = `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/s1`;
  insertEvents(db, [
    { eventId: 'assume-1', time: '2024-05-01T10:02:00Z', name: 'AssumeRole', source: 'sts.amazonaws.com', identity: ci, ip: '203.0.113.5',
      issued: { key: 'ASIADEPLOYT', role: roleArn, session: 's1', issuedArn: arn, callerType: 'SAMLUser', subject: 'alice' } },
    { eventId: 'stop-1', time: '2024-05-01T10:03:00Z', name: 'StopLogging', source: 'cloudtrail.amazonaws.com', ip: '203.0.113.5',
      identity: { type: 'AssumedRole', arn, key: 'ASIADEPLOYT', issuer: roleArn, session: 's1' }, raw: { requestParameters: { name: 'main' } } },
  ]);
  refreshDerived(db);
  const [chain, shape] = db.prepare(`SELECT a.chain, c.shape FROM actors a JOIN actor_rows r ON r.id = a.id JOIN chain_shapes c ON c.id = r.chain_shape
    WHERE a.actor_key = 'ASIADEPLOYT'`).raw().get() as [string, string];
  assert.ok(chain.includes(`"accessKeyId":"${forged}"`) && !shape.includes(forged), 'the key is in the chain, not in its shape');
  const reported = (actorReport(db, forged, { findings: 'all' })?.findings ?? []).filter((f) => f.rule?.id?.includes('stop')).map((f) => f.actor?.arn);
  assert.deepEqual(reported, [arn]);
  db.close();
});

test('a report over hundreds of keys finds the sessions made with each, the cut values inside a key looked up by their lengths', () => {
  // 210 sessions (past KEYS_FOR_CUT_LENGTHS: only the cut values' own lengths are looked up inside each
  // key). In each case two chaining calls' eventIDs cut a build key out of their shapes:
  // - the whole key (20 characters), and the first 11 characters of another (the only cut value of that
  //   length, so only its length finds it);
  // - every other eventID of 36 characters (no cut value fits inside a 20-character key, so each key's
  //   only candidates are read once for all): one key with a quote before it, so the cut spans the
  //   chain's quote (session 3's shape still holds its key).
  const sessions = 210;
  const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  // Each case: the chaining and issuing eventIDs, then sessions 3 and 5's cut eventIDs and whether their shapes hold a build key.
  type Case = [string, (i: number, buildKey: string) => string, ((i: number) => string) | undefined, [string, number][]];
  const cases: Case[] = [
    ['parts', (i, buildKey) => (i === 3 ? buildKey : i === 5 ? buildKey.slice(0, 11) : `deploy-${i}`), undefined,
      [['ASIABUILD00300000000', 0], ['ASIABUILD00', 0]]],
    ['quoted', (i, buildKey) => (i === 5 ? `"${buildKey}` : uuid(i)), (i) => uuid(1000 + i), [[uuid(3), 1], ['"ASIABUILD00500000000', 0]]],
  ];
  for (const [name, chainingId, issueId, cutValues] of cases) {
    const db = memoryCase();
    insertEvents(db, chainedDeploySessions(sessions, chainingId, issueId));
    refreshDerived(db);
    const cut = db.prepare(`SELECT a.chain_event, instr(c.shape, ?) > 0 FROM actors a JOIN actor_rows r ON r.id = a.id JOIN chain_shapes c ON c.id = r.chain_shape
      WHERE r.actor_key IN ('ASIADEPLOY0030000000', 'ASIADEPLOY0050000000') ORDER BY r.actor_key`).raw().all('ASIABUILD');
    assert.deepEqual(cut, cutValues, `${name}: the cut eventIDs, and whether the shapes still hold a build key`);
    const stopped = (actorReport(db, BUILD_ROLE, { findings: 'all' })?.findings ?? []).filter((f) => f.rule?.id?.includes('stop'))
      .map((f) => f.actor?.arn).sort();
    const expected = Array.from({ length: sessions }, (_, i) => `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/run-${i}`).sort();
    assert.deepEqual(stopped, expected, name);
    db.close();
  }
});

// A session named per run has its name cut out of its chain's shape (migration 0147). A name of letters
// and digits only is never cut, so a real key is always found in the shapes. A forged key of other
// characters (which an older case kept as a SAML caller's key, as above) may hold a cut name, which
// splits it in the shape: it is found through the session names.
test('a forged key holding a session name cut from a shape finds the session', () => {
  const db = memoryCase();
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/deploy`;
  const forged = 'AKIA-run-7-X';
  const events = ['run-7', 'run-8'].flatMap((session, i) => {
    const caller = { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/ci`, key: i === 0 ? forged : 'AKIACIUSER0000000000', userName: 'ci' };
    const arn = `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/${session}`;
    const key = `ASIADEPLOY${i}0000000000`;
    return [
      { eventId: `assume-${i}`, time: `2024-05-01T10:0${i}:00Z`, name: 'AssumeRole', source: 'sts.amazonaws.com', identity: caller, ip: '203.0.113.5',
        issued: { key, role: roleArn, session, issuedArn: arn, callerType: 'SAMLUser', subject: 'alice' } },
      { eventId: `stop-${i}`, time: `2024-05-01T10:0${i}:30Z`, name: 'StopLogging', source: 'cloudtrail.amazonaws.com', ip: '203.0.113.5',
        identity: { type: 'AssumedRole', arn, key, issuer: roleArn, session }, raw: { requestParameters: { name: 'main' } } },
    ] as TestEvent[];
  });
  insertEvents(db, events);
  refreshDerived(db);
  const [chain, shape] = db.prepare(`SELECT a.chain, c.shape FROM actors a JOIN actor_rows r ON r.id = a.id JOIN chain_shapes c ON c.id = r.chain_shape
    WHERE a.actor_key = 'ASIADEPLOY00000000000'`).raw().get() as [string, string];
  assert.ok(chain.includes(`"accessKeyId":"${forged}"`) && !shape.includes(forged) && shape.includes('AKIA-\u0004-X'), 'the key is in the chain, split in its shape');
  const reported = (actorReport(db, forged, { findings: 'all' })?.findings ?? []).filter((f) => f.rule?.id?.includes('stop')).map((f) => f.actor?.arn);
  assert.deepEqual(reported, [`arn:aws:sts::${ACCOUNT}:assumed-role/deploy/run-7`]);
  db.close();
});
