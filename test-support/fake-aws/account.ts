// A small, deterministic AWS account for the fake server: CloudTrail events per region (served by
// LookupEvents, as trail files in S3 and through Athena), VPC flow logs in S3 and CloudWatch Logs,
// EC2 and IAM configuration in the shapes the AWS CLI prints. Test support only.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { newSigningKey, signDigest, type DigestSigningKey } from '../../tools/gen/digest-signing.ts';

export type CloudTrailRecord = Record<string, unknown> & { eventID: string; eventTime: string; awsRegion: string; eventName: string };
/** metadata: S3 user metadata, served as x-amz-meta-<name> (a digest's signature lives there). */
export type StoredObject = { body: Buffer; lastModified: Date; metadata?: Record<string, string> };
/** A CloudTrail public key as ListPublicKeys lists it (DER PKCS#1 RSA public key). */
export type FakePublicKey = { fingerprint: string; der: Buffer; validFrom: Date; validUntil: Date };
export type LogEvent = { logStreamName: string; timestamp: number; message: string; eventId: string };
export type Ec2Documents = Record<string, unknown[]> & {
  Reservations: unknown[];
  SecurityGroups: unknown[];
  SecurityGroupRules: unknown[];
  NetworkInterfaces: unknown[];
  Vpcs: unknown[];
  Subnets: unknown[];
  NetworkAcls?: unknown[];
  FlowLogs: unknown[];
};

export type FakeAccount = {
  accountId: string;
  callerArn: string;
  regions: string[];
  /** Per region, oldest first. */
  events: Map<string, CloudTrailRecord[]>;
  ec2: Map<string, Ec2Documents>;
  iam: {
    users: Record<string, unknown>[];
    groups: Record<string, unknown>[];
    roles: Record<string, unknown>[];
    policies: Record<string, unknown>[];
    accessKeys: Map<string, { AccessKeyId: string; Status: string; CreateDate: string; UserName: string }[]>;
    credentialReport: string;
  };
  trails: Record<string, unknown>[];
  buckets: Map<string, Map<string, StoredObject>>;
  /** region → log group → events, oldest first. */
  logGroups: Map<string, Map<string, LogEvent[]>>;
  /** Number of flow records per region (S3 plus CloudWatch Logs). */
  flowCounts: Map<string, number>;
  /** What ListPublicKeys lists, in every region. */
  publicKeys: FakePublicKey[];
};

export type FakeAccountOptions = {
  accountId?: string;
  regions?: string[];
  start: Date;
  end: Date;
  eventsPerRegion: number;
  flowsPerRegion?: number;
  users?: number;
  seed?: number;
};

const TRAIL_BUCKET = 'trailscope-fake-trail';
const FLOW_BUCKET = 'trailscope-fake-flowlogs';
const EVENT_NAMES: [string, string, boolean][] = [
  ['ec2.amazonaws.com', 'DescribeInstances', true],
  ['ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', false],
  ['ec2.amazonaws.com', 'RunInstances', false],
  ['iam.amazonaws.com', 'CreateAccessKey', false],
  ['s3.amazonaws.com', 'ListBuckets', true],
  ['sts.amazonaws.com', 'GetCallerIdentity', true],
];

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

