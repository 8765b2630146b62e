// The API calls the background traffic is drawn from, with request/response shapes as CloudTrail logs them.
import type { Rng } from './prng.ts';
import type { Account, Instance, Region } from './types.ts';
import { ec2Id } from './prng.ts';

export type ApiCtx = { account: Account; region: Region; self?: Instance; time: number };

export type Api = {
  source: string;
  name: string;
  readOnly: boolean;
  /** IAM action name, for AccessDenied messages. */
  action: string;
  /** IAM and sign-in are global: their events land in us-east-1. */
  global?: boolean;
  params: (rng: Rng, ctx: ApiCtx) => unknown;
  response?: (rng: Rng, ctx: ApiCtx) => unknown;
  weight: number;
};

const regionInstances = (ctx: ApiCtx): Instance[] => ctx.account.instances.filter((i) => i.region === ctx.region && (i.launchMs === undefined || i.launchMs <= ctx.time) && (i.terminatedAt === undefined || i.terminatedAt > ctx.time));
const someInstance = (rng: Rng, ctx: ApiCtx): Instance => {
  const list = regionInstances(ctx);
  return list.length ? rng.pick(list) : rng.pick(ctx.account.instances);
};

const ec2 = 'ec2.amazonaws.com';
const iam = 'iam.amazonaws.com';
const none = (): null => null;

