/* eslint-disable @typescript-eslint/no-explicit-any -- walks parsed AWS JSON whose shape the assertions check */
// The account shape knobs: credential churn, an organisation trail, masked keys and no snapshots,
// with the planted incident still where incident.json says it is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAccount } from './generate.ts';
import { readOutput } from './read-output.ts';
import { checkShape } from './shape.ts';

const ISSUERS = new Set(['AssumeRole', 'AssumeRoleWithWebIdentity']);

function generated(label: string, shape: Parameters<typeof generateAccount>[0]['shape'], events = 3000) {
  const dir = mkdtempSync(join(tmpdir(), `trailscope-shape-${label}-`));
  return { dir, run: () => generateAccount({ events, flows: 400, users: 10, instances: 12, seed: 3, out: dir, shape }) };
}

/** Calls made with each temporary key, and the time it was issued. */
function keyUses(records: any[]) {
  const issued = new Map<string, string>();
  const uses = new Map<string, number>();
  for (const r of records) {
    if (ISSUERS.has(r.eventName) && r.responseElements) issued.set(r.responseElements.credentials.accessKeyId, r.eventTime);
    const key = r.userIdentity.accessKeyId;
    if (r.userIdentity.type === 'AssumedRole' && !key.includes('*')) {
      assert.ok(issued.has(key) && issued.get(key)! <= r.eventTime, `${key} used at ${r.eventTime} before it was issued`);
      uses.set(key, (uses.get(key) ?? 0) + 1);
    }
  }
  return { issued, uses };
}

test('a new key for every call: every background session key makes one call, the incident is intact', async (t) => {
  const g = generated('churn', { callsPerKey: 1, lambdas: 6, ciPipelines: 3, instanceKeyHours: 1 });
  t.after(() => rmSync(g.dir, { recursive: true, force: true }));
  const summary = await g.run();
  const out = readOutput(g.dir);
  const inc = out.incident;
  assert.equal(out.records.length, 3000);
  const { issued, uses } = keyUses(out.records);
  assert.equal(summary.temporaryKeys, issued.size);
  assert.equal(inc.population.temporaryKeys, issued.size);
  assert.ok(issued.size > 1200, `only ${issued.size} keys issued for 3000 records`);
  const incidentKeys = new Set([inc.assumeRole.issuedAccessKeyId, inc.stolenInstanceCredentials.accessKeyId, inc.benign.actor.accessKeyId]);
  for (const [key, n] of uses) if (!incidentKeys.has(key)) assert.equal(n, 1, `${key} made ${n} calls`);

  // Lambda cold starts and GitHub Actions runs: many keys behind one session name each.
  const lambda = out.records.filter((r) => r.eventName === 'AssumeRole' && r.userIdentity.invokedBy === 'lambda.amazonaws.com');
  assert.ok(lambda.length > 50);
  const oidc = out.records.filter((r) => r.eventName === 'AssumeRoleWithWebIdentity');
  assert.ok(oidc.length > 20);
  for (const r of oidc) {
    assert.equal(r.userIdentity.type, 'WebIdentityUser');
    assert.match(r.userIdentity.identityProvider, /oidc-provider\/token\.actions\.githubusercontent\.com$/);
    assert.equal(r.responseElements.assumedRoleUser.arn.split('/').at(-1), 'GitHubActions');
  }
  const gaad = out.config('global/get-account-authorization-details.json');
  for (const r of [...lambda, ...oidc]) assert.ok(gaad.RoleDetailList.some((d: any) => d.Arn === r.requestParameters.roleArn), `${r.requestParameters.roleArn} is in the IAM snapshot`);

  // The planted incident is where incident.json says, in the churned account.
  const byId = new Map(out.records.map((r) => [r.eventID, r]));
  const open = byId.get(inc.openPort.eventId)!;
  assert.equal(open.eventName, 'AuthorizeSecurityGroupIngress');
  assert.equal(open.userIdentity.accessKeyId, inc.assumeRole.issuedAccessKeyId);
  assert.equal(byId.get(inc.firstUse.eventId)!.userIdentity.accessKeyId, inc.leakedKey.accessKeyId);
  assert.equal(byId.get(inc.terminate.eventId)!.requestParameters.instancesSet.items[0].instanceId, inc.victimInstance.instanceId);
  assert.deepEqual(inc.generator.shape, { callsPerKey: 1, lambdas: 6, ciPipelines: 3, instanceKeyHours: 1 });
});

test('ECS tasks: every task assumes its service\'s task role with a session named after the task', async (t) => {
  const g = generated('ecs', { callsPerKey: 3, ecsServices: 4 });
  t.after(() => rmSync(g.dir, { recursive: true, force: true }));
  await g.run();
  const out = readOutput(g.dir);
  const tasks = out.records.filter((r) => r.eventName === 'AssumeRole' && r.userIdentity.invokedBy === 'ecs-tasks.amazonaws.com');
  assert.ok(tasks.length > 50, `${tasks.length} tasks`);
  const names = tasks.map((r) => r.requestParameters.roleSessionName);
  for (const n of names) assert.match(n, /^[0-9a-f]{32}$/);
  assert.equal(new Set(names).size, names.length, 'a session name of its own for every task');
  assert.equal(new Set(tasks.map((r) => r.requestParameters.roleArn)).size, 4);
  const { uses } = keyUses(out.records);
  for (const r of tasks) assert.ok((uses.get(r.responseElements.credentials.accessKeyId) ?? 0) <= 3);
});