function uuid(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const pad = (n: number) => String(n).padStart(2, '0');
const datePath = (d: Date) => `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
const stamp = (d: Date) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z`;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function buildFakeAccount(options: FakeAccountOptions): FakeAccount {
  const rand = rng(options.seed ?? 42);
  const accountId = options.accountId ?? '111122223333';
  const regions = options.regions ?? ['us-east-1', 'eu-west-1'];
  const userCount = options.users ?? 3;
  const userNames = Array.from({ length: userCount }, (_, i) => `analyst-${i + 1}`);
  const accessKeys = new Map<string, { AccessKeyId: string; Status: string; CreateDate: string; UserName: string }[]>();
  userNames.forEach((u, i) =>
    accessKeys.set(u, [{ AccessKeyId: `AKIAFAKE${String(i).padStart(12, '0')}`, Status: 'Active', CreateDate: '2024-01-02T03:04:05Z', UserName: u }]),
  );

  // The fixture's CloudTrail key pair: digest files are signed with it, ListPublicKeys lists its public half.
  const key = newSigningKey();
  const account: FakeAccount = {
    accountId,
    callerArn: `arn:aws:iam::${accountId}:user/${userNames[0]}`,
    regions,
    events: new Map(),
    ec2: new Map(),
    iam: { users: [], groups: [], roles: [], policies: [], accessKeys, credentialReport: '' },
    trails: [
      {
        Name: 'management',
        S3BucketName: TRAIL_BUCKET,
        HomeRegion: regions[0],
        IsMultiRegionTrail: true,
        TrailARN: `arn:aws:cloudtrail:${regions[0]}:${accountId}:trail/management`,
        IncludeGlobalServiceEvents: true,
      },
    ],
    buckets: new Map([
      [TRAIL_BUCKET, new Map()],
      [FLOW_BUCKET, new Map()],
    ]),
    logGroups: new Map(),
    flowCounts: new Map(),
    publicKeys: [{ fingerprint: key.fingerprint, der: key.publicDer, validFrom: new Date(options.start.getTime() - 30 * 86_400_000), validUntil: new Date(options.end.getTime() + 30 * 86_400_000) }],
  };

  const startMs = options.start.getTime();
  const span = options.end.getTime() - startMs;
  for (const [ri, region] of regions.entries()) {
    const records: CloudTrailRecord[] = [];
    for (let i = 0; i < options.eventsPerRegion; i++) {
      const t = startMs + Math.floor(((i + 0.5) * span) / options.eventsPerRegion);
      const [source, name, readOnly] = EVENT_NAMES[Math.floor(rand() * EVENT_NAMES.length)];
      const user = userNames[Math.floor(rand() * userNames.length)];
      records.push({
        eventVersion: '1.08',
        userIdentity: {
          type: 'IAMUser',
          principalId: `AIDAFAKE${pad(userNames.indexOf(user))}`,
          arn: `arn:aws:iam::${accountId}:user/${user}`,
          accountId,
          accessKeyId: accessKeys.get(user)![0].AccessKeyId,
          userName: user,
        },
        eventTime: iso(t),
        eventSource: source,
        eventName: name,
        awsRegion: region,
        sourceIPAddress: `203.0.113.${1 + Math.floor(rand() * 250)}`,
        userAgent: 'aws-cli/2.15.0 md/Botocore#1.34.0',
        requestParameters: name === 'AuthorizeSecurityGroupIngress' ? { groupId: `sg-0fake${ri}0000001` } : null,
        responseElements: null,
        requestID: uuid(rand),
        eventID: uuid(rand),
        readOnly,
        eventType: 'AwsApiCall',
        managementEvent: true,
        recipientAccountId: accountId,
        eventCategory: 'Management',
      });
    }
    account.events.set(region, records);
    addTrailFiles(account, region, records, key);
    account.ec2.set(region, ec2Documents(accountId, region, ri));
    addFlowLogs(account, region, ri, startMs, span, options.flowsPerRegion ?? 0, rand);
  }
  addIam(account, userNames);
  return account;
}

/**
 * Log files per hour of events, and an hourly digest per region as CloudTrail writes them with log
 * file validation on: each lists the files delivered in its hour (SHA-256 of the uncompressed file),
 * names the previous digest by object, hash and signature, and carries its own signature in the
 * object's metadata. Every hour from the first delivery to the last has a digest, empty or not.
 */
function addTrailFiles(account: FakeAccount, region: string, records: CloudTrailRecord[], key: DigestSigningKey): void {
  const bucket = account.buckets.get(TRAIL_BUCKET)!;
  const byHour = new Map<number, CloudTrailRecord[]>();
  for (const r of records) {
    const hour = Math.floor(Date.parse(r.eventTime) / 3_600_000) * 3_600_000;
    (byHour.get(hour) ?? byHour.set(hour, []).get(hour)!).push(r);
  }
  const base = `AWSLogs/${account.accountId}`;
  const delivered = new Map<number, { s3Object: string; hashValue: string }[]>();
  let n = 0;
  for (const [hour, group] of byHour) {
    // Delivered a few minutes after the hour closes, under the delivery day's prefix (as CloudTrail does).
    const at = new Date(hour + 3_600_000 + 5 * 60_000);
    const name = `${account.accountId}_CloudTrail_${region}_${stamp(at)}_${(n++).toString(36).padStart(16, 'x')}.json.gz`;
    const logKey = `${base}/CloudTrail/${region}/${datePath(at)}/${name}`;
    const text = JSON.stringify({ Records: group });
    bucket.set(logKey, { body: gzipSync(text), lastModified: at });
    delivered.set(hour + 3_600_000, [{ s3Object: logKey, hashValue: createHash('sha256').update(text).digest('hex') }]);
  }
  const hours = [...delivered.keys()];
  if (!hours.length) return;
  let previous: { object: string; hash: string; signature: string } | null = null;
  for (let from = Math.min(...hours); from <= Math.max(...hours); from += 3_600_000) {
    const to = new Date(from + 3_600_000);
    const object = `${base}/CloudTrail-Digest/${region}/${datePath(to)}/${account.accountId}_CloudTrail-Digest_${region}_management_${account.regions[0]}_${stamp(to)}.json.gz`;
    const text: string = JSON.stringify({
      awsAccountId: account.accountId,
      digestStartTime: iso(from),
      digestEndTime: iso(to.getTime()),
      digestS3Bucket: TRAIL_BUCKET,
      digestS3Object: object,
      digestPublicKeyFingerprint: key.fingerprint,
      digestSignatureAlgorithm: 'SHA256withRSA',
      previousDigestS3Bucket: previous ? TRAIL_BUCKET : null,
      previousDigestS3Object: previous?.object ?? null,
      previousDigestHashValue: previous?.hash ?? null,
      previousDigestHashAlgorithm: previous ? 'SHA-256' : null,
      previousDigestSignature: previous?.signature ?? null,
      logFiles: (delivered.get(from) ?? []).map((f) => ({ s3Bucket: TRAIL_BUCKET, ...f, hashAlgorithm: 'SHA-256' })),
    });
    const signature = signDigest(key, TRAIL_BUCKET, object, text);
    bucket.set(object, { body: gzipSync(text), lastModified: new Date(to.getTime() + 10 * 60_000), metadata: { signature, 'signature-algorithm': 'SHA256withRSA' } });
    previous = { object, hash: createHash('sha256').update(text).digest('hex'), signature };
  }
}

function ec2Documents(accountId: string, region: string, ri: number): Ec2Documents {
  const vpc = `vpc-0fake${ri}000000001`;
  const subnet = `subnet-0fake${ri}0000001`;
  const sg = `sg-0fake${ri}0000001`;
  const eni = `eni-0fake${ri}0000001`;
  const instance = `i-0fake${ri}000000001`;
  return {
    Reservations: [
      {
        ReservationId: `r-0fake${ri}0000001`,
        OwnerId: accountId,
        Groups: [],
        Instances: [
          {
            InstanceId: instance,
            ImageId: 'ami-0fake00000000001',
            InstanceType: 't3.micro',
            LaunchTime: '2024-01-02T03:04:05Z',
            Placement: { AvailabilityZone: `${region}a` },
            PrivateIpAddress: '10.0.1.10',
            PublicIpAddress: `198.51.100.${10 + ri}`,
            State: { Code: 16, Name: 'running' },
            SubnetId: subnet,
            VpcId: vpc,
            IamInstanceProfile: { Arn: `arn:aws:iam::${accountId}:instance-profile/web`, Id: 'AIPAFAKE0001' },
            SecurityGroups: [{ GroupName: 'web', GroupId: sg }],
            NetworkInterfaces: [{ NetworkInterfaceId: eni, SubnetId: subnet, VpcId: vpc, PrivateIpAddress: '10.0.1.10', Groups: [{ GroupName: 'web', GroupId: sg }] }],
            Tags: [{ Key: 'Name', Value: `web-${region}` }],
          },
        ],
      },
    ],
    SecurityGroups: [
      {
        GroupId: sg,
        GroupName: 'web',
        Description: 'web servers',
        OwnerId: accountId,
        VpcId: vpc,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'debug' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }],
        IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }],
      },
    ],
    SecurityGroupRules: [
      { SecurityGroupRuleId: `sgr-0fake${ri}0000001`, GroupId: sg, GroupOwnerId: accountId, IsEgress: false, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '0.0.0.0/0', Description: 'debug' },
      { SecurityGroupRuleId: `sgr-0fake${ri}0000002`, GroupId: sg, GroupOwnerId: accountId, IsEgress: true, IpProtocol: '-1', FromPort: -1, ToPort: -1, CidrIpv4: '0.0.0.0/0' },
    ],
    NetworkInterfaces: [
      {
        NetworkInterfaceId: eni,
        SubnetId: subnet,
        VpcId: vpc,
        AvailabilityZone: `${region}a`,
        PrivateIpAddress: '10.0.1.10',
        Attachment: { InstanceId: instance, AttachmentId: `eni-attach-0fake${ri}`, DeviceIndex: 0, Status: 'attached' },
        Groups: [{ GroupName: 'web', GroupId: sg }],
        Association: { PublicIp: `198.51.100.${10 + ri}` },
        Status: 'in-use',
        InterfaceType: 'interface',
      },
    ],
    Vpcs: [{ VpcId: vpc, CidrBlock: '10.0.0.0/16', State: 'available', IsDefault: false, OwnerId: accountId }],
    Subnets: [{ SubnetId: subnet, VpcId: vpc, CidrBlock: '10.0.1.0/24', AvailabilityZone: `${region}a`, MapPublicIpOnLaunch: true, State: 'available', OwnerId: accountId }],
    NetworkAcls: [{
      NetworkAclId: `acl-0fake${ri}0000001`, VpcId: vpc, IsDefault: true, OwnerId: accountId,
      Associations: [{ NetworkAclAssociationId: `aclassoc-0fake${ri}01`, NetworkAclId: `acl-0fake${ri}0000001`, SubnetId: subnet }],
      Entries: [
        { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0' },
        { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: false, CidrBlock: '0.0.0.0/0' },
      ],
      Tags: [{ Key: 'Name', Value: 'web-subnets' }],
    }],
    FlowLogs: [
      {
        FlowLogId: `fl-0fake${ri}s3`,
        ResourceId: vpc,
        TrafficType: 'ALL',
        LogDestinationType: 's3',
        LogDestination: `arn:aws:s3:::${FLOW_BUCKET}`,
        LogFormat: '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}',
        FlowLogStatus: 'ACTIVE',
        CreationTime: '2024-01-02T03:04:05Z',
      },
      {
        FlowLogId: `fl-0fake${ri}cw`,
        ResourceId: subnet,
        TrafficType: 'ALL',
        LogDestinationType: 'cloud-watch-logs',
        LogGroupName: `/vpc/flow/${region}`,
        LogFormat: '${version} ${vpc-id} ${subnet-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${flow-direction}',
        FlowLogStatus: 'ACTIVE',
        CreationTime: '2024-01-02T03:04:05Z',
      },
    ],
  };
}

