// Findings checked against ground truth: the generator's planted incident (incident.json) and
// Stratus Red Team detonation logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAccount } from '../../../../tools/gen/generate.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { REAL, loadRecords, memoryCase, readRecords } from '../../../../test-support/case-fixtures.ts';
import { findings } from './findings.ts';
import { actorReport } from '../attribution/actor-report.ts';

const dir = mkdtempSync(join(tmpdir(), 'trailscope-findings-'));
await generateAccount({ out: dir, events: 3000, flows: 1000, seed: 11 });
const truth = JSON.parse(readFileSync(join(dir, 'incident.json'), 'utf8'));
const incident = memoryCase();
await ingestPaths(incident, [join(dir, 'AWSLogs'), join(dir, 'config')]);
rmSync(dir, { recursive: true, force: true });

function stratus(name: string) {
  const db = memoryCase();
  loadRecords(db, readRecords(`${REAL}stratus-red-team/aws.${name}.json`));
  return findings(db).findings;
}

test('planted incident: the leaked key turns up from a new address and agent, probes, plants a key for another user', () => {
  const all = findings(incident).findings;
  const leaked = (f: (typeof all)[number]) => f.actor?.origin.id === truth.leakedKey.userArn;
  const ip = all.find((f) => f.kind === 'new-source-ip' && f.value === truth.attacker.ip && leaked(f));
  assert.ok(ip, 'the attacker address is new for the leaked key owner');
  assert.equal(ip.eventIds[0], truth.firstUse.eventId, 'first seen at the first use');
  assert.equal(ip.severity, 'high', 'first call GetCallerIdentity from a new public address');
  assert.ok(all.some((f) => f.kind === 'new-user-agent' && truth.attacker.userAgents.includes(f.value) && leaked(f)));
  assert.ok(!all.some((f) => f.kind === 'new-source-ip' && truth.leakedKey.usualIps.includes(f.value) && leaked(f)), 'usual addresses are not new');

  const burst = all.find((f) => f.kind === 'access-denied-burst' && leaked(f));
  assert.ok(burst, 'the recon denials form a burst');
  assert.equal(burst.count, truth.recon.denied);

  const key = all.find((f) => f.kind === 'access-key-for-other-user');
  assert.ok(key);
  assert.equal(key.eventIds[0], truth.persistence.eventId);
  assert.equal(key.value, truth.persistence.targetUserName);
  assert.equal(key.severity, 'high');
  assert.equal(key.actor?.origin.id, truth.leakedKey.userArn);

  const stolen = all.find((f) => f.kind === 'instance-credentials-off-instance');
  assert.equal(stolen?.value, truth.stolenInstanceCredentials.usedFromIp);
  // Oldest first, and --actor narrows to the leaked key's owner.
  for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].firstTime <= all[i].firstTime);
  const mine = findings(incident, { actor: truth.leakedKey.accessKeyId }).findings;
  assert.ok(mine.length > 0 && mine.every((f) => f.actor?.chain.some((l) => l.accessKeyId === truth.leakedKey.accessKeyId)));
});

test('Stratus cloudtrail-stop, cloudtrail-delete, vpc-remove-flow-logs: covering tracks', () => {
  const stop = stratus('defense-evasion.cloudtrail-stop').filter((f) => f.kind === 'covering-tracks');
  assert.deepEqual(stop.map((f) => [f.eventNames[0], f.severity]), [['StopLogging', 'high']]);
  assert.ok(stop[0].value, 'names the trail');
  assert.ok(stratus('defense-evasion.cloudtrail-delete').some((f) => f.kind === 'covering-tracks' && f.eventNames[0] === 'DeleteTrail'));
  assert.ok(stratus('defense-evasion.vpc-remove-flow-logs').some((f) => f.kind === 'covering-tracks' && f.eventNames[0] === 'DeleteFlowLogs'));
});

test('Stratus create-admin-user: one critical sequence (user created, made admin) and the key made for it', () => {
  // Before rules were data these were two medium "persistence" findings; the sequence folds them.
  const all = stratus('persistence.iam-create-admin-user');
  const seq = all.filter((f) => f.kind === 'sequence');
  assert.equal(seq.length, 1);
  assert.equal(seq[0].severity, 'critical');
  assert.equal(seq[0].value, 'malicious-iam-user');
  assert.deepEqual(seq[0].eventNames, ['CreateUser', 'AttachUserPolicy', 'CreateAccessKey']);
  assert.ok(!all.some((f) => f.rule?.id === 'iam-user-created' || f.rule?.id === 'iam-admin-policy-attached'), 'folded into the sequence');
  const key = all.find((f) => f.kind === 'access-key-for-other-user');
  assert.equal(key?.value, 'malicious-iam-user');
});