test('issues left out of the files: the keys still call, and the trail holds the events asked for', async (t) => {
  const g = generated('unrecorded', { callsPerKey: 1, instanceKeyHours: 1, lambdas: 4, unrecordedIssues: 1 });
  t.after(() => rmSync(g.dir, { recursive: true, force: true }));
  const summary = await g.run();
  const out = readOutput(g.dir);
  assert.equal(out.records.length, 3000);
  assert.equal(summary.events, 3000);
  assert.equal(out.incident.population.unrecordedIssues, summary.unrecordedIssues);
  // Only the planted incident's issues are left in the files, so its answers hold.
  const issuing = out.records.filter((r) => r.eventSource === 'sts.amazonaws.com' && /^(AssumeRole|GetSessionToken|GetFederationToken)/.test(r.eventName) && !r.errorCode);
  const issuedKeys = new Set(issuing.map((r) => r.responseElements.credentials.accessKeyId));
  assert.ok(issuedKeys.has(out.incident.assumeRole.issuedAccessKeyId));
  assert.ok(issuing.length <= 5, `${issuing.length} issuing calls left`);
  const orphans = new Set(out.records.filter((r) => r.userIdentity.type === 'AssumedRole' && !issuedKeys.has(r.userIdentity.accessKeyId)).map((r) => r.userIdentity.accessKeyId));
  assert.ok(orphans.size > 1000, `${orphans.size} keys no call in the files issued`);
  assert.ok(summary.unrecordedIssues >= orphans.size, `${summary.unrecordedIssues} issues left out for ${orphans.size} keys`);
});

test('S3 data events: workloads write new objects and read recent ones, each record naming its object and bucket', async (t) => {
  const g = generated('s3-data', { callsPerKey: 20, lambdas: 4, s3DataEvents: 0.5 });
  t.after(() => rmSync(g.dir, { recursive: true, force: true }));
  await g.run();
  const out = readOutput(g.dir);
  const data = out.records.filter((r) => r.eventCategory === 'Data');
  assert.ok(data.length > 400, `${data.length} data events`);
  for (const r of data) {
    assert.equal(r.managementEvent, false);
    assert.equal(r.eventSource, 's3.amazonaws.com');
    const object = r.resources.find((x: any) => x.type === 'AWS::S3::Object').ARN;
    assert.equal(object, `arn:aws:s3:::${r.requestParameters.bucketName}/${r.requestParameters.key}`);
    assert.equal(r.readOnly, r.eventName === 'GetObject');
  }
  // Every object read was written before, in the files.
  const written = new Set<string>();
  for (const r of data) {
    const object = `${r.requestParameters.bucketName}/${r.requestParameters.key}`;
    if (r.eventName === 'PutObject') written.add(object);
    else assert.ok(written.has(object), `${object} read before it was written`);
  }
  assert.ok(written.size > 100 && written.size < data.length, `${written.size} objects for ${data.length} calls`);
  // Only the workloads' sessions (instances, functions) touch objects.
  for (const r of data) assert.match(r.userIdentity.arn, /assumed-role\/[^/]*(instance-role\/i-|lambda-role\/)/);
});

test('sessions of fifty calls, instance keys rotated hourly', async (t) => {
  const g = generated('sessions', { callsPerKey: 50, instanceKeyHours: 1 });
  t.after(() => rmSync(g.dir, { recursive: true, force: true }));
  await g.run();
  const out = readOutput(g.dir);
  const { issued, uses } = keyUses(out.records);
  const inc = out.incident;
  const scripted = new Set([inc.assumeRole.issuedAccessKeyId, inc.stolenInstanceCredentials.accessKeyId, inc.benign.actor.accessKeyId]);
  for (const [key, n] of uses) if (!scripted.has(key)) assert.ok(n <= 50, `${key} made ${n} calls`);
  // No instance uses a role key older than an hour (the incident's stolen key is scripted apart).
  const stolen = out.incident.stolenInstanceCredentials.accessKeyId;
  const instanceCalls = out.records.filter((r) => r.userIdentity.sessionContext?.ec2RoleDelivery && r.userIdentity.accessKeyId !== stolen);
  assert.ok(instanceCalls.length > 1000);
  for (const r of instanceCalls) assert.ok(Date.parse(r.eventTime) - Date.parse(issued.get(r.userIdentity.accessKeyId)!) <= 3600_000, `${r.userIdentity.accessKeyId} used after an hour`);
});