function addFlowLogs(account: FakeAccount, region: string, ri: number, startMs: number, span: number, count: number, rand: () => number): void {
  const eni = `eni-0fake${ri}0000001`;
  const s3Lines: { t: number; line: string }[] = [];
  const cw: LogEvent[] = [];
  for (let i = 0; i < count; i++) {
    const t = startMs + Math.floor(((i + 0.5) * span) / count);
    const start = Math.floor(t / 1000);
    const src = `192.0.2.${1 + Math.floor(rand() * 250)}`;
    const port = [22, 443, 3389, 80][Math.floor(rand() * 4)];
    const action = rand() < 0.7 ? 'ACCEPT' : 'REJECT';
    if (i % 2 === 0) {
      s3Lines.push({ t, line: `2 ${account.accountId} ${eni} ${src} 10.0.1.10 ${40000 + i} ${port} 6 3 180 ${start} ${start + 60} ${action} OK` });
    } else {
      cw.push({
        logStreamName: `${eni}-all`,
        timestamp: t,
        eventId: `${t}${String(i).padStart(8, '0')}`,
        message: `5 vpc-0fake${ri}000000001 subnet-0fake${ri}0000001 ${eni} ${src} 10.0.1.10 ${40000 + i} ${port} 6 3 180 ${start} ${start + 60} ${action} OK ingress`,
      });
    }
  }
  account.flowCounts.set(region, count);
  account.logGroups.set(region, new Map([[`/vpc/flow/${region}`, cw]]));
  const bucket = account.buckets.get(FLOW_BUCKET)!;
  const byHour = new Map<number, string[]>();
  for (const { t, line } of s3Lines) {
    const hour = Math.floor(t / 3_600_000) * 3_600_000;
    (byHour.get(hour) ?? byHour.set(hour, []).get(hour)!).push(line);
  }
  for (const [hour, lines] of byHour) {
    const delivered = new Date(hour + 3_600_000 + 10 * 60_000);
    const key = `AWSLogs/${account.accountId}/vpcflowlogs/${region}/${datePath(delivered)}/${account.accountId}_vpcflowlogs_${region}_fl-0fake${ri}s3_${stamp(delivered)}_${hour.toString(16)}.log.gz`;
    const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
    bucket.set(key, { body: gzipSync([header, ...lines].join('\n') + '\n'), lastModified: delivered });
  }
}

