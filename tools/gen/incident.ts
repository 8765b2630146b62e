// The planted incident: a leaked CI access key used from a new address, recon, persistence, a role
// session that opens SSH on the prod web group, SSH traffic, a scan of the instance's neighbour from it,
// instance credentials stolen from IMDS and used from outside, and termination of the instance. Also a
// port scan from outside. Returns the records,
// the flow lines and the ground truth written to incident.json.
import type { Rng } from './prng.ts';
import type { Account, Region } from './types.ts';
import type { Cast } from './model.ts';
import { accessKeyId, ec2Id } from './prng.ts';
import type { CloudTrailRecord, Identity } from './records.ts';
import { assumedRoleIdentity, buildRecord, denied, serviceIdentity, sessionArn, userIdentity } from './records.ts';
import { assumeRole } from './sessions.ts';
import type { FlowLine } from './flows.ts';
import { flowLine } from './flows.ts';
import { iamDate, isoSeconds } from './time-ip.ts';
import { UA } from './user-agents.ts';

export const ATTACKER_IP = '185.220.101.34';
export const SCANNER_IP = '45.155.205.99';
/**
 * The internet finds a port opened to the world within minutes: scanners complete the handshake (and
 * a banner grab) now that it is accepted, a few packets each. Fixed addresses and times, no draws, so
 * the rest of the account stays as it was.
 */
const KNOCKS: [ip: string, minute: number, packets: number][] = [['167.94.138.35', 15, 3], ['71.6.146.185', 21, 6], ['89.248.165.52', 37, 4]];
const MIN = 60_000;
/** The ports the intruder tries on the victim's neighbour from the victim (step 8b). */
const LATERAL_PORTS = [21, 22, 23, 25, 111, 135, 139, 445, 1433, 3306, 3389, 5432, 6379, 8080];

type Ref = { eventId: string; eventName: string; time: string; region: string };
const ref = (r: CloudTrailRecord): Ref => ({ eventId: r.eventID, eventName: r.eventName, time: r.eventTime, region: r.awsRegion });

export type IncidentPlan = { anchorMs: number; terminateMs: number; victimInstanceQuietFrom: number };

/** Fixed times of the incident inside the window: anchored at 60 % of it, on a minute. */
export function planIncident(startMs: number, endMs: number): IncidentPlan {
  const anchorMs = startMs + Math.round((0.6 * (endMs - startMs)) / MIN) * MIN;
  return { anchorMs, terminateMs: anchorMs + 42 * MIN, victimInstanceQuietFrom: anchorMs - 35 * MIN };
}

type Recon = { source: string; name: string; action: string; region: Region; ok: boolean; params?: unknown; ec2?: boolean };

