// Configuration snapshots as the AWS CLI prints them, reflecting the account at the end of the window.
import type { Rng } from './prng.ts';
import type { Account, Instance, Region, SecurityGroup, SgRule } from './types.ts';
import { flowLogFormat } from './flows.ts';
import { isoSeconds } from './time-ip.ts';

type Json = Record<string, unknown>;
const tagList = (tags: Record<string, string>): Json[] => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
const cliTime = (iso: string): string => iso.replace('Z', '+00:00');

function dns(i: Instance): { priv: string; pub: string } {
  const dashed = i.privateIp.replace(/\./g, '-');
  const priv = i.region === 'us-east-1' ? `ip-${dashed}.ec2.internal` : `ip-${dashed}.${i.region}.compute.internal`;
  const pubDashed = (i.publicIp ?? '').replace(/\./g, '-');
  const pub = !i.publicIp ? '' : i.region === 'us-east-1' ? `ec2-${pubDashed}.compute-1.amazonaws.com` : `ec2-${pubDashed}.${i.region}.compute.amazonaws.com`;
  return { priv, pub };
}

function instanceTags(i: Instance): Record<string, string> {
  return { Name: i.name, Environment: i.env, App: i.app, ManagedBy: 'terraform' };
}

export function networkInterface(account: Account, i: Instance, sgName: (id: string) => string): Json {
  const { priv, pub } = dns(i);
  const association = i.publicIp ? { IpOwnerId: 'amazon', PublicDnsName: pub, PublicIp: i.publicIp } : undefined;
  return {
    Association: association,
    Attachment: { AttachTime: cliTime(i.launchTime), AttachmentId: i.eniAttachmentId, DeleteOnTermination: true, DeviceIndex: 0, NetworkCardIndex: 0, InstanceId: i.id, InstanceOwnerId: account.id, Status: 'attached' },
    AvailabilityZone: i.az,
    Description: '',
    Groups: i.sgIds.map((id) => ({ GroupId: id, GroupName: sgName(id) })),
    InterfaceType: 'interface',
    Ipv6Addresses: account.ipv6Share > 0 && i.ipv6 ? [{ Ipv6Address: i.ipv6, IsPrimaryIpv6: false }] : [],
    MacAddress: i.mac,
    NetworkInterfaceId: i.eniId,
    OwnerId: account.id,
    PrivateDnsName: priv,
    PrivateIpAddress: i.privateIp,
    PrivateIpAddresses: [{ Association: association, Primary: true, PrivateDnsName: priv, PrivateIpAddress: i.privateIp }],
    RequesterManaged: false,
    SourceDestCheck: true,
    Status: 'in-use',
    SubnetId: i.subnetId,
    TagSet: [],
    VpcId: i.vpcId,
  };
}