test('Stratus backdoor-user: CreateAccessKey for another user is singled out; a key for oneself is not', () => {
  const all = stratus('persistence.iam-backdoor-user');
  assert.equal(all.filter((f) => f.kind === 'access-key-for-other-user').length, 1);
  const db = memoryCase();
  loadRecords(db, [{
    eventVersion: '1.08', eventTime: '2024-01-01T00:00:00Z', eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', awsRegion: 'us-east-1',
    eventID: 'self-key', sourceIPAddress: '198.51.100.1', userAgent: 'aws-cli/2', recipientAccountId: '111111111111',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/alice', accountId: '111111111111', accessKeyId: 'AKIAALICE0000000000A', userName: 'alice' },
    requestParameters: { userName: 'alice' }, responseElements: { accessKey: { accessKeyId: 'AKIAALICE0000000000B', userName: 'alice', status: 'Active' } },
  }]);
  const own = findings(db).findings;
  assert.deepEqual(own.map((f) => f.rule?.id), ['iam-access-key-created']);
  assert.equal(own[0].kind, 'persistence');
});

test('a console user\'s "AWS Internal" and service agents are not a new user agent; a Kali CLI is', () => {
  const db = memoryCase();
  const alice = { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/alice', accountId: '111111111111', accessKeyId: 'ASIAALICE000000CONSOLE', userName: 'alice' };
  const browser = 'Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0';
  const at = (i: number) => new Date(Date.parse('2025-01-01T09:00:00Z') + i * 60_000).toISOString().replace('.000', '');
  const agents = [...Array(6).fill(browser), 'AWS Internal', 'AWS Internal', '[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.488 Linux/5.10]',
    'cloudformation.amazonaws.com', 'aws-cli/2.13.25 Python/3.11.6 Linux/6.5.0-kali3-amd64 exe/x86_64.kali.2023 prompt/off command/sts.get-caller-identity'];
  loadRecords(db, agents.map((ua, i) => ({
    eventVersion: '1.08', eventTime: at(i), eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', awsRegion: 'us-east-1',
    eventID: `ua-${i}`, sourceIPAddress: ua === 'AWS Internal' ? 'AWS Internal' : '198.51.100.1', userAgent: ua, recipientAccountId: '111111111111',
    userIdentity: alice, readOnly: true,
  })));
  const agentsFlagged = findings(db).findings.filter((f) => f.kind === 'new-user-agent').map((f) => f.value);
  assert.deepEqual(agentsFlagged, [agents[agents.length - 1]]);
});

test('a CI job signing in with OIDC from a fresh runner address is low, and no finding once its jobs came from two networks; its key checked from elsewhere with GetCallerIdentity stays high', () => {
  const db = memoryCase();
  const A = '111122223333';
  const SUB = 'repo:example-corp/web:ref:refs/heads/main';
  const at = (i: number, m = 0) => new Date(Date.parse('2025-01-01T09:00:00Z') + i * 3_600_000 + m * 60_000).toISOString().replace('.000', '');
  const key = (i: number) => `ASIA2GHA0000000000${String(i).padStart(2, '0')}`;
  // The first three jobs' runners in one network, then each in a network of its own.
  const runner = (i: number) => (i < 3 ? `20.10.1.${i + 1}` : `20.${10 + i}.1.1`);
  // Each job assumes the deploy role with its token from a new hosted runner, then calls with the key it got.
  const job = (i: number, firstCall: string, from = runner(i)) => [
    { eventVersion: '1.10', eventID: `gha-${i}-in`, eventTime: at(i), eventSource: 'sts.amazonaws.com', eventName: 'AssumeRoleWithWebIdentity', awsRegion: 'us-east-1',
      sourceIPAddress: from, userAgent: 'aws-sdk-nodejs/2.1', recipientAccountId: A,
      userIdentity: { type: 'WebIdentityUser', principalId: `token.actions.githubusercontent.com:sts.amazonaws.com:${SUB}`, userName: SUB, identityProvider: 'token.actions.githubusercontent.com' },
      requestParameters: { roleArn: `arn:aws:iam::${A}:role/deploy`, roleSessionName: `GitHubActions-${i}` },
      responseElements: { provider: `arn:aws:iam::${A}:oidc-provider/token.actions.githubusercontent.com`, subjectFromWebIdentityToken: SUB, audience: 'sts.amazonaws.com',
        credentials: { accessKeyId: key(i), sessionToken: 't', expiration: at(i, 60) },
        assumedRoleUser: { assumedRoleId: `AROA2GHA000000000001:GitHubActions-${i}`, arn: `arn:aws:sts::${A}:assumed-role/deploy/GitHubActions-${i}` } } },
    ...[firstCall, 'DescribeInstances'].map((name, k) => ({
      eventVersion: '1.10', eventID: `gha-${i}-${k}`, eventTime: at(i, 1 + k), eventSource: name === 'GetCallerIdentity' ? 'sts.amazonaws.com' : 'ec2.amazonaws.com',
      eventName: name, awsRegion: 'us-east-1', sourceIPAddress: from, userAgent: 'aws-cli/2.15', recipientAccountId: A, readOnly: true,
      userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/deploy/GitHubActions-${i}`, accountId: A, accessKeyId: key(i),
        sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${A}:role/deploy`, accountId: A } } } })),
  ];
  // The last job's key, taken from the runner, checked from elsewhere: its first call there is GetCallerIdentity.
  const stolen = job(4, 'GetCallerIdentity', '185.220.101.34').slice(1).map((r) => ({ ...r, eventID: `${r.eventID}-stolen`, eventTime: at(4, 30) }));
  loadRecords(db, [...[0, 1, 2, 3, 4].flatMap((i) => job(i, 'DescribeVpcs')), ...stolen]);
  const found = findings(db).findings.filter((f) => f.kind === 'new-source-ip');
  // The third job's runner is in the network of the first two; the fourth's in a second network; the fifth's in a third: no finding.
  assert.deepEqual(found.map((f) => [f.value, f.severity]), [[runner(2), 'low'], [runner(3), 'low'], ['185.220.101.34', 'high']]);
  assert.match(found[1].detail, /, a web identity \(a CI job or an app signing in with OIDC\), whose hosted runners call from a new address at each job\.$/);
  db.close();
});