export const API = {
  describeInstances: { source: ec2, name: 'DescribeInstances', readOnly: true, action: 'ec2:DescribeInstances', weight: 1,
    params: (rng: Rng, ctx: ApiCtx) => rng.chance(0.5)
      ? { instancesSet: {}, filterSet: {} }
      : { instancesSet: { items: [{ instanceId: someInstance(rng, ctx).id }] }, filterSet: {} } },
  describeSecurityGroups: { source: ec2, name: 'DescribeSecurityGroups', readOnly: true, action: 'ec2:DescribeSecurityGroups', weight: 1,
    params: () => ({ securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} }) },
  describeSecurityGroupRules: { source: ec2, name: 'DescribeSecurityGroupRules', readOnly: true, action: 'ec2:DescribeSecurityGroupRules', weight: 1,
    params: (rng: Rng, ctx: ApiCtx) => ({ DescribeSecurityGroupRulesRequest: { Filter: { Name: 'group-id', Value: { content: rng.pick(ctx.account.groupsSg).id, tag: 1 }, tag: 1 } } }) },
  describeVolumes: { source: ec2, name: 'DescribeVolumes', readOnly: true, action: 'ec2:DescribeVolumes', weight: 1, params: () => ({ volumeSet: {}, filterSet: {} }) },
  describeSubnets: { source: ec2, name: 'DescribeSubnets', readOnly: true, action: 'ec2:DescribeSubnets', weight: 1, params: () => ({ subnetSet: {}, filterSet: {} }) },
  describeVpcs: { source: ec2, name: 'DescribeVpcs', readOnly: true, action: 'ec2:DescribeVpcs', weight: 1, params: () => ({ vpcSet: {}, filterSet: {} }) },
  describeNetworkInterfaces: { source: ec2, name: 'DescribeNetworkInterfaces', readOnly: true, action: 'ec2:DescribeNetworkInterfaces', weight: 1,
    params: () => ({ networkInterfaceIdSet: {}, filterSet: {} }) },
  describeImages: { source: ec2, name: 'DescribeImages', readOnly: true, action: 'ec2:DescribeImages', weight: 1,
    params: (rng: Rng, ctx: ApiCtx) => ({ executableBySet: {}, imagesSet: { items: [{ imageId: someInstance(rng, ctx).imageId }] }, ownersSet: {}, filterSet: {} }) },
  describeRegions: { source: ec2, name: 'DescribeRegions', readOnly: true, action: 'ec2:DescribeRegions', weight: 1, params: () => ({ regionSet: {}, filterSet: {} }) },
  describeTags: { source: ec2, name: 'DescribeTags', readOnly: true, action: 'ec2:DescribeTags', weight: 1,
    params: (rng: Rng, ctx: ApiCtx) => ({ filterSet: { items: [{ name: 'resource-id', valueSet: { items: [{ value: (ctx.self ?? someInstance(rng, ctx)).id }] } }] } }) },
  describeSnapshots: { source: ec2, name: 'DescribeSnapshots', readOnly: true, action: 'ec2:DescribeSnapshots', weight: 1,
    params: (_r: Rng, ctx: ApiCtx) => ({ snapshotSet: {}, ownersSet: { items: [{ owner: ctx.account.id }] }, sharedUsersSet: {}, filterSet: {} }) },
  createTags: { source: ec2, name: 'CreateTags', readOnly: false, action: 'ec2:CreateTags', weight: 1,
    params: (rng: Rng) => ({ resourcesSet: { items: [{ resourceId: ec2Id(rng, 'snap') }] }, tagSet: { items: [{ key: 'backup-date', value: 'auto' }] } }),
    response: () => ({ _return: true }) },
  createSnapshot: { source: ec2, name: 'CreateSnapshot', readOnly: false, action: 'ec2:CreateSnapshot', weight: 1,
    params: (rng: Rng, ctx: ApiCtx) => ({ volumeId: someInstance(rng, ctx).volumeId, description: 'nightly backup' }),
    response: (rng: Rng, ctx: ApiCtx) => ({ snapshotId: ec2Id(rng, 'snap'), volumeId: someInstance(rng, ctx).volumeId, status: 'pending', startTime: ctx.time, progress: '', ownerId: ctx.account.id, volumeSize: 8, encrypted: true, storageTier: 'standard' }) },
  listUsers: { source: iam, name: 'ListUsers', readOnly: true, action: 'iam:ListUsers', global: true, weight: 1, params: none },
  listRoles: { source: iam, name: 'ListRoles', readOnly: true, action: 'iam:ListRoles', global: true, weight: 1, params: none },
  listGroups: { source: iam, name: 'ListGroups', readOnly: true, action: 'iam:ListGroups', global: true, weight: 1, params: none },
  listPolicies: { source: iam, name: 'ListPolicies', readOnly: true, action: 'iam:ListPolicies', global: true, weight: 1, params: () => ({ scope: 'Local', onlyAttached: false }) },
  getUser: { source: iam, name: 'GetUser', readOnly: true, action: 'iam:GetUser', global: true, weight: 1,
    params: (rng: Rng, ctx: ApiCtx) => ({ userName: rng.pick(ctx.account.users).name }) },
  getRole: { source: iam, name: 'GetRole', readOnly: true, action: 'iam:GetRole', global: true, weight: 1,
    params: (rng: Rng, ctx: ApiCtx) => ({ roleName: rng.pick(ctx.account.roles).name }) },
  listAttachedRolePolicies: { source: iam, name: 'ListAttachedRolePolicies', readOnly: true, action: 'iam:ListAttachedRolePolicies', global: true, weight: 1,
    params: (rng: Rng, ctx: ApiCtx) => ({ roleName: rng.pick(ctx.account.roles).name }) },
  listAccessKeys: { source: iam, name: 'ListAccessKeys', readOnly: true, action: 'iam:ListAccessKeys', global: true, weight: 1,
    params: (rng: Rng, ctx: ApiCtx) => ({ userName: rng.pick(ctx.account.users).name }) },
  getAccountSummary: { source: iam, name: 'GetAccountSummary', readOnly: true, action: 'iam:GetAccountSummary', global: true, weight: 1, params: none },
  getAccountAuthorizationDetails: { source: iam, name: 'GetAccountAuthorizationDetails', readOnly: true, action: 'iam:GetAccountAuthorizationDetails', global: true, weight: 1, params: none },
  generateCredentialReport: { source: iam, name: 'GenerateCredentialReport', readOnly: false, action: 'iam:GenerateCredentialReport', global: true, weight: 1, params: none },
  getCallerIdentity: { source: 'sts.amazonaws.com', name: 'GetCallerIdentity', readOnly: true, action: 'sts:GetCallerIdentity', weight: 1, params: none },
  listBuckets: { source: 's3.amazonaws.com', name: 'ListBuckets', readOnly: true, action: 's3:ListAllMyBuckets', weight: 1, params: () => ({ Host: 's3.amazonaws.com' }) },
  getBucketLocation: { source: 's3.amazonaws.com', name: 'GetBucketLocation', readOnly: true, action: 's3:GetBucketLocation', weight: 1,
    params: (rng: Rng) => ({ location: '', bucketName: rng.pick(['example-corp-artifacts', 'example-corp-backups', 'example-corp-static']), Host: 's3.amazonaws.com' }) },
  getBucketPolicy: { source: 's3.amazonaws.com', name: 'GetBucketPolicy', readOnly: true, action: 's3:GetBucketPolicy', weight: 1,
    params: (rng: Rng) => ({ policy: '', bucketName: rng.pick(['example-corp-artifacts', 'example-corp-backups', 'example-corp-static']), Host: 's3.amazonaws.com' }) },
  describeTrails: { source: 'cloudtrail.amazonaws.com', name: 'DescribeTrails', readOnly: true, action: 'cloudtrail:DescribeTrails', weight: 1, params: () => ({ includeShadowTrails: true }) },
  lookupEvents: { source: 'cloudtrail.amazonaws.com', name: 'LookupEvents', readOnly: true, action: 'cloudtrail:LookupEvents', weight: 1, params: () => ({ maxResults: 50 }) },
  getParameter: { source: 'ssm.amazonaws.com', name: 'GetParameter', readOnly: true, action: 'ssm:GetParameter', weight: 1,
    params: (rng: Rng, ctx: ApiCtx) => ({ name: `/${ctx.self?.env ?? 'production'}/${ctx.self?.app ?? 'api'}/${rng.pick(['db-url', 'api-token', 'feature-flags'])}`, withDecryption: true }) },
  updateInstanceInformation: { source: 'ssm.amazonaws.com', name: 'UpdateInstanceInformation', readOnly: false, action: 'ssm:UpdateInstanceInformation', weight: 1,
    params: (_r: Rng, ctx: ApiCtx) => ({ instanceId: ctx.self?.id, agentVersion: '3.3.131.0', agentStatus: 'Active', platformType: 'Linux', platformName: 'Amazon Linux', platformVersion: '2023', iPAddress: ctx.self?.privateIp, computerName: `ip-${(ctx.self?.privateIp ?? '').replace(/\./g, '-')}.ec2.internal`, agentName: 'amazon-ssm-agent', availabilityZone: ctx.self?.az }) },
  describeInstanceInformation: { source: 'ssm.amazonaws.com', name: 'DescribeInstanceInformation', readOnly: true, action: 'ssm:DescribeInstanceInformation', weight: 1, params: () => ({ maxResults: 50 }) },
  decrypt: { source: 'kms.amazonaws.com', name: 'Decrypt', readOnly: true, action: 'kms:Decrypt', weight: 1,
    params: () => ({ encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }) },
  createLogStream: { source: 'logs.amazonaws.com', name: 'CreateLogStream', readOnly: false, action: 'logs:CreateLogStream', weight: 1,
    params: (rng: Rng, ctx: ApiCtx) => ({ logGroupName: `/app/${ctx.self?.app ?? 'app'}`, logStreamName: `${ctx.self?.id ?? 'i'}-${rng.hex(8)}` }) },
  describeLogGroups: { source: 'logs.amazonaws.com', name: 'DescribeLogGroups', readOnly: true, action: 'logs:DescribeLogGroups', weight: 1, params: () => ({ limit: 50 }) },
  describeAlarms: { source: 'monitoring.amazonaws.com', name: 'DescribeAlarms', readOnly: true, action: 'cloudwatch:DescribeAlarms', weight: 1, params: () => ({ maxRecords: 100 }) },
  putMetricAlarm: { source: 'monitoring.amazonaws.com', name: 'PutMetricAlarm', readOnly: false, action: 'cloudwatch:PutMetricAlarm', weight: 1,
    params: (rng: Rng, ctx: ApiCtx) => ({ alarmName: `cpu-high-${someInstance(rng, ctx).id}`, metricName: 'CPUUtilization', namespace: 'AWS/EC2', statistic: 'Average', period: 300, evaluationPeriods: 3, threshold: 80, comparisonOperator: 'GreaterThanThreshold' }) },
  putParameter: { source: 'ssm.amazonaws.com', name: 'PutParameter', readOnly: false, action: 'ssm:PutParameter', weight: 1,
    params: (rng: Rng) => ({ name: `/staging/${rng.pick(['web', 'api'])}/feature-flags`, type: 'String', overwrite: true, value: 'HIDDEN_DUE_TO_SECURITY_REASONS' }),
    response: (rng: Rng) => ({ version: rng.int(2, 60), tier: 'Standard' }) },
  getSecretValue: { source: 'secretsmanager.amazonaws.com', name: 'GetSecretValue', readOnly: true, action: 'secretsmanager:GetSecretValue', weight: 1,
    params: (rng: Rng, ctx: ApiCtx) => ({ secretId: `arn:aws:secretsmanager:${ctx.region}:${ctx.account.id}:secret:${rng.pick(['prod/db', 'prod/stripe', 'prod/smtp'])}` }) },
  listSecrets: { source: 'secretsmanager.amazonaws.com', name: 'ListSecrets', readOnly: true, action: 'secretsmanager:ListSecrets', weight: 1, params: none },
  listFunctions: { source: 'lambda.amazonaws.com', name: 'ListFunctions20150331', readOnly: true, action: 'lambda:ListFunctions', weight: 1, params: none },
  describeDBInstances: { source: 'rds.amazonaws.com', name: 'DescribeDBInstances', readOnly: true, action: 'rds:DescribeDBInstances', weight: 1, params: none },
} satisfies Record<string, Api>;