function describeInstance(account: Account, rng: Rng, i: Instance, endMs: number, sgName: (id: string) => string): Json {
  const { priv, pub } = dns(i);
  const terminated = i.terminatedAt !== undefined && i.terminatedAt <= endMs;
  const profileRole = account.roles.find((r) => r.name === i.roleName);
  const base: Json = {
    AmiLaunchIndex: 0,
    ImageId: i.imageId,
    InstanceId: i.id,
    InstanceType: i.instanceType,
    KeyName: i.keyName,
    LaunchTime: cliTime(i.launchTime),
    Monitoring: { State: 'disabled' },
    Placement: { AvailabilityZone: i.az, GroupName: '', Tenancy: 'default' },
    PrivateDnsName: terminated ? '' : priv,
    ProductCodes: [],
    PublicDnsName: terminated ? '' : pub,
  };
  if (!terminated) {
    base.PrivateIpAddress = i.privateIp;
    if (i.publicIp) base.PublicIpAddress = i.publicIp;
  }
  base.State = terminated ? { Code: 48, Name: 'terminated' } : { Code: 16, Name: 'running' };
  if (terminated) {
    const d = isoSeconds(i.terminatedAt!);
    base.StateTransitionReason = `User initiated (${d.slice(0, 10)} ${d.slice(11, 19)} GMT)`;
    base.StateReason = { Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' };
  } else {
    base.StateTransitionReason = '';
    base.SubnetId = i.subnetId;
    base.VpcId = i.vpcId;
  }
  Object.assign(base, {
    Architecture: 'x86_64',
    BlockDeviceMappings: terminated ? [] : [{ DeviceName: '/dev/xvda', Ebs: { AttachTime: cliTime(i.launchTime), DeleteOnTermination: true, Status: 'attached', VolumeId: i.volumeId } }],
    ClientToken: `terraform-${rng.hex(24)}`,
    EbsOptimized: true,
    EnaSupport: true,
    Hypervisor: 'xen',
    IamInstanceProfile: profileRole?.profile ? { Arn: profileRole.profile.arn, Id: profileRole.profile.id } : undefined,
    NetworkInterfaces: terminated ? [] : [networkInterface(account, i, sgName)],
    RootDeviceName: '/dev/xvda',
    RootDeviceType: 'ebs',
    SecurityGroups: terminated ? [] : i.sgIds.map((id) => ({ GroupName: sgName(id), GroupId: id })),
    SourceDestCheck: true,
    Tags: tagList(instanceTags(i)),
    VirtualizationType: 'hvm',
    CpuOptions: { CoreCount: 1, ThreadsPerCore: 2 },
    MetadataOptions: { State: 'applied', HttpTokens: i.env === 'production' && i.app === 'web' ? 'optional' : 'required', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled', HttpProtocolIpv6: 'disabled', InstanceMetadataTags: 'disabled' },
    PlatformDetails: 'Linux/UNIX',
    UsageOperation: 'RunInstances',
  });
  return base;
}

function permissions(account: Account, rules: SgRule[]): Json[] {
  // The API groups rules with the same protocol and port range into one permission.
  const byKey = new Map<string, Json>();
  for (const r of rules) {
    const key = `${r.protocol}/${r.fromPort}/${r.toPort}`;
    let p = byKey.get(key);
    if (!p) {
      p = r.protocol === '-1' ? { IpProtocol: '-1' } : { FromPort: r.fromPort, IpProtocol: r.protocol };
      Object.assign(p, { IpRanges: [], Ipv6Ranges: [], PrefixListIds: [] });
      if (r.protocol !== '-1') p.ToPort = r.toPort;
      p.UserIdGroupPairs = [];
      byKey.set(key, p);
    }
    if (r.cidr) (p.IpRanges as Json[]).push(r.description ? { CidrIp: r.cidr, Description: r.description } : { CidrIp: r.cidr });
    if (r.refGroupId) (p.UserIdGroupPairs as Json[]).push(r.description ? { Description: r.description, GroupId: r.refGroupId, UserId: account.id } : { GroupId: r.refGroupId, UserId: account.id });
  }
  return [...byKey.values()];
}

function describeSecurityGroup(account: Account, g: SecurityGroup): Json {
  return {
    Description: g.description,
    GroupName: g.name,
    IpPermissions: permissions(account, g.rules.filter((r) => !r.isEgress)),
    OwnerId: account.id,
    GroupId: g.id,
    IpPermissionsEgress: permissions(account, g.rules.filter((r) => r.isEgress)),
    Tags: tagList(g.tags),
    VpcId: g.vpcId,
  };
}

function describeRule(account: Account, g: SecurityGroup, r: SgRule): Json {
  const out: Json = {
    SecurityGroupRuleId: r.id,
    GroupId: g.id,
    GroupOwnerId: account.id,
    IsEgress: r.isEgress,
    IpProtocol: r.protocol,
    FromPort: r.fromPort,
    ToPort: r.toPort,
  };
  if (r.cidr) out.CidrIpv4 = r.cidr;
  if (r.refGroupId) out.ReferencedGroupInfo = { GroupId: r.refGroupId, UserId: account.id };
  if (r.description) out.Description = r.description;
  out.Tags = [];
  out.SecurityGroupRuleArn = `arn:aws:ec2:${g.region}:${account.id}:security-group-rule/${r.id}`;
  return out;
}

export type ConfigFile = { path: string; json: unknown };

export function regionConfig(account: Account, rng: Rng, region: Region, endMs: number): ConfigFile[] {
  const sgNames = new Map(account.groupsSg.map((g) => [g.id, g.name]));
  const sgName = (id: string): string => sgNames.get(id) ?? id;
  const instances = account.instances.filter((i) => i.region === region && (i.launchMs === undefined || i.launchMs <= endMs));
  const live = instances.filter((i) => i.terminatedAt === undefined || i.terminatedAt > endMs);
  const groups = account.groupsSg.filter((g) => g.region === region);
  const vpcs = account.vpcs.filter((v) => v.region === region);
  const subnets = account.subnets.filter((s) => s.region === region);
  const dir = `config/${region}`;
  return [
    { path: `${dir}/describe-instances.json`, json: { Reservations: instances.map((i) => ({ Groups: [], Instances: [describeInstance(account, rng, i, endMs, sgName)], OwnerId: account.id, ReservationId: `r-0${rng.hex(16)}` })) } },
    { path: `${dir}/describe-security-groups.json`, json: { SecurityGroups: groups.map((g) => describeSecurityGroup(account, g)) } },
    { path: `${dir}/describe-security-group-rules.json`, json: { SecurityGroupRules: groups.flatMap((g) => g.rules.map((r) => describeRule(account, g, r))) } },
    { path: `${dir}/describe-network-interfaces.json`, json: { NetworkInterfaces: live.map((i) => networkInterface(account, i, sgName)) } },
    { path: `${dir}/describe-vpcs.json`, json: { Vpcs: vpcs.map((v) => ({
      CidrBlock: v.cidr, DhcpOptionsId: `dopt-0${rng.hex(16)}`, State: 'available', VpcId: v.id, OwnerId: account.id, InstanceTenancy: 'default',
      CidrBlockAssociationSet: [{ AssociationId: `vpc-cidr-assoc-0${rng.hex(16)}`, CidrBlock: v.cidr, CidrBlockState: { State: 'associated' } }],
      ...(account.ipv6Share > 0 ? { Ipv6CidrBlockAssociationSet: [{ AssociationId: `vpc-cidr-assoc-${v.id.slice('vpc-'.length)}6`, Ipv6CidrBlock: v.ipv6Cidr,
        Ipv6CidrBlockState: { State: 'associated' }, NetworkBorderGroup: v.region, Ipv6Pool: 'Amazon' }] } : {}),
      IsDefault: false, Tags: tagList({ Name: v.name, Environment: v.env }) })) } },
    { path: `${dir}/describe-subnets.json`, json: { Subnets: subnets.map((s) => ({
      AvailabilityZone: s.az, AvailabilityZoneId: s.azId, AvailableIpAddressCount: 4091 - (s.next - 10), CidrBlock: s.cidr, DefaultForAz: false,
      MapPublicIpOnLaunch: s.isPublic, MapCustomerOwnedIpOnLaunch: false, State: 'available', SubnetId: s.id, VpcId: s.vpcId, OwnerId: account.id,
      AssignIpv6AddressOnCreation: false,
      Ipv6CidrBlockAssociationSet: account.ipv6Share > 0 ? [{ AssociationId: `subnet-cidr-assoc-${s.id.slice('subnet-'.length)}`, Ipv6CidrBlock: s.ipv6Cidr, Ipv6CidrBlockState: { State: 'associated' } }] : [],
      Tags: tagList({ Name: s.name }),
      SubnetArn: `arn:aws:ec2:${s.region}:${account.id}:subnet/${s.id}`, EnableDns64: false, Ipv6Native: false,
      PrivateDnsNameOptionsOnLaunch: { HostnameType: 'ip-name', EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false } })) } },
    // Each VPC's default network ACL, guarding all its subnets: what AWS creates with a VPC (allow all, then
    // the deny-all entry no call changes). Its id follows the VPC's, so no random draw shifts the rest.
    { path: `${dir}/describe-network-acls.json`, json: { NetworkAcls: vpcs.map((v) => {
      const aclId = `acl-${v.id.slice('vpc-'.length)}`;
      const entries = [false, true].flatMap((Egress) => [
        { CidrBlock: '0.0.0.0/0', Egress, Protocol: '-1', RuleAction: 'allow', RuleNumber: 100 },
        { CidrBlock: '0.0.0.0/0', Egress, Protocol: '-1', RuleAction: 'deny', RuleNumber: 32767 },
      ]);
      return {
        Associations: subnets.filter((s) => s.vpcId === v.id).map((s, k) => ({ NetworkAclAssociationId: `aclassoc-${v.id.slice('vpc-'.length, 14)}${String(k).padStart(3, '0')}`, NetworkAclId: aclId, SubnetId: s.id })),
        Entries: entries, IsDefault: true, NetworkAclId: aclId, Tags: [], VpcId: v.id, OwnerId: account.id,
      };
    }) } },
    { path: `${dir}/describe-flow-logs.json`, json: { FlowLogs: vpcs.map((v) => ({
      CreationTime: v.createTime.replace('Z', '.000Z'), DeliverLogsStatus: 'SUCCESS', FlowLogId: v.flowLogId, FlowLogStatus: 'ACTIVE', ResourceId: v.id,
      TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: `arn:aws:s3:::${account.flowBucket}`, LogFormat: flowLogFormat(account.flowVersion), Tags: [],
      MaxAggregationInterval: 60, DestinationOptions: { FileFormat: 'plain-text', HiveCompatiblePartitions: false, PerHourPartition: false } })) } },
  ];
}

export type KeyUse = { ms: number; region: string; service: string };

export function globalConfig(account: Account, endMs: number, keyUse: Map<string, KeyUse>, consoleUse: Map<string, number>): ConfigFile[] {
  // GetAccountAuthorizationDetails returns policy documents URL-encoded.
  const enc = (doc: unknown): string => encodeURIComponent(JSON.stringify(doc));
  const policyName = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);
  const attached = (arns: string[]): Json[] => arns.map((a) => ({ PolicyName: policyName(a), PolicyArn: a }));
  const roleCore = (r: (typeof account.roles)[number]): Json => ({ Path: r.path, RoleName: r.name, RoleId: r.id, Arn: r.arn, CreateDate: r.createDate, AssumeRolePolicyDocument: enc(r.trust) });
  const attachCount = new Map<string, number>();
  for (const arn of [...account.users.flatMap((u) => u.policies), ...account.iamGroups.flatMap((g) => g.policies), ...account.roles.flatMap((r) => r.policies)]) attachCount.set(arn, (attachCount.get(arn) ?? 0) + 1);
  const gaad = {
    UserDetailList: account.users.map((u) => ({ Path: '/', UserName: u.name, UserId: u.id, Arn: u.arn, CreateDate: u.createDate, GroupList: u.groups, AttachedManagedPolicies: attached(u.policies), Tags: [] })),
    GroupDetailList: account.iamGroups.map((g) => ({ Path: '/', GroupName: g.name, GroupId: g.id, Arn: g.arn, CreateDate: g.createDate, GroupPolicyList: [], AttachedManagedPolicies: attached(g.policies) })),
    RoleDetailList: account.roles.map((r) => ({
      ...roleCore(r),
      InstanceProfileList: r.profile ? [{ Path: '/', InstanceProfileName: r.profile.name, InstanceProfileId: r.profile.id, Arn: r.profile.arn, CreateDate: r.createDate, Roles: [roleCore(r)] }] : [],
      RolePolicyList: [],
      AttachedManagedPolicies: attached(r.policies),
      Tags: [],
      RoleLastUsed: r.lastUsedMs ? { LastUsedDate: isoSeconds(r.lastUsedMs), Region: r.lastUsedRegion } : {},
    })),
    Policies: account.customerPolicies.map((p) => ({
      PolicyName: p.name, PolicyId: p.id, Arn: p.arn, Path: '/', DefaultVersionId: 'v1', AttachmentCount: attachCount.get(p.arn) ?? 0,
      PermissionsBoundaryUsageCount: 0, IsAttachable: true, CreateDate: p.createDate, UpdateDate: p.createDate,
      PolicyVersionList: [{ Document: enc(p.document), VersionId: 'v1', IsDefaultVersion: true, CreateDate: p.createDate }],
    })),
  };

  const t = (ms: number | undefined): string => (ms ? cliTime(isoSeconds(ms)) : 'N/A');
  const rows = ['user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated'];
  rows.push(`<root_account>,arn:aws:iam::${account.id}:root,2019-02-11T09:12:40+00:00,not_supported,2024-11-02T10:01:12+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`);
  for (const u of account.users) {
    const key = (n: number): string => {
      const k = u.keys[n];
      if (!k) return 'false,N/A,N/A,N/A,N/A';
      const use = keyUse.get(k.id);
      return `${k.status === 'Active'},${cliTime(k.created)},${t(use?.ms)},${use?.region ?? 'N/A'},${use?.service ?? 'N/A'}`;
    };
    const pw = u.console ? `true,${t(consoleUse.get(u.arn))},${cliTime(u.createDate)},N/A` : 'false,N/A,N/A,N/A';
    rows.push(`${u.name},${u.arn},${cliTime(u.createDate)},${pw},${u.mfa},${key(0)},${key(1)},false,N/A,false,N/A`);
  }
  const report = { Content: Buffer.from(rows.join('\n')).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: cliTime(isoSeconds(endMs)) };
  return [
    { path: 'config/global/get-account-authorization-details.json', json: gaad },
    { path: 'config/global/get-credential-report.json', json: report },
  ];
}