test('an organisation trail with masked keys and no configuration snapshots', async (t) => {
  const g = generated('org', { accounts: 4, redactedKeys: 0.2, config: false });
  t.after(() => rmSync(g.dir, { recursive: true, force: true }));
  const summary = await g.run();
  const out = readOutput(g.dir);
  const { population } = out.incident;
  assert.match(population.organizationId, /^o-[a-z0-9]{10}$/);
  assert.equal(population.accounts.length, 4);
  assert.equal(population.accounts[0], out.incident.account);
  // Every record sits under its own account's folder of the organisation's trail.
  const ct = out.files.filter((f) => f.includes('/CloudTrail/'));
  assert.deepEqual(new Set(ct.map((f) => f.split('/')[2])), new Set(population.accounts));
  for (const f of ct) assert.match(f, new RegExp(`^AWSLogs/${population.organizationId}/(\\d{12})/CloudTrail/[a-z0-9-]+/\\d{4}/\\d{2}/\\d{2}/\\1_CloudTrail_`));
  const byAccount = new Map<string, number>();
  for (const r of out.records) byAccount.set(r.recipientAccountId, (byAccount.get(r.recipientAccountId) ?? 0) + 1);
  for (const id of population.accounts) assert.ok((byAccount.get(id) ?? 0) > 300, `${id} has ${byAccount.get(id)} records`);

  const masked = out.records.filter((r) => /^(AKIA|ASIA)\*{16}$/.test(r.userIdentity.accessKeyId ?? ''));
  assert.equal(masked.length, summary.redactedRecords);
  assert.equal(masked.length, population.redactedRecords);
  const withKeys = out.records.filter((r) => r.userIdentity.accessKeyId).length;
  assert.ok(masked.length > withKeys * 0.12 && masked.length < withKeys * 0.28, `${masked.length} of ${withKeys} keys masked`);
  // The incident's records keep their keys.
  const byId = new Map(out.records.map((r) => [r.eventID, r]));
  assert.equal(byId.get(out.incident.openPort.eventId)!.userIdentity.accessKeyId, out.incident.openPort.accessKeyId);

  assert.equal(summary.configFiles, 0);
  assert.ok(!out.files.some((f) => f.startsWith('config/')));
});

test('small CloudTrail files: every file holds at most the records asked for, and every record is delivered', async (t) => {
  const g = generated('small-files', { callsPerKey: 50, recordsPerFile: 7 });
  t.after(() => rmSync(g.dir, { recursive: true, force: true }));
  const summary = await g.run();
  const out = readOutput(g.dir);
  const ct = out.files.filter((f) => /\/CloudTrail\/.*\.json\.gz$/.test(f));
  const perFile = ct.map((f) => JSON.parse(gunzipSync(readFileSync(join(g.dir, f))).toString()).Records.length as number);
  assert.ok(Math.max(...perFile) <= 7 && Math.min(...perFile) >= 1);
  assert.equal(ct.length, summary.cloudTrailFiles);
  assert.ok(ct.length >= Math.ceil(3000 / 7));
  assert.equal(out.records.length, 3000);
  assert.equal(new Set(out.records.map((r) => r.eventID)).size, 3000);
  assert.ok(out.records.some((r) => r.eventID === out.incident.openPort.eventId));
});

test('flow logs in the default format: version 2 records of its 14 fields, a header saying so, the flow logs\' format in the snapshots', async (t) => {
  const g = generated('flow-v2', { flowVersion: 2 });
  t.after(() => rmSync(g.dir, { recursive: true, force: true }));
  const summary = await g.run();
  const files = readOutput(g.dir).files.filter((f) => f.includes('/vpcflowlogs/'));
  const lines = files.flatMap((f) => gunzipSync(readFileSync(join(g.dir, f))).toString().trim().split('\n'));
  const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
  assert.equal(lines.filter((l) => l === header).length, files.length);
  const records = lines.filter((l) => l !== header);
  assert.equal(records.length, summary.flows);
  assert.ok(records.every((l) => l.split(' ').length === 14 && l.startsWith('2 ')), records.find((l) => l.split(' ').length !== 14));
  assert.ok(records.some((l) => l.endsWith(' NODATA')) || records.length < 1000);
  const logs = JSON.parse(readFileSync(join(g.dir, readOutput(g.dir).files.find((f) => f.endsWith('describe-flow-logs.json'))!), 'utf8')).FlowLogs;
  assert.ok(logs.every((l: any) => l.LogFormat === header.split(' ').map((f) => '${' + f + '}').join(' ')));
});

test('shape knobs out of bounds are refused by name', () => {
  assert.throws(() => checkShape({ flowVersion: 3 as never }), /shape\.flowVersion must be 2 or 5/);
  assert.throws(() => checkShape({ ipv6: 1.5 }), /shape\.ipv6 must be a number from 0 to 1/);
  assert.throws(() => checkShape({ callsPerKey: 0 }), /shape\.callsPerKey must be an integer from 1/);
  assert.throws(() => checkShape({ redactedKeys: 1.5 }), /shape\.redactedKeys must be a number from 0 to 1/);
  assert.throws(() => checkShape({ accounts: 2.5 }), /shape\.accounts/);
  assert.throws(() => checkShape({ recordsPerFile: 1001 }), /shape\.recordsPerFile must be an integer from 1 to 1000/);
  assert.deepEqual(checkShape({ lambdas: undefined, config: true }), { config: true });
});