export type ApiName = keyof typeof API;

/** A weighted menu of calls; picking is O(log n). */
export type Menu = { apis: Api[]; cumulative: number[]; total: number };

export function menu(entries: [ApiName, number][]): Menu {
  const apis: Api[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const [name, w] of entries) {
    total += w;
    apis.push(API[name] as Api);
    cumulative.push(total);
  }
  return { apis, cumulative, total };
}

export function pickApi(rng: Rng, m: Menu): Api {
  const x = rng.next() * m.total;
  let lo = 0;
  let hi = m.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (m.cumulative[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return m.apis[lo];
}

export const MENUS = {
  instance: menu([['describeTags', 18], ['getParameter', 20], ['decrypt', 22], ['updateInstanceInformation', 10], ['createLogStream', 4], ['getCallerIdentity', 4], ['getBucketLocation', 6], ['describeInstances', 3]]),
  ops: menu([['describeInstances', 20], ['describeSecurityGroups', 10], ['describeSecurityGroupRules', 3], ['describeVolumes', 6], ['describeSubnets', 5], ['describeVpcs', 4], ['describeNetworkInterfaces', 5], ['describeImages', 3], ['describeRegions', 3], ['describeSnapshots', 3], ['listUsers', 3], ['listRoles', 4], ['getRole', 4], ['getUser', 3], ['listAttachedRolePolicies', 3], ['listAccessKeys', 2], ['getCallerIdentity', 6], ['listBuckets', 4], ['getBucketLocation', 3], ['describeTrails', 1], ['lookupEvents', 3], ['describeLogGroups', 3], ['describeAlarms', 3], ['describeInstanceInformation', 2], ['createTags', 2], ['createSnapshot', 1], ['putMetricAlarm', 1], ['putParameter', 1]]),
  terraform: menu([['describeInstances', 10], ['describeSecurityGroups', 12], ['describeSecurityGroupRules', 6], ['describeVpcs', 6], ['describeSubnets', 6], ['describeNetworkInterfaces', 4], ['describeImages', 4], ['getRole', 10], ['listAttachedRolePolicies', 8], ['getCallerIdentity', 4], ['describeTags', 4], ['createTags', 2]]),
  console: menu([['describeInstances', 20], ['describeSecurityGroups', 10], ['getAccountSummary', 4], ['listUsers', 4], ['listRoles', 3], ['listBuckets', 6], ['describeAlarms', 8], ['lookupEvents', 8], ['describeVolumes', 4], ['describeInstanceInformation', 3], ['describeLogGroups', 4], ['describeRegions', 2]]),
  audit: menu([['getAccountAuthorizationDetails', 2], ['describeSecurityGroups', 10], ['describeInstances', 6], ['listRoles', 6], ['listUsers', 4], ['describeTrails', 4], ['getBucketPolicy', 5], ['describeVpcs', 3], ['describeRegions', 2], ['generateCredentialReport', 1], ['listPolicies', 3]]),
  lambda: menu([['getParameter', 30], ['decrypt', 30], ['getSecretValue', 15], ['getBucketLocation', 10], ['getCallerIdentity', 5], ['describeTags', 2]]),
  ci: menu([['describeInstances', 10], ['describeSecurityGroups', 4], ['getCallerIdentity', 8], ['describeImages', 4], ['createTags', 2], ['describeTags', 4], ['getParameter', 3]]),
};
