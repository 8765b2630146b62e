// Builds the synthetic account: network, instances, IAM. Pure function of the PRNG and the sizes.
import type { Account, Group, Instance, Region, Role, SecurityGroup, SgRule, Subnet, User, UserKind, Vpc } from './types.ts';
import { accessKeyId, ec2Id, iamUniqueId } from './prng.ts';
import type { Rng } from './prng.ts';
import { ipToInt, intToIp, isoSeconds } from './time-ip.ts';

export const ACCOUNT_ID = '111122223333';
export const FOREIGN_ACCOUNT_ID = '444455556666';
const DAY = 86_400_000;

/** The named actors and resources the planted incident uses. */
export type Cast = {
  victimUser: User;
  persistenceUser: User;
  terraformUser: User;
  prodAdminRole: Role;
  auditRole: Role;
  terraformRole: Role;
  readonlyRole: Role;
  prodWebSg: SecurityGroup;
  victimInstance: Instance;
  /** The instance the intruder scans from the victim. */
  lateralTarget: Instance;
};

const FIRST = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj', 'olivia', 'peggy', 'rupert', 'sybil', 'trent', 'victor', 'wendy', 'yusuf', 'zoe', 'amir', 'bea', 'chen', 'dana', 'emre', 'fatima', 'goran', 'hana', 'igor'];
const LAST = ['nguyen', 'schmidt', 'garcia', 'okafor', 'tanaka', 'muller', 'rossi', 'kowalski', 'silva', 'dubois', 'larsen', 'novak', 'patel', 'kim', 'ivanova', 'haddad', 'obrien', 'moreau', 'jensen', 'costa'];

const AMIS: Record<Region, string[]> = { 'us-east-1': [], 'eu-west-1': [] };

function trustService(service: string): unknown {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] };
}

function trustAws(principals: string[], condition?: unknown): unknown {
  const st: Record<string, unknown> = { Effect: 'Allow', Principal: { AWS: principals.length === 1 ? principals[0] : principals }, Action: 'sts:AssumeRole' };
  if (condition) st.Condition = condition;
  return { Version: '2012-10-17', Statement: [st] };
}

type Placement = { env: string; app: string; region: Region; vpc: string; isPublic: boolean; sgs: string[]; type: string };

// Instance mix, cycled so that any count keeps the shape of the account (prod web first, so there are
// always at least two production web servers behind the prod-web group).
const PLACEMENTS: Placement[] = [
  { env: 'production', app: 'web', region: 'us-east-1', vpc: 'prod', isPublic: true, sgs: ['prod-web'], type: 't3.medium' },
  { env: 'production', app: 'web', region: 'us-east-1', vpc: 'prod', isPublic: true, sgs: ['prod-web'], type: 't3.medium' },
  { env: 'production', app: 'api', region: 'us-east-1', vpc: 'prod', isPublic: false, sgs: ['prod-app'], type: 'm6i.large' },
  { env: 'production', app: 'worker', region: 'us-east-1', vpc: 'prod', isPublic: false, sgs: ['prod-app'], type: 'c6i.xlarge' },
  { env: 'shared', app: 'bastion', region: 'us-east-1', vpc: 'prod', isPublic: true, sgs: ['bastion'], type: 't3.micro' },
  { env: 'staging', app: 'web', region: 'us-east-1', vpc: 'staging', isPublic: true, sgs: ['staging-web'], type: 't3.small' },
  { env: 'production', app: 'web', region: 'eu-west-1', vpc: 'prod-eu', isPublic: true, sgs: ['prod-eu-web'], type: 't3.medium' },
  { env: 'production', app: 'api', region: 'us-east-1', vpc: 'prod', isPublic: false, sgs: ['prod-app'], type: 'm6i.large' },
  { env: 'staging', app: 'api', region: 'us-east-1', vpc: 'staging', isPublic: false, sgs: ['staging-app'], type: 't3.medium' },
  { env: 'production', app: 'db', region: 'us-east-1', vpc: 'prod', isPublic: false, sgs: ['prod-db'], type: 'r6i.large' },
  { env: 'production', app: 'api', region: 'eu-west-1', vpc: 'prod-eu', isPublic: false, sgs: ['prod-eu-app'], type: 'm6i.large' },
  { env: 'production', app: 'web', region: 'us-east-1', vpc: 'prod', isPublic: true, sgs: ['prod-web'], type: 't3.medium' },
];