export function buildIncident(rng: Rng, account: Account, cast: Cast, plan: IncidentPlan) {
  const T = plan.anchorMs;
  const acct = account.id;
  const records: CloudTrailRecord[] = [];
  const flows: FlowLine[] = [];
  const inst = cast.victimInstance;
  const azId = account.subnets.find((s) => s.id === inst.subnetId)!.azId;
  const victim = cast.victimUser;
  const victimKey = victim.keys[0].id;
  const victimId = userIdentity(acct, victim, victimKey);
  const instRole = account.roles.find((r) => r.name === inst.roleName)!;
  const call = (time: number, region: string, source: string, name: string, identity: Identity, ip: string, ua: string, params: unknown, response: unknown, readOnly: boolean, error?: [string, string]): CloudTrailRecord => {
    const r = buildRecord(rng, { time, region, source, name, identity, ip, ua, params, response, readOnly, error, recipient: acct });
    records.push(r);
    return r;
  };

  // 1. Port scan from one address: many ports, rejected, SYN only, three hours before.
  const scanStart = Math.floor((T - 180 * MIN) / 1000);
  const ports = [21, 22, 23, 25, 53, 80, 110, 111, 135, 139, 143, 443, 445, 993, 995, 1433, 1521, 1723, 2049, 2375, 3000, 3306, 3389, 5000, 5432, 5601, 5900, 5985, 6379, 7001, 8000, 8008, 8080, 8081, 8088, 8443, 8888, 9000, 9090, 9200, 9300, 10250, 11211, 27017];
  for (let p = 1; ports.length < 120; p += 7) if (!ports.includes(1024 + p)) ports.push(1024 + p);
  const scanPorts: number[] = [];
  ports.forEach((port, k) => {
    const start = scanStart + Math.floor(k / 60) * 60;
    // 22 answers only to the bastion group at this point, so every probe is rejected.
    scanPorts.push(port);
    flows.push(flowLine(acct, { inst, azId, src: SCANNER_IP, dst: inst.privateIp, srcPort: 40000 + (k * 37) % 20000, dstPort: port, protocol: 6, packets: 1, bytes: 44, start, end: start + 59, action: 'REJECT', tcpFlags: 2, direction: 'ingress' }));
  });

  // 2. EC2 refreshes the victim instance's role credentials; the instance uses them as usual.
  const instIssued = assumeRole(rng, { account, time: T - 30 * MIN, region: inst.region, caller: serviceIdentity('ec2.amazonaws.com'), ip: 'ec2.amazonaws.com', ua: 'ec2.amazonaws.com', role: instRole, sessionName: inst.id, durationSeconds: 21600 });
  records.push(instIssued.record);
  const instIdentity = assumedRoleIdentity(acct, instRole, inst.id, instIssued.accessKeyId, T - 30 * MIN, { ec2: true });
  const instUse = (time: number): CloudTrailRecord =>
    call(time, inst.region, 'ssm.amazonaws.com', 'UpdateInstanceInformation', instIdentity, inst.publicIp!, UA.ssmAgent,
      { instanceId: inst.id, agentVersion: '3.3.131.0', agentStatus: 'Active', platformType: 'Linux', platformName: 'Amazon Linux', platformVersion: '2023', iPAddress: inst.privateIp, agentName: 'amazon-ssm-agent', availabilityZone: inst.az }, null, false);
  const instOwnUse = [instUse(T - 28 * MIN), instUse(T - 13 * MIN), instUse(T + 20 * MIN), instUse(T + 35 * MIN)];

  // 3. The leaked key from a new address and a new client.
  const gci = call(T, 'us-east-1', 'sts.amazonaws.com', 'GetCallerIdentity', victimId, ATTACKER_IP, UA.attacker('sts.get-caller-identity'), null, null, true);

  // 4. Recon: a burst of List*/Describe*, mostly denied.
  const recon: Recon[] = [
    { source: 'iam.amazonaws.com', name: 'GetUser', action: 'iam:GetUser', region: 'us-east-1', ok: true, params: { userName: victim.name } },
    { source: 'iam.amazonaws.com', name: 'ListAttachedUserPolicies', action: 'iam:ListAttachedUserPolicies', region: 'us-east-1', ok: true, params: { userName: victim.name } },
    { source: 'iam.amazonaws.com', name: 'ListUserPolicies', action: 'iam:ListUserPolicies', region: 'us-east-1', ok: true, params: { userName: victim.name } },
    { source: 'iam.amazonaws.com', name: 'ListUsers', action: 'iam:ListUsers', region: 'us-east-1', ok: false },
    { source: 'iam.amazonaws.com', name: 'ListGroups', action: 'iam:ListGroups', region: 'us-east-1', ok: false },
    { source: 'iam.amazonaws.com', name: 'GetAccountAuthorizationDetails', action: 'iam:GetAccountAuthorizationDetails', region: 'us-east-1', ok: false },
    { source: 'iam.amazonaws.com', name: 'ListRoles', action: 'iam:ListRoles', region: 'us-east-1', ok: true },
    { source: 'ec2.amazonaws.com', name: 'DescribeInstances', action: 'ec2:DescribeInstances', region: 'us-east-1', ok: false, ec2: true, params: { instancesSet: {}, filterSet: {} } },
    { source: 'ec2.amazonaws.com', name: 'DescribeVpcs', action: 'ec2:DescribeVpcs', region: 'us-east-1', ok: false, ec2: true, params: { vpcSet: {}, filterSet: {} } },
    { source: 'ec2.amazonaws.com', name: 'DescribeInstances', action: 'ec2:DescribeInstances', region: 'eu-west-1', ok: false, ec2: true, params: { instancesSet: {}, filterSet: {} } },
    { source: 's3.amazonaws.com', name: 'ListBuckets', action: 's3:ListAllMyBuckets', region: 'us-east-1', ok: false, params: { Host: 's3.amazonaws.com' } },
    { source: 'secretsmanager.amazonaws.com', name: 'ListSecrets', action: 'secretsmanager:ListSecrets', region: 'us-east-1', ok: false },
    { source: 'lambda.amazonaws.com', name: 'ListFunctions20150331', action: 'lambda:ListFunctions', region: 'us-east-1', ok: false },
    { source: 'rds.amazonaws.com', name: 'DescribeDBInstances', action: 'rds:DescribeDBInstances', region: 'us-east-1', ok: false },
    { source: 'ssm.amazonaws.com', name: 'DescribeParameters', action: 'ssm:DescribeParameters', region: 'us-east-1', ok: false },
    { source: 'kms.amazonaws.com', name: 'ListKeys', action: 'kms:ListKeys', region: 'us-east-1', ok: false },
    { source: 'dynamodb.amazonaws.com', name: 'ListTables', action: 'dynamodb:ListTables', region: 'us-east-1', ok: false },
    { source: 'cloudtrail.amazonaws.com', name: 'DescribeTrails', action: 'cloudtrail:DescribeTrails', region: 'us-east-1', ok: false },
    { source: 'guardduty.amazonaws.com', name: 'ListDetectors', action: 'guardduty:ListDetectors', region: 'us-east-1', ok: false },
    { source: 'ec2.amazonaws.com', name: 'DescribeSecurityGroups', action: 'ec2:DescribeSecurityGroups', region: 'us-east-1', ok: true, params: { securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} } },
  ];
  const reconRecords = recon.map((c, k) =>
    call(T + MIN + k * 17_000, c.region, c.source, c.name, victimId, ATTACKER_IP, UA.attacker(`${c.source.split('.')[0]}.${c.name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}`),
      c.params ?? null, null, true, c.ok ? undefined : denied(victim.arn, c.action, '*', c.ec2)));

  // 5. Persistence: a new access key for a dormant service user.
  const newKey = accessKeyId(rng, 'AKIA');
  const target = cast.persistenceUser;
  const createKeyMs = T + 9 * MIN;
  const createKey = call(createKeyMs, 'us-east-1', 'iam.amazonaws.com', 'CreateAccessKey', victimId, ATTACKER_IP, UA.attacker('iam.create-access-key'),
    { userName: target.name }, { accessKey: { userName: target.name, accessKeyId: newKey, status: 'Active', createDate: iamDate(createKeyMs) } }, false);
  target.keys.push({ id: newKey, created: isoSeconds(createKeyMs), status: 'Active' });

  // 6. Into the prod admin role.
  const sessionName = 'admin-debug';
  const assumeMs = T + 11 * MIN;
  const issued = assumeRole(rng, { account, time: assumeMs, region: 'us-east-1', caller: victimId, ip: ATTACKER_IP, ua: UA.attacker('sts.assume-role'), role: cast.prodAdminRole, sessionName, durationSeconds: 3600 });
  records.push(issued.record);
  const adminId = assumedRoleIdentity(acct, cast.prodAdminRole, sessionName, issued.accessKeyId, assumeMs);
  const sg = cast.prodWebSg;
  call(T + 12 * MIN, 'us-east-1', 'ec2.amazonaws.com', 'DescribeSecurityGroups', adminId, ATTACKER_IP, UA.attacker('ec2.describe-security-groups'), { securityGroupSet: {}, securityGroupIdSet: { items: [{ groupId: sg.id }] }, filterSet: {} }, null, true);
  call(T + 12 * MIN + 20_000, 'us-east-1', 'ec2.amazonaws.com', 'DescribeInstances', adminId, ATTACKER_IP, UA.attacker('ec2.describe-instances'), { instancesSet: {}, filterSet: { items: [{ name: 'instance.group-id', valueSet: { items: [{ value: sg.id }] } }] } }, null, true);

  // 7. Open SSH to the world on the prod web group.
  const ruleId = ec2Id(rng, 'sgr');
  const openMs = T + 14 * MIN;
  const open = call(openMs, 'us-east-1', 'ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', adminId, ATTACKER_IP, UA.attacker('ec2.authorize-security-group-ingress'),
    { groupId: sg.id, ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, groups: {}, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] }, ipv6Ranges: {}, prefixListIds: {} }] } },
    { _return: true, securityGroupRuleSet: { items: [{ groupOwnerId: acct, groupId: sg.id, securityGroupRuleId: ruleId, isEgress: false, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' }] } }, false);
  sg.rules.push({ id: ruleId, groupId: sg.id, isEgress: false, protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' });

  // 8. SSH sessions from the attacker to the instance, accepted now.
  const sshStart = Math.floor((T + 16 * MIN) / 1000);
  const sshFlows: FlowLine[] = [];
  const sport = 51234;
  for (let w = 0; w < 24; w++) {
    const start = sshStart + w * 60;
    const flags = w === 0 ? 2 : w === 23 ? 1 : 0;
    const packets = 20 + ((w * 13) % 40);
    sshFlows.push(flowLine(acct, { inst, azId, src: ATTACKER_IP, dst: inst.privateIp, srcPort: sport, dstPort: 22, protocol: 6, packets, bytes: packets * 88, start, end: start + 59, action: 'ACCEPT', tcpFlags: flags, direction: 'ingress' }));
    sshFlows.push(flowLine(acct, { inst, azId, src: inst.privateIp, dst: ATTACKER_IP, srcPort: 22, dstPort: sport, protocol: 6, packets: packets + 3, bytes: (packets + 3) * 140, start, end: start + 59, action: 'ACCEPT', tcpFlags: w === 0 ? 18 : flags, direction: 'egress', trafficPath: 8 }));
  }
  flows.push(...sshFlows);
  const knocks = KNOCKS.map(([ip, minute, packets], k) => flowLine(acct, { inst, azId, src: ip, dst: inst.privateIp, srcPort: 41000 + k * 977, dstPort: 22, protocol: 6, packets,
    bytes: packets * 60, start: Math.floor((T + minute * MIN) / 1000), end: Math.floor((T + minute * MIN) / 1000) + 59, action: 'ACCEPT', tcpFlags: 27, direction: 'ingress' }));
  flows.push(...knocks);

  // 8b. From the instance, over SSH, a look at its neighbours: the first other production instance of its
  // VPC tried on a dozen service ports, SYN only, logged as leaving the victim's interface. Fixed ports
  // and times, no draws: the rest of the account stays as it was.
  const neighbour = cast.lateralTarget;
  const lateralStart = Math.floor((T + 30 * MIN) / 1000);
  const lateralFlows = LATERAL_PORTS.map((port, k) => flowLine(acct, { inst, azId, src: inst.privateIp, dst: neighbour.privateIp, srcPort: 45_000 + k, dstPort: port, protocol: 6, packets: 1,
    bytes: 44, start: lateralStart + k, end: lateralStart + k + 59, action: port === 22 ? 'ACCEPT' : 'REJECT', tcpFlags: 2, direction: 'egress' }));
  flows.push(...lateralFlows);

  // 9. The instance's role credentials, read from IMDS over SSH, used from the attacker's machine.
  const stolen: CloudTrailRecord[] = [];
  const stolenCalls: [number, string, string, unknown, boolean, string?][] = [
    [22, 'sts.amazonaws.com', 'GetCallerIdentity', null, true],
    [23, 's3.amazonaws.com', 'ListBuckets', { Host: 's3.amazonaws.com' }, true],
    [24, 'ssm.amazonaws.com', 'GetParameter', { name: '/production/web/db-url', withDecryption: true }, true],
    [25, 'iam.amazonaws.com', 'ListRoles', null, false, 'iam:ListRoles'],
    [26, 'ec2.amazonaws.com', 'DescribeInstances', { instancesSet: {}, filterSet: {} }, false, 'ec2:DescribeInstances'],
  ];
  for (const [m, source, name, params, ok, action] of stolenCalls) {
    stolen.push(call(T + m * MIN, 'us-east-1', source, name, instIdentity, ATTACKER_IP, UA.attackerPython, params, null, true,
      ok ? undefined : denied(sessionArn(acct, instRole, inst.id), action!, '*', source === 'ec2.amazonaws.com')));
  }

  // 10. Terminate the instance with the admin session.
  const term = call(plan.terminateMs, 'us-east-1', 'ec2.amazonaws.com', 'TerminateInstances', adminId, ATTACKER_IP, UA.attacker('ec2.terminate-instances'),
    { instancesSet: { items: [{ instanceId: inst.id }] } },
    { instancesSet: { items: [{ instanceId: inst.id, currentState: { code: 32, name: 'shutting-down' }, previousState: { code: 16, name: 'running' } }] } }, false);

  records.sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : 0));
  flows.sort((a, b) => a.start - b.start);

  const firstLast = (list: FlowLine[]) => ({ first: isoSeconds(list[0].start), last: isoSeconds(list[list.length - 1].start) });
  const truth = {
    attacker: { ip: ATTACKER_IP, userAgents: [UA.attacker('sts.get-caller-identity'), UA.attackerPython] },
    leakedKey: { userName: victim.name, userArn: victim.arn, accessKeyId: victimKey, usualIps: victim.ips, usualUserAgents: [UA.goSdk, UA.terraform] },
    firstUse: ref(gci),
    recon: { events: reconRecords.map(ref), denied: recon.filter((c) => !c.ok).length },
    persistence: { ...ref(createKey), targetUserName: target.name, targetUserArn: target.arn, newAccessKeyId: newKey },
    assumeRole: { ...ref(issued.record), roleArn: cast.prodAdminRole.arn, roleName: cast.prodAdminRole.name, sessionName, sessionArn: sessionArn(acct, cast.prodAdminRole, sessionName), issuedAccessKeyId: issued.accessKeyId, callerAccessKeyId: victimKey },
    openPort: { ...ref(open), groupId: sg.id, groupName: sg.name, vpcId: sg.vpcId, ruleId, protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0', accessKeyId: issued.accessKeyId, sessionArn: sessionArn(acct, cast.prodAdminRole, sessionName) },
    sshFlows: { srcIp: ATTACKER_IP, dstPort: 22, interfaceId: inst.eniId, instanceId: inst.id, privateIp: inst.privateIp, publicIp: inst.publicIp, inboundAccepted: sshFlows.length / 2, records: sshFlows.length, ...firstLast(sshFlows),
      knocks: KNOCKS.map(([ip, minute, packets]) => ({ srcIp: ip, start: isoSeconds(T + minute * MIN), bytes: packets * 60 })) },
    stolenInstanceCredentials: {
      instanceId: inst.id, roleName: instRole.name, roleArn: instRole.arn, sessionName: inst.id, sessionArn: sessionArn(acct, instRole, inst.id),
      accessKeyId: instIssued.accessKeyId, issuedBy: ref(instIssued.record), instanceIp: inst.publicIp, usedFromIp: ATTACKER_IP,
      legitimateUses: instOwnUse.map(ref), externalUses: stolen.map(ref),
    },
    terminate: { ...ref(term), instanceId: inst.id, accessKeyId: issued.accessKeyId, sessionArn: sessionArn(acct, cast.prodAdminRole, sessionName) },
    lateralScan: { srcIp: inst.privateIp, instanceId: inst.id, interfaceId: inst.eniId, dstIp: neighbour.privateIp, dstInstanceId: neighbour.id, dstName: neighbour.name, distinctDstPorts: LATERAL_PORTS.length, records: lateralFlows.length, ...firstLast(lateralFlows) },
    portScan: { srcIp: SCANNER_IP, interfaceId: inst.eniId, instanceId: inst.id, distinctDstPorts: new Set(scanPorts).size, records: scanPorts.length, action: 'REJECT', tcpFlags: 2, first: isoSeconds(scanStart * 1000), last: isoSeconds((scanStart + Math.floor((scanPorts.length - 1) / 60) * 60) * 1000) },
    victimInstance: { instanceId: inst.id, name: inst.name, interfaceId: inst.eniId, privateIp: inst.privateIp, publicIp: inst.publicIp, securityGroupIds: inst.sgIds, subnetId: inst.subnetId, vpcId: inst.vpcId, tags: { Name: inst.name, Environment: inst.env } },
  };
  return { records, flows, truth };
}