function addIam(account: FakeAccount, userNames: string[]): void {
  const id = account.accountId;
  const adminPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
  account.iam.users = userNames.map((u, i) => ({
    Path: '/',
    UserName: u,
    UserId: `AIDAFAKE${pad(i)}`,
    Arn: `arn:aws:iam::${id}:user/${u}`,
    CreateDate: '2024-01-02T03:04:05Z',
    UserPolicyList: i === 0 ? [{ PolicyName: 'inline-admin', PolicyDocument: adminPolicy }] : [],
    GroupList: ['analysts'],
    AttachedManagedPolicies: [{ PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
    Tags: [],
  }));
  account.iam.groups = [
    { Path: '/', GroupName: 'analysts', GroupId: 'AGPAFAKE01', Arn: `arn:aws:iam::${id}:group/analysts`, CreateDate: '2024-01-02T03:04:05Z', GroupPolicyList: [], AttachedManagedPolicies: [] },
  ];
  account.iam.roles = [
    {
      Path: '/',
      RoleName: 'web',
      RoleId: 'AROAFAKE01',
      Arn: `arn:aws:iam::${id}:role/web`,
      CreateDate: '2024-01-02T03:04:05Z',
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      InstanceProfileList: [{ Path: '/', InstanceProfileName: 'web', InstanceProfileId: 'AIPAFAKE0001', Arn: `arn:aws:iam::${id}:instance-profile/web`, CreateDate: '2024-01-02T03:04:05Z', Roles: [] }],
      RolePolicyList: [],
      AttachedManagedPolicies: [],
      Tags: [],
    },
  ];
  account.iam.policies = [
    {
      PolicyName: 'ReadOnlyAccess',
      PolicyId: 'ANPAFAKE01',
      Arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      Path: '/',
      DefaultVersionId: 'v1',
      AttachmentCount: userNames.length,
      IsAttachable: true,
      CreateDate: '2024-01-02T03:04:05Z',
      UpdateDate: '2024-01-02T03:04:05Z',
      PolicyVersionList: [{ Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ec2:Describe*'], Resource: '*' }] }, VersionId: 'v1', IsDefaultVersion: true, CreateDate: '2024-01-02T03:04:05Z' }],
    },
  ];
  const header =
    'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
  const rows = userNames.map(
    (u) => `${u},arn:aws:iam::${id}:user/${u},2024-01-02T03:04:05+00:00,false,N/A,N/A,N/A,false,true,2024-01-02T03:04:05+00:00,2024-03-01T00:00:00+00:00,us-east-1,ec2,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
  );
  account.iam.credentialReport = [header, ...rows].join('\n');
}

export const FAKE_BUCKETS = { trail: TRAIL_BUCKET, flows: FLOW_BUCKET };
