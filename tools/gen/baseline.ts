// Ordinary, legitimate changes made by Terraform during the window, so that "who changed this"
// has answers besides the attacker: a launch, a security-group swap, a rule added and a rule removed.
// Each is consistent with the end-of-window snapshots.
import type { Rng } from './prng.ts';
import type { Account, Instance } from './types.ts';
import type { Cast } from './model.ts';
import { ec2Id } from './prng.ts';
import type { CloudTrailRecord } from './records.ts';
import { assumedRoleIdentity, buildRecord, sessionArn, userIdentity } from './records.ts';
import { assumeRole } from './sessions.ts';
import { isoSeconds } from './time-ip.ts';
import { UA } from './user-agents.ts';

const MIN = 60_000;

type Ref = { eventId: string; eventName: string; time: string; region: string };
const ref = (r: CloudTrailRecord): Ref => ({ eventId: r.eventID, eventName: r.eventName, time: r.eventTime, region: r.awsRegion });

/** Picks the instance Terraform launches during the window and marks its launch time (before traffic is generated). */
export function planBaseline(account: Account, startMs: number, endMs: number): { launched: Instance; runAt: number } {
  const runAt = startMs + Math.round((0.25 * (endMs - startMs)) / MIN) * MIN;
  const launched = account.instances.find((i) => i.env === 'staging')!;
  launched.launchMs = runAt + 20_000;
  launched.launchTime = isoSeconds(launched.launchMs);
  return { launched, runAt };
}

