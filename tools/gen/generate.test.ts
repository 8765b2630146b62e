/* eslint-disable @typescript-eslint/no-explicit-any -- walks parsed AWS JSON whose shape the assertions check */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAccount } from './generate.ts';
import { listFiles, readOutput } from './read-output.ts';

const small = { events: 1500, flows: 1200, users: 10, instances: 12, seed: 7 };

function tmp(label: string): string {
  return mkdtempSync(join(tmpdir(), `trailscope-gen-${label}-`));
}

test('same options give byte-identical output; another seed does not', async () => {
  const a = tmp('a');
  const b = tmp('b');
  const c = tmp('c');
  try {
    await generateAccount({ ...small, out: a });
    await generateAccount({ ...small, out: b });
    await generateAccount({ ...small, seed: 8, out: c });
    const fa = listFiles(a);
    assert.deepEqual(fa, listFiles(b));
    for (const f of fa) assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `${f} differs between runs`);
    assert.notDeepEqual(readFileSync(join(a, 'incident.json'), 'utf8'), readFileSync(join(c, 'incident.json'), 'utf8'));
  } finally {
    for (const d of [a, b, c]) rmSync(d, { recursive: true, force: true });
  }
});

test('counts, layout and the planted incident agree with incident.json', async (t) => {
  const dir = tmp('inc');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const summary = await generateAccount({ ...small, out: dir });
  const out = readOutput(dir);
  const inc = out.incident;
  const acct = inc.account;

  await t.test('requested counts are honoured', () => {
    assert.equal(out.records.length, small.events);
    assert.equal(out.flows.length, small.flows);
    assert.equal(summary.events, small.events);
    assert.equal(new Set(out.records.map((r) => r.eventID)).size, small.events, 'event ids are unique');
    const readOnly = out.records.filter((r) => r.readOnly).length / out.records.length;
    assert.ok(readOnly > 0.75 && readOnly < 0.95, `read-only share ${readOnly}`);
  });

  await t.test('files are laid out as delivered to S3', () => {
    const ct = out.files.filter((f) => f.includes('/CloudTrail/'));
    assert.ok(ct.length > 0);
    for (const f of ct) assert.match(f, new RegExp(`^AWSLogs/${acct}/CloudTrail/(us-east-1|eu-west-1)/\\d{4}/\\d{2}/\\d{2}/${acct}_CloudTrail_\\1_\\d{8}T\\d{4}Z_[A-Za-z0-9]{16}\\.json\\.gz$`));
    const fl = out.files.filter((f) => f.includes('/vpcflowlogs/'));
    for (const f of fl) assert.match(f, new RegExp(`^AWSLogs/${acct}/vpcflowlogs/(us-east-1|eu-west-1)/\\d{4}/\\d{2}/\\d{2}/${acct}_vpcflowlogs_\\1_fl-[0-9a-f]{17}_\\d{8}T\\d{4}Z_[0-9a-f]{8}\\.log\\.gz$`));
    assert.ok(out.files.some((f) => f.includes('/CloudTrail-Digest/')));
    for (const region of ['us-east-1', 'eu-west-1']) {
      for (const name of ['describe-instances', 'describe-security-groups', 'describe-security-group-rules', 'describe-network-interfaces', 'describe-vpcs', 'describe-subnets', 'describe-network-acls', 'describe-flow-logs']) {
        assert.ok(out.files.includes(`config/${region}/${name}.json`), `${region}/${name}`);
      }
    }
  });

  await t.test('every session key is issued by an AssumeRole before it is used', () => {
    const issuedAt = new Map<string, string>();
    for (const r of out.records) {
      if (r.eventName === 'AssumeRole' && r.responseElements) issuedAt.set(r.responseElements.credentials.accessKeyId, r.eventTime);
      const key = r.userIdentity.accessKeyId;
      if (r.userIdentity.type === 'AssumedRole') {
        assert.ok(issuedAt.has(key) && issuedAt.get(key)! <= r.eventTime, `${key} used at ${r.eventTime} before it was issued`);
      }
    }
  });

  const byId = new Map(out.records.map((r) => [r.eventID, r]));

  await t.test('the leaked key: first use from a new address, recon, persistence', () => {
    const key = inc.leakedKey.accessKeyId;
    const uses = out.records.filter((r) => r.userIdentity.accessKeyId === key);
    const fromAttacker = uses.filter((r) => r.sourceIPAddress === inc.attacker.ip);
    assert.equal(fromAttacker[0].eventID, inc.firstUse.eventId);
    assert.equal(fromAttacker[0].eventName, 'GetCallerIdentity');
    const before = uses.filter((r) => r.eventTime < inc.firstUse.time);
    assert.ok(before.length > 0, 'the key is in normal use before the incident');
    for (const r of before) assert.ok(inc.leakedKey.usualIps.includes(r.sourceIPAddress));
    const recon = inc.recon.events.map((e: { eventId: string }) => byId.get(e.eventId));
    assert.ok(recon.every((r: any) => r && r.userIdentity.accessKeyId === key && r.sourceIPAddress === inc.attacker.ip));
    assert.equal(recon.filter((r: any) => r.errorCode === 'AccessDenied' || r.errorCode === 'Client.UnauthorizedOperation').length, inc.recon.denied);
    assert.ok(inc.recon.denied >= 10);
    const ck = byId.get(inc.persistence.eventId)!;
    assert.equal(ck.eventName, 'CreateAccessKey');
    assert.equal(ck.requestParameters.userName, inc.persistence.targetUserName);
    assert.equal(ck.responseElements.accessKey.accessKeyId, inc.persistence.newAccessKeyId);
    const report = Buffer.from(out.config('global/get-credential-report.json').Content, 'base64').toString();
    const row = report.split('\n').find((l) => l.startsWith(`${inc.persistence.targetUserName},`))!;
    assert.match(row, /,true,\d{4}-\d{2}-\d{2}T[^,]+,N\/A,N\/A,N\/A,false,N\/A,false,N\/A$/, 'the new key shows as active and unused in the credential report');
  });

  await t.test('the admin session key was issued by AssumeRole to the leaked key', () => {
    const ar = byId.get(inc.assumeRole.eventId)!;
    assert.equal(ar.eventName, 'AssumeRole');
    assert.equal(ar.userIdentity.accessKeyId, inc.leakedKey.accessKeyId);
    assert.equal(ar.sourceIPAddress, inc.attacker.ip);
    assert.equal(ar.requestParameters.roleArn, inc.assumeRole.roleArn);
    assert.equal(ar.responseElements.credentials.accessKeyId, inc.assumeRole.issuedAccessKeyId);
    assert.equal(ar.responseElements.assumedRoleUser.arn, inc.assumeRole.sessionArn);
  });

  await t.test('the rule opening 22 to the world on the prod group, and the snapshot that shows it', () => {
    const ev = byId.get(inc.openPort.eventId)!;
    assert.equal(ev.eventName, 'AuthorizeSecurityGroupIngress');
    assert.equal(ev.userIdentity.accessKeyId, inc.assumeRole.issuedAccessKeyId);
    assert.equal(ev.userIdentity.sessionContext.sessionIssuer.arn, inc.assumeRole.roleArn);
    assert.equal(ev.requestParameters.groupId, inc.openPort.groupId);
    const perm = ev.requestParameters.ipPermissions.items[0];
    assert.deepEqual([perm.ipProtocol, perm.fromPort, perm.toPort, perm.ipRanges.items[0].cidrIp], ['tcp', 22, 22, '0.0.0.0/0']);
    assert.equal(ev.responseElements.securityGroupRuleSet.items[0].securityGroupRuleId, inc.openPort.ruleId);
    const rules = out.config('us-east-1/describe-security-group-rules.json').SecurityGroupRules;
    const rule = rules.find((r: any) => r.SecurityGroupRuleId === inc.openPort.ruleId);
    assert.deepEqual([rule.GroupId, rule.FromPort, rule.CidrIpv4, rule.IsEgress], [inc.openPort.groupId, 22, '0.0.0.0/0', false]);
    const group = out.config('us-east-1/describe-security-groups.json').SecurityGroups.find((g: any) => g.GroupId === inc.openPort.groupId);
    assert.equal(group.GroupName, 'prod-web');
    const instances = out.config('us-east-1/describe-instances.json').Reservations.flatMap((r: any) => r.Instances);
    const members = instances.filter((i: any) => i.SecurityGroups.some((g: any) => g.GroupId === group.GroupId));
    assert.ok(members.length > 0 && members.every((i: any) => i.Tags.some((t: any) => t.Key === 'Environment' && t.Value === 'production')));
  });

  await t.test('accepted SSH flows from the attacker after the rule, and the port scan before it', () => {
    const ssh = out.flows.filter((f) => f.srcaddr === inc.attacker.ip && f.dstport === '22');
    assert.equal(ssh.length, inc.sshFlows.inboundAccepted);
    const openedAt = Date.parse(inc.openPort.time) / 1000;
    const terminatedAt = Date.parse(inc.terminate.time) / 1000;
    for (const f of ssh) {
      assert.deepEqual([f.action, f['interface-id'], f['flow-direction'], f.dstaddr], ['ACCEPT', inc.sshFlows.interfaceId, 'ingress', inc.sshFlows.privateIp]);
      assert.ok(+f.start > openedAt && +f.end < terminatedAt);
    }
    // Scanners knock on the open port once it is accepted: a few packets each, from addresses of their own.
    for (const k of inc.sshFlows.knocks) {
      const [f, ...more] = out.flows.filter((x) => x.srcaddr === k.srcIp);
      assert.equal(more.length, 0);
      assert.deepEqual([f.action, f.dstport, f['interface-id'], +f.bytes], ['ACCEPT', '22', inc.sshFlows.interfaceId, k.bytes]);
      assert.ok(+f.start > openedAt && +f.start < terminatedAt);
    }
    const scan = out.flows.filter((f) => f.srcaddr === inc.portScan.srcIp);
    assert.equal(scan.length, inc.portScan.records);
    assert.ok(scan.every((f) => f.action === 'REJECT' && f['tcp-flags'] === '2'));
    assert.equal(new Set(scan.map((f) => f.dstport)).size, inc.portScan.distinctDstPorts);
    assert.ok(inc.portScan.distinctDstPorts >= 100);
    const late = out.flows.filter((f) => f['interface-id'] === inc.victimInstance.interfaceId && +f.start >= terminatedAt);
    assert.equal(late.length, 0, 'no traffic on the interface after the instance is terminated');
  });

  await t.test('instance credentials used from outside, and the termination', () => {
    const s = inc.stolenInstanceCredentials;
    const issued = byId.get(s.issuedBy.eventId)!;
    assert.equal(issued.userIdentity.invokedBy, 'ec2.amazonaws.com');
    assert.equal(issued.requestParameters.roleSessionName, s.instanceId);
    assert.equal(issued.responseElements.credentials.accessKeyId, s.accessKeyId);
    const uses = out.records.filter((r) => r.userIdentity.accessKeyId === s.accessKeyId);
    assert.deepEqual(new Set(uses.map((r) => r.sourceIPAddress)), new Set([s.instanceIp, s.usedFromIp]));
    for (const e of s.externalUses) assert.equal(byId.get(e.eventId)!.sourceIPAddress, inc.attacker.ip);

    const term = byId.get(inc.terminate.eventId)!;
    assert.equal(term.userIdentity.accessKeyId, inc.assumeRole.issuedAccessKeyId);
    const item = term.responseElements.instancesSet.items[0];
    assert.deepEqual([item.instanceId, item.previousState.name, item.currentState.name], [inc.terminate.instanceId, 'running', 'shutting-down']);
    const snap = out.config('us-east-1/describe-instances.json').Reservations.flatMap((r: any) => r.Instances).find((i: any) => i.InstanceId === inc.terminate.instanceId);
    assert.equal(snap.State.Name, 'terminated');
    const enis = out.config('us-east-1/describe-network-interfaces.json').NetworkInterfaces.map((n: any) => n.NetworkInterfaceId);
    assert.ok(!enis.includes(inc.victimInstance.interfaceId));
  });

  await t.test('benign Terraform changes match the snapshots', () => {
    const b = inc.benign;
    const run = byId.get(b.runInstances.eventId)!;
    assert.equal(run.responseElements.instancesSet.items[0].instanceId, b.runInstances.instanceId);
    const inst = out.config('us-east-1/describe-instances.json').Reservations.flatMap((r: any) => r.Instances).find((i: any) => i.InstanceId === b.runInstances.instanceId);
    assert.deepEqual(inst.SecurityGroups.map((g: any) => g.GroupId), b.groupSwap.groupIds);
    assert.equal(inst.LaunchTime.slice(0, 16), run.eventTime.slice(0, 16));
    assert.ok(out.records.every((r) => r.eventTime >= run.eventTime || r.userIdentity.principalId?.split(':')[1] !== b.runInstances.instanceId), 'no instance-role activity before launch');
    const rules = out.config('us-east-1/describe-security-group-rules.json').SecurityGroupRules;
    assert.ok(rules.some((r: any) => r.SecurityGroupRuleId === b.addRule.ruleId && r.ReferencedGroupInfo?.GroupId === b.addRule.referencedGroupId));
    assert.ok(!rules.some((r: any) => r.GroupId === b.revokeRule.groupId && r.FromPort === 8080 && r.CidrIpv4 === '0.0.0.0/0'));
  });

  await t.test('IAM snapshot: URL-encoded trust policies, groups, instance profiles', () => {
    const gaad = out.config('global/get-account-authorization-details.json');
    const admin = gaad.RoleDetailList.find((r: any) => r.Arn === inc.assumeRole.roleArn);
    const trust = JSON.parse(decodeURIComponent(admin.AssumeRolePolicyDocument));
    assert.ok(JSON.stringify(trust.Statement).includes(inc.leakedKey.userArn));
    const profiles = gaad.RoleDetailList.flatMap((r: any) => r.InstanceProfileList);
    assert.ok(profiles.length > 0);
    assert.ok(gaad.UserDetailList.some((u: any) => u.GroupList.length > 0));
  });
});

test('--users and --instances scale the account', async (t) => {
  const dir = tmp('scale');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await generateAccount({ events: 300, flows: 300, users: 60, instances: 80, out: dir });
  const out = readOutput(dir);
  assert.equal(out.config('global/get-account-authorization-details.json').UserDetailList.length, 60);
  const count = ['us-east-1', 'eu-west-1'].reduce((n, r) => n + out.config(`${r}/describe-instances.json`).Reservations.length, 0);
  assert.equal(count, 80);
});