type VpcSpec = { key: string; name: string; env: string; region: Region; cidr: string; azs: [string, string, string, string] };
const VPCS: VpcSpec[] = [
  { key: 'prod', name: 'prod-vpc', env: 'production', region: 'us-east-1', cidr: '10.10.0.0/16', azs: ['us-east-1a', 'use1-az4', 'us-east-1b', 'use1-az6'] },
  { key: 'staging', name: 'staging-vpc', env: 'staging', region: 'us-east-1', cidr: '10.20.0.0/16', azs: ['us-east-1a', 'use1-az4', 'us-east-1c', 'use1-az1'] },
  { key: 'prod-eu', name: 'prod-eu-vpc', env: 'production', region: 'eu-west-1', cidr: '10.30.0.0/16', azs: ['eu-west-1a', 'euw1-az1', 'eu-west-1b', 'euw1-az2'] },
];

type SgSpec = { name: string; vpc: string; description: string; rules: (ids: Map<string, string>) => Omit<SgRule, 'id' | 'groupId'>[] };
const ANY = '0.0.0.0/0';
const egressAll = { isEgress: true, protocol: '-1', fromPort: -1, toPort: -1, cidr: ANY };
const SGS: SgSpec[] = [
  { name: 'prod-web', vpc: 'prod', description: 'Production web tier', rules: () => [
    { isEgress: false, protocol: 'tcp', fromPort: 443, toPort: 443, cidr: ANY, description: 'HTTPS from anywhere' },
    { isEgress: false, protocol: 'tcp', fromPort: 80, toPort: 80, cidr: ANY, description: 'HTTP redirect' },
    { isEgress: false, protocol: 'tcp', fromPort: 22, toPort: 22, refGroupId: 'bastion', description: 'SSH from bastion' },
    egressAll] },
  { name: 'prod-app', vpc: 'prod', description: 'Production application tier', rules: () => [
    { isEgress: false, protocol: 'tcp', fromPort: 8080, toPort: 8080, refGroupId: 'prod-web', description: 'App from web' },
    { isEgress: false, protocol: 'tcp', fromPort: 22, toPort: 22, refGroupId: 'bastion' },
    egressAll] },
  { name: 'prod-db', vpc: 'prod', description: 'Production databases', rules: () => [
    { isEgress: false, protocol: 'tcp', fromPort: 5432, toPort: 5432, refGroupId: 'prod-app', description: 'Postgres from app' },
    egressAll] },
  { name: 'bastion', vpc: 'prod', description: 'SSH bastion', rules: () => [
    { isEgress: false, protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '81.2.69.0/28', description: 'Office' },
    egressAll] },
  { name: 'default', vpc: 'prod', description: 'default VPC security group', rules: () => [
    { isEgress: false, protocol: '-1', fromPort: -1, toPort: -1, refGroupId: 'default' }, egressAll] },
  { name: 'staging-web', vpc: 'staging', description: 'Staging web tier', rules: () => [
    { isEgress: false, protocol: 'tcp', fromPort: 443, toPort: 443, cidr: ANY },
    { isEgress: false, protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '81.2.69.0/28', description: 'Office' },
    egressAll] },
  { name: 'staging-app', vpc: 'staging', description: 'Staging application tier', rules: () => [
    { isEgress: false, protocol: 'tcp', fromPort: 8080, toPort: 8080, cidr: '10.20.0.0/16' }, egressAll] },
  { name: 'staging-default', vpc: 'staging', description: 'default VPC security group', rules: () => [egressAll] },
  { name: 'prod-eu-web', vpc: 'prod-eu', description: 'Production web tier (EU)', rules: () => [
    { isEgress: false, protocol: 'tcp', fromPort: 443, toPort: 443, cidr: ANY }, egressAll] },
  { name: 'prod-eu-app', vpc: 'prod-eu', description: 'Production application tier (EU)', rules: () => [
    { isEgress: false, protocol: 'tcp', fromPort: 8080, toPort: 8080, refGroupId: 'prod-eu-web' }, egressAll] },
];

function mac(rng: Rng): string {
  const h = rng.hex(10);
  return `0e:${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}:${h.slice(6, 8)}:${h.slice(8, 10)}`;
}