test('a new region the account already works in is low; one no one in the case had used is medium', () => {
  const db = memoryCase();
  const who = (name: string) => ({ type: 'IAMUser', arn: `arn:aws:iam::111111111111:user/${name}`, accountId: '111111111111', accessKeyId: `AKIA${name.toUpperCase().padEnd(16, '0')}`, userName: name });
  const at = (i: number) => new Date(Date.parse('2025-01-01T09:00:00Z') + i * 3_600_000).toISOString().replace('.000', '');
  const call = (i: number, name: string, region: string) => ({
    eventVersion: '1.08', eventTime: at(i), eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', awsRegion: region,
    eventID: `region-${i}-${name}`, sourceIPAddress: '198.51.100.1', userAgent: 'aws-cli/2.13.25', recipientAccountId: '111111111111', userIdentity: who(name), readOnly: true,
  });
  // The service works in two regions; alice, in one, then reaches the second, then one no one used.
  loadRecords(db, [call(0, 'service', 'us-east-1'), call(1, 'service', 'eu-west-1'), ...[2, 3, 4, 5, 6].map((i) => call(i, 'alice', 'us-east-1')),
    call(7, 'alice', 'eu-west-1'), call(8, 'alice', 'ap-southeast-3')]);
  const found = Object.fromEntries(findings(db).findings.filter((f) => f.kind === 'new-region').map((f) => [f.value, [f.severity, f.detail]]));
  assert.deepEqual(found['eu-west-1'], ['low', 'user/alice first acted in eu-west-1 (1 events), a region others in the case acted in before.']);
  assert.deepEqual(found['ap-southeast-3'], ['medium', 'user/alice first acted in ap-southeast-3 (1 events), a region no one in the case had acted in before.']);
  db.close();
});