export function buildBaseline(rng: Rng, account: Account, cast: Cast, plan: { launched: Instance; runAt: number }, startMs: number, endMs: number) {
  const acct = account.id;
  const span = endMs - startMs;
  const at = (f: number): number => startMs + Math.round((f * span) / MIN) * MIN;
  const records: CloudTrailRecord[] = [];
  const tf = cast.terraformUser;
  const ip = tf.ips[0];
  const sessionName = 'terraform-run-baseline';
  const issued = assumeRole(rng, { account, time: plan.runAt - 2 * MIN, region: 'us-east-1', caller: userIdentity(acct, tf, tf.keys[0].id), ip, ua: UA.terraform, role: cast.terraformRole, sessionName, durationSeconds: 3600 * 12 });
  records.push(issued.record);
  const id = assumedRoleIdentity(acct, cast.terraformRole, sessionName, issued.accessKeyId, plan.runAt - 2 * MIN);
  const call = (time: number, name: string, params: unknown, response: unknown): CloudTrailRecord => {
    const r = buildRecord(rng, { time, region: 'us-east-1', source: 'ec2.amazonaws.com', name, identity: id, ip, ua: UA.terraform, params, response, readOnly: false, recipient: acct });
    records.push(r);
    return r;
  };
  const sgName = (gid: string): string => account.groupsSg.find((g) => g.id === gid)!.name;
  const inst = plan.launched;
  const role = account.roles.find((r) => r.name === inst.roleName)!;
  const tags = [{ key: 'Name', value: inst.name }, { key: 'Environment', value: inst.env }, { key: 'App', value: inst.app }, { key: 'ManagedBy', value: 'terraform' }];
  const launchMs = inst.launchMs!;
  const clientToken = `terraform-${rng.hex(24)}`;
  const originalGroups = inst.sgIds.slice(0, 1);

  // 1. RunInstances of a staging instance.
  const run = call(plan.runAt, 'RunInstances', {
    instancesSet: { items: [{ imageId: inst.imageId, minCount: 1, maxCount: 1, keyName: inst.keyName }] },
    instanceType: inst.instanceType,
    blockDeviceMapping: {},
    monitoring: { enabled: false },
    disableApiTermination: false,
    disableApiStop: false,
    clientToken,
    subnetId: inst.subnetId,
    groupSet: { items: originalGroups.map((groupId) => ({ groupId })) },
    iamInstanceProfile: { arn: role.profile!.arn },
    ebsOptimized: false,
    tagSpecificationSet: { items: [{ resourceType: 'instance', tags }] },
    metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled' },
  }, {
    reservationId: `r-0${rng.hex(16)}`,
    ownerId: acct,
    groupSet: {},
    instancesSet: { items: [{
      instanceId: inst.id, imageId: inst.imageId, instanceState: { code: 0, name: 'pending' }, privateDnsName: `ip-${inst.privateIp.replace(/\./g, '-')}.ec2.internal`,
      keyName: inst.keyName, amiLaunchIndex: 0, productCodes: {}, instanceType: inst.instanceType, launchTime: launchMs,
      placement: { availabilityZone: inst.az, tenancy: 'default' }, monitoring: { state: 'disabled' }, subnetId: inst.subnetId, vpcId: inst.vpcId,
      privateIpAddress: inst.privateIp, stateReason: { code: 'pending', message: 'pending' }, architecture: 'x86_64', rootDeviceType: 'ebs', rootDeviceName: '/dev/xvda',
      blockDeviceMapping: {}, virtualizationType: 'hvm', hypervisor: 'xen', tagSet: { items: tags }, clientToken,
      groupSet: { items: originalGroups.map((groupId) => ({ groupId, groupName: sgName(groupId) })) }, sourceDestCheck: true,
      networkInterfaceSet: { items: [{
        networkInterfaceId: inst.eniId, subnetId: inst.subnetId, vpcId: inst.vpcId, ownerId: acct, status: 'in-use', macAddress: inst.mac,
        privateIpAddress: inst.privateIp, privateDnsName: `ip-${inst.privateIp.replace(/\./g, '-')}.ec2.internal`, sourceDestCheck: true, interfaceType: 'interface',
        groupSet: { items: originalGroups.map((groupId) => ({ groupId, groupName: sgName(groupId) })) },
        attachment: { attachmentId: inst.eniAttachmentId, deviceIndex: 0, networkCardIndex: 0, status: 'attaching', attachTime: launchMs, deleteOnTermination: true },
        privateIpAddressesSet: { item: [{ privateIpAddress: inst.privateIp, privateDnsName: `ip-${inst.privateIp.replace(/\./g, '-')}.ec2.internal`, primary: true }] },
        ipv6AddressesSet: {}, tagSet: {} }] },
      ebsOptimized: false, enaSupport: true, cpuOptions: { coreCount: 1, threadsPerCore: 2 },
      iamInstanceProfile: { arn: role.profile!.arn, id: role.profile!.id },
      metadataOptions: { state: 'pending', httpTokens: 'required', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled' },
    }] },
  });

  // 2. Later Terraform adds the app group to it: ModifyInstanceAttribute with a groupSet.
  const appGroup = account.groupsSg.find((g) => g.name === 'staging-app')!;
  inst.sgIds = [...originalGroups, appGroup.id];
  const swap = call(at(0.33), 'ModifyInstanceAttribute', { instanceId: inst.id, groupSet: { items: inst.sgIds.map((groupId) => ({ groupId })) } }, { _return: true });

  // 3. A rule removed: an old wide-open 8080 on the staging web group.
  const stagingWeb = account.groupsSg.find((g) => g.name === 'staging-web')!;
  const revoke = call(at(0.4), 'RevokeSecurityGroupIngress', {
    groupId: stagingWeb.id,
    ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 8080, toPort: 8080, groups: {}, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] }, ipv6Ranges: {}, prefixListIds: {} }] },
  }, { _return: true });

  // 4. A rule added: 8443 from the web tier to the app tier.
  const prodApp = account.groupsSg.find((g) => g.name === 'prod-app')!;
  const ruleId = ec2Id(rng, 'sgr');
  const add = call(at(0.45), 'AuthorizeSecurityGroupIngress', {
    groupId: prodApp.id,
    ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 8443, toPort: 8443, groups: { items: [{ groupId: cast.prodWebSg.id, description: 'TLS app port from web' }] }, ipRanges: {}, ipv6Ranges: {}, prefixListIds: {} }] },
  }, { _return: true, securityGroupRuleSet: { items: [{ groupOwnerId: acct, groupId: prodApp.id, securityGroupRuleId: ruleId, isEgress: false, ipProtocol: 'tcp', fromPort: 8443, toPort: 8443, referencedGroupInfo: { groupId: cast.prodWebSg.id, userId: acct }, description: 'TLS app port from web' }] } });
  prodApp.rules.push({ id: ruleId, groupId: prodApp.id, isEgress: false, protocol: 'tcp', fromPort: 8443, toPort: 8443, refGroupId: cast.prodWebSg.id, description: 'TLS app port from web' });

  const truth = {
    actor: { userName: tf.name, roleArn: cast.terraformRole.arn, sessionArn: sessionArn(acct, cast.terraformRole, sessionName), accessKeyId: issued.accessKeyId, assumeRole: ref(issued.record) },
    runInstances: { ...ref(run), instanceId: inst.id, interfaceId: inst.eniId, groupIds: originalGroups },
    groupSwap: { ...ref(swap), instanceId: inst.id, groupIds: inst.sgIds },
    revokeRule: { ...ref(revoke), groupId: stagingWeb.id, protocol: 'tcp', fromPort: 8080, toPort: 8080, cidr: '0.0.0.0/0' },
    addRule: { ...ref(add), groupId: prodApp.id, ruleId, protocol: 'tcp', fromPort: 8443, toPort: 8443, referencedGroupId: cast.prodWebSg.id },
  };
  return { records, truth };
}