export function buildAccount(rng: Rng, sizes: { users: number; instances: number; startMs: number; accountId?: string }): { account: Account; cast: Cast } {
  const { startMs } = sizes;
  const old = (daysBefore: number, r: Rng): string => isoSeconds(startMs - daysBefore * DAY - r.int(0, 86_399) * 1000);

  AMIS['us-east-1'] = [ec2Id(rng, 'ami'), ec2Id(rng, 'ami')];
  AMIS['eu-west-1'] = [ec2Id(rng, 'ami')];

  // Network.
  const vpcs: Vpc[] = [];
  const subnets: Subnet[] = [];
  const vpcByKey = new Map<string, Vpc>();
  const subnetsByVpc = new Map<string, Subnet[]>();
  let publicIpCounter = 0;
  const publicIp = (region: Region): string =>
    region === 'us-east-1' ? intToIp(ipToInt('3.80.16.0') + 7 + 3 * publicIpCounter++) : intToIp(ipToInt('34.240.8.0') + 5 + 3 * publicIpCounter++);
  for (const [vpcIndex, spec] of VPCS.entries()) {
    // IPv6 blocks follow the VPC's place in the list: no random draw, so an account without IPv6 draws what it always did.
    const ipv6Net = `2600:1f18:${(0x4a00 + vpcIndex).toString(16)}:1a`;
    const vpc: Vpc = { id: ec2Id(rng, 'vpc'), region: spec.region, cidr: spec.cidr, name: spec.name, env: spec.env, natIp: publicIp(spec.region), flowLogId: ec2Id(rng, 'fl'), createTime: old(400, rng),
      ipv6Cidr: `${ipv6Net}00::/56` };
    vpcs.push(vpc);
    vpcByKey.set(spec.key, vpc);
    const base = ipToInt(spec.cidr.split('/')[0]);
    const list: Subnet[] = [];
    const layout: [string, number, boolean, number][] = [['public-a', 0, true, 0], ['public-b', 16, true, 2], ['private-a', 128, false, 0], ['private-b', 144, false, 2]];
    for (const [k, [suffix, third, isPublic, azIndex]] of layout.entries()) {
      const net = base + third * 256;
      const s: Subnet = { id: ec2Id(rng, 'subnet'), vpcId: vpc.id, region: spec.region, az: spec.azs[azIndex], azId: spec.azs[azIndex + 1], cidr: `${intToIp(net)}/20`,
        ipv6Cidr: `${ipv6Net}0${k}::/64`, base: net, next: 10, isPublic, name: `${spec.name.replace(/-vpc$/, '')}-${suffix}` };
      list.push(s);
      subnets.push(s);
    }
    subnetsByVpc.set(vpc.id, list);
  }

  // Security groups; referenced groups are resolved by name after all ids exist.
  const sgIds = new Map<string, string>();
  for (const spec of SGS) sgIds.set(spec.name, ec2Id(rng, 'sg'));
  const groupsSg: SecurityGroup[] = SGS.map((spec) => {
    const id = sgIds.get(spec.name)!;
    const vpc = vpcByKey.get(spec.vpc)!;
    const rules = spec.rules(sgIds).map((r) => ({ ...r, id: ec2Id(rng, 'sgr'), groupId: id, refGroupId: r.refGroupId ? sgIds.get(r.refGroupId) : undefined }));
    const name = spec.name.endsWith('default') ? 'default' : spec.name;
    const tags: Record<string, string> = spec.name.endsWith('default') ? {} : { Name: spec.name, Environment: vpc.env };
    return { id, name, description: spec.description, vpcId: vpc.id, region: vpc.region, rules, tags };
  });

  // IAM: groups and policies.
  const acct = sizes.accountId ?? ACCOUNT_ID;
  const iamGroups: Group[] = [
    { name: 'Admins', policies: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
    { name: 'Developers', policies: ['arn:aws:iam::aws:policy/PowerUserAccess'] },
    { name: 'ReadOnly', policies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] },
    { name: 'Ops', policies: ['arn:aws:iam::aws:policy/AmazonEC2FullAccess', `arn:aws:iam::${acct}:policy/ops-assume-roles`] },
  ].map((g) => ({ ...g, id: iamUniqueId(rng, 'AGPA'), arn: `arn:aws:iam::${acct}:group/${g.name}`, createDate: old(900, rng) }));
  const customerPolicies = [
    { name: 'ops-assume-roles', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${acct}:role/*` }] } },
    { name: 'ci-deployer-policy', document: { Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: `arn:aws:iam::${acct}:role/prod-deploy-admin` },
      { Effect: 'Allow', Action: ['iam:ListRoles', 'iam:GetUser', 'iam:ListAttachedUserPolicies', 'iam:ListUserPolicies', 'iam:CreateAccessKey', 'ec2:DescribeSecurityGroups'], Resource: '*' },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::example-corp-artifacts/*' }] } },
    { name: 'app-runtime', document: { Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket', 'ssm:GetParameter*', 'kms:Decrypt', 'logs:CreateLogStream', 'logs:PutLogEvents', 'ec2:DescribeTags'], Resource: '*' }] } },
  ].map((p) => ({ ...p, id: iamUniqueId(rng, 'ANPA'), arn: `arn:aws:iam::${acct}:policy/${p.name}`, createDate: old(700, rng) }));

  // Users: a fixed cast first, then humans up to the requested count.
  const officeIps = ['81.2.69.3', '81.2.69.5', '81.2.69.9', '81.2.69.12'];
  const ciIps = ['3.91.171.44', '3.91.171.45', '52.44.10.118', '52.44.10.201'];
  const users: User[] = [];
  const makeUser = (name: string, kind: UserKind, groups: string[], policies: string[], keys: number, ips: string[]): User => {
    const u: User = {
      name, kind, groups, policies, ips,
      id: iamUniqueId(rng, 'AIDA'),
      arn: `arn:aws:iam::${acct}:user/${name}`,
      createDate: old(rng.int(200, 1200), rng),
      keys: [],
      console: kind === 'human-console',
      mfa: kind === 'human-console' ? rng.chance(0.85) : false,
    };
    for (let k = 0; k < keys; k++) u.keys.push({ id: accessKeyId(rng, 'AKIA'), created: old(rng.int(20, 190), rng), status: 'Active' });
    users.push(u);
    return u;
  };
  const victimUser = makeUser('ci-deployer', 'service', [], [`arn:aws:iam::${acct}:policy/ci-deployer-policy`], 1, ciIps.slice(0, 2));
  const terraformUser = makeUser('terraform', 'service', ['Admins'], [], 1, ciIps.slice(2, 4));
  const persistenceUser = makeUser('backup-svc', 'dormant', [], ['arn:aws:iam::aws:policy/AmazonS3FullAccess'], 1, [ciIps[3]]);
  persistenceUser.keys[0].status = 'Inactive';
  makeUser('monitoring', 'service', ['ReadOnly'], [], 1, ['52.44.10.77']);
  const wantUsers = Math.max(sizes.users, 6);
  const used = new Set(users.map((u) => u.name));
  for (let i = 0; users.length < wantUsers; i++) {
    let name = `${rng.pick(FIRST)}.${rng.pick(LAST)}`;
    for (let n = 2; used.has(name); n++) name = `${name.replace(/\d+$/, '')}${n}`;
    used.add(name);
    const r = rng.next();
    const group = r < 0.15 ? 'Admins' : r < 0.6 ? 'Developers' : r < 0.85 ? 'ReadOnly' : 'Ops';
    const kind: UserKind = rng.chance(0.55) ? 'human-console' : 'human-cli';
    const groups = rng.chance(0.2) ? [group, 'ReadOnly'].filter((g, idx, all) => all.indexOf(g) === idx) : [group];
    makeUser(name, kind, groups, [], kind === 'human-cli' ? 1 : rng.chance(0.3) ? 1 : 0, [rng.pick(officeIps), rng.pick(officeIps)]);
  }

  // Roles.
  const roles: Role[] = [];
  const makeRole = (name: string, trust: unknown, policies: string[], path = '/', withProfile = false): Role => {
    const role: Role = { name, path, trust, policies, id: iamUniqueId(rng, 'AROA'), arn: `arn:aws:iam::${acct}:role${path}${name}`, createDate: old(rng.int(100, 900), rng) };
    if (withProfile) role.profile = { name, id: iamUniqueId(rng, 'AIPA'), arn: `arn:aws:iam::${acct}:instance-profile/${name}` };
    roles.push(role);
    return role;
  };
  const prodAdminRole = makeRole('prod-deploy-admin', trustAws([victimUser.arn, `arn:aws:iam::${acct}:root`]), ['arn:aws:iam::aws:policy/AdministratorAccess']);
  const terraformRole = makeRole('terraform-apply', trustAws([terraformUser.arn]), ['arn:aws:iam::aws:policy/AdministratorAccess']);
  const readonlyRole = makeRole('engineer-readonly', trustAws([`arn:aws:iam::${acct}:root`], { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }), ['arn:aws:iam::aws:policy/ReadOnlyAccess']);
  const auditRole = makeRole('external-security-audit', trustAws([`arn:aws:iam::${FOREIGN_ACCOUNT_ID}:root`], { StringEquals: { 'sts:ExternalId': 'audit-7f3c' } }), ['arn:aws:iam::aws:policy/SecurityAudit']);
  makeRole('AWSServiceRoleForAutoScaling', trustService('autoscaling.amazonaws.com'), ['arn:aws:iam::aws:policy/aws-service-role/AutoScalingServiceRolePolicy'], '/aws-service-role/autoscaling.amazonaws.com/');
  makeRole('AWSServiceRoleForSupport', trustService('support.amazonaws.com'), ['arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy'], '/aws-service-role/support.amazonaws.com/');
  const appRoles = new Map<string, Role>();
  const appRole = (env: string, app: string): Role => {
    const key = `${env === 'production' ? 'prod' : env}-${app}`;
    let r = appRoles.get(key);
    if (!r) {
      r = makeRole(`${key}-instance-role`, trustService('ec2.amazonaws.com'), [`arn:aws:iam::${acct}:policy/app-runtime`, 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore'], '/', true);
      appRoles.set(key, r);
    }
    return r;
  };

  // Instances.
  const instances: Instance[] = [];
  const counters = new Map<string, number>();
  const wantInstances = Math.max(sizes.instances, 6);
  for (let i = 0; i < wantInstances; i++) {
    const p = PLACEMENTS[i % PLACEMENTS.length];
    const vpc = vpcByKey.get(p.vpc)!;
    const candidates = subnetsByVpc.get(vpc.id)!.filter((s) => s.isPublic === p.isPublic);
    const subnet = candidates[i % candidates.length];
    const privateIp = intToIp(subnet.base + subnet.next++);
    const label = `${p.env === 'production' ? 'prod' : p.env}-${p.app}${p.region === 'eu-west-1' ? '-eu' : ''}`;
    const n = (counters.get(label) ?? 0) + 1;
    counters.set(label, n);
    const role = appRole(p.env, p.app);
    instances.push({
      id: ec2Id(rng, 'i'),
      name: `${label}-${String(n).padStart(2, '0')}`,
      region: p.region,
      env: p.env,
      app: p.app,
      vpcId: vpc.id,
      subnetId: subnet.id,
      az: subnet.az,
      privateIp,
      publicIp: p.isPublic ? publicIp(p.region) : null,
      ipv6: p.isPublic ? `${subnet.ipv6Cidr.slice(0, -'::/64'.length)}::${(subnet.next - 1).toString(16)}` : null,
      eniId: ec2Id(rng, 'eni'),
      eniAttachmentId: ec2Id(rng, 'eni-attach'),
      mac: mac(rng),
      sgIds: p.sgs.map((s) => sgIds.get(s)!),
      roleName: role.name,
      imageId: rng.pick(AMIS[p.region]),
      instanceType: p.type,
      keyName: p.env === 'production' ? 'prod-ops' : 'staging-ops',
      launchTime: old(rng.int(3, 200), rng),
      volumeId: ec2Id(rng, 'vol'),
    });
  }

  const prodWebSg = groupsSg.find((g) => g.name === 'prod-web')!;
  const victimInstance = instances.find((i) => i.app === 'web' && i.env === 'production' && i.region === 'us-east-1')!;
  // The neighbour the intruder looks at from the victim: another production instance of its VPC.
  const lateralTarget = instances.find((i) => i !== victimInstance && i.vpcId === victimInstance.vpcId && i.env === 'production') ?? instances.find((i) => i !== victimInstance)!;
  const account: Account = {
    id: acct,
    foreignId: FOREIGN_ACCOUNT_ID,
    foreignRoleArn: `arn:aws:iam::${FOREIGN_ACCOUNT_ID}:role/SecurityAuditor`,
    foreignRoleId: iamUniqueId(rng, 'AROA'),
    regions: ['us-east-1', 'eu-west-1'],
    vpcs, subnets, groupsSg, instances, users, iamGroups, roles, customerPolicies, officeIps, ciIps,
    trailName: 'org-management-trail',
    trailBucket: 'example-corp-cloudtrail-logs',
    flowBucket: 'example-corp-vpc-flow-logs',
    flowVersion: 5,
    ipv6Share: 0,
  };
  return { account, cast: { victimUser, persistenceUser, terraformUser, prodAdminRole, auditRole, terraformRole, readonlyRole, prodWebSg, victimInstance, lateralTarget } };
}