test('a new address in a network the identity called from before is low; one in a new network is not', () => {
  const db = memoryCase();
  const alice = { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/alice', accountId: '111111111111', accessKeyId: 'AKIAALICE00000000001', userName: 'alice' };
  const at = (i: number) => new Date(Date.parse('2025-01-01T09:00:00Z') + i * 3_600_000).toISOString().replace('.000', '');
  // Six calls from home (an IPv4 address and an IPv6 privacy address), then the provider's next address,
  // the next privacy address of the same link, and an address of another network.
  const ips = ['203.0.113.10', '203.0.113.10', '2001:db8:1:2:aaaa::1', '203.0.113.10', '2001:db8:1:2:aaaa::1', '203.0.113.10',
    '203.0.113.77', '2001:db8:1:2:bbbb:cccc::9', '198.51.100.23'];
  loadRecords(db, ips.map((ip, i) => ({
    eventVersion: '1.08', eventTime: at(i), eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', awsRegion: 'us-east-1',
    eventID: `net-${i}`, sourceIPAddress: ip, userAgent: 'aws-cli/2.13.25', recipientAccountId: '111111111111', userIdentity: alice, readOnly: true,
  })));
  const found = Object.fromEntries(findings(db).findings.filter((f) => f.kind === 'new-source-ip').map((f) => [f.value, [f.severity, f.detail]]));
  assert.deepEqual(found['203.0.113.77'], ['low', 'user/alice first called from 203.0.113.77 (1 events from it), in 203.0.113.0/24, a network it called from before.']);
  assert.deepEqual(found['2001:db8:1:2:bbbb:cccc::9'], ['low', 'user/alice first called from 2001:db8:1:2:bbbb:cccc::9 (1 events from it), in 2001:db8:1:2::/64, a network it called from before.']);
  assert.deepEqual(found['198.51.100.23'], ['medium', 'user/alice first called from 198.51.100.23 (1 events from it).']);
  db.close();
});

test('the leaked key\'s actor report warns with the findings about it, the same ones findings() lists', () => {
  const key = truth.leakedKey.accessKeyId;
  const r = actorReport(incident, key);
  assert.ok(r);
  const warned = r.flags.flatMap((f) => (f.kind === 'finding' ? [[f.findingKind, f.value]] : []));
  assert.ok(warned.some(([k, v]) => k === 'new-source-ip' && v === truth.attacker.ip), 'the attacker address');
  assert.ok(warned.some(([k, v]) => k === 'new-user-agent' && truth.attacker.userAgents.includes(v)), 'the Kali agent');
  assert.ok(warned.some(([k, v]) => k === 'access-key-for-other-user' && v === truth.persistence.targetUserName), 'the backdoor key');
  assert.ok(!warned.some(([, v]) => truth.leakedKey.usualIps.includes(v)), 'usual addresses raise nothing');
  const sig = (f: { kind: string; firstTime: string; value: string | null }) => `${f.kind} ${f.firstTime} ${f.value}`;
  const listed = findings(incident, { actor: key }).findings.map(sig).sort();
  assert.deepEqual(actorReport(incident, key, { findings: 'all' })?.findings?.map(sig).sort(), listed, 'with the window scans: exactly the findings list');
  const fast = new Set(r.findings?.map(sig));
  assert.deepEqual(listed.filter((x) => fast.has(x)), [...fast].sort(), 'the fast report is a part of it');
  assert.ok(!fast.has(listed.find((x) => x.startsWith('access-denied-burst'))!), 'bursts need the window scan');
});

test('incidents: the attacker\'s ranks first and holds the open port and the termination; little high on background', () => {
  const r = findings(incident);
  const top = r.incidents![0];
  assert.equal(top.origin, truth.leakedKey.userArn, 'the leaked key\'s owner is behind the top incident');
  assert.equal(top.severity, 'critical');
  const inTop = r.findings.filter((f) => f.incident === top.id);
  const open = inTop.find((f) => f.rule?.id === 'ec2-security-group-open-to-world');
  assert.equal(open?.eventIds[0], truth.openPort.eventId);
  assert.equal(open?.value, truth.openPort.groupId);
  assert.ok(open?.rule?.techniques.includes('T1562.007'));
  assert.ok(inTop.some((f) => f.rule?.id === 'ec2-instances-terminated' && f.eventIds[0] === truth.terminate.eventId && f.severity === 'critical'));
  assert.deepEqual(top.stages.filter((s) => ['discovery', 'persistence', 'defense-evasion', 'impact'].includes(s)), ['discovery', 'persistence', 'defense-evasion', 'impact']);
  // Everything else is background (or the stolen instance credentials, the incident's other half).
  const attack = new Set([truth.leakedKey.userArn, truth.stolenInstanceCredentials.instanceId]);
  const backgroundHigh = r.findings.filter((f) => (f.severity === 'high' || f.severity === 'critical') && !attack.has(f.actor?.origin.id ?? ''));
  assert.ok(backgroundHigh.length <= 20, `${backgroundHigh.length} high findings on background: ${backgroundHigh.map((f) => f.title).join('; ')}`);
  assert.ok(r.findings.every((f) => f.rule && f.rule.techniques.length > 0), 'every finding names its rule and ATT&CK techniques');
  assert.ok(r.findings.every((f) => typeof f.incident === 'number'));
});
