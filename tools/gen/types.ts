// Shapes shared by the generator's files: the account model and the generation options.

export type GenerateOptions = {
  out: string;
  events: number;
  flows: number;
  seed?: number | string;
  users?: number;
  instances?: number;
  /** Length of the window in hours (default 24). */
  hours?: number;
  /** Window start as ISO time (default 2025-03-10T00:00:00Z). */
  start?: string;
  /** gzip level 1-9 (default 4). */
  gzipLevel?: number;
  /**
   * Shapes of real accounts (none given: the classic account, byte for byte). Each one is a knob a
   * benchmark or a test turns to see what busy accounts look like; incident.json records them.
   */
  shape?: AccountShape;
};

export type AccountShape = {
  /**
   * Calls made with one temporary key before its holder gets a new one: 1 is a new key for every
   * call (Lambda-style churn), thousands is a long session. Applies to role sessions, instance
   * roles, Lambda, CI runs and ECS tasks. Unset: keys live their whole session (1 h; instance roles 6 h).
   */
  callsPerKey?: number;
  /** EC2 hands each instance a new role key this often, in hours (default 6). */
  instanceKeyHours?: number;
  /** Lambda functions; each cold start assumes its execution role (a new key per run). */
  lambdas?: number;
  /** CI pipelines (GitHub Actions through OIDC); each run assumes its deploy role with AssumeRoleWithWebIdentity. */
  ciPipelines?: number;
  /** ECS services; each task assumes the service's task role, its session named after the task's id (a name of its own per key). */
  ecsServices?: number;
  /** Accounts in an organisation trail (default 1): the others are member accounts with their own traffic. */
  accounts?: number;
  /** Share (0-1) of background records whose access key arrives masked (`AKIA****************`), as some exports deliver them. */
  redactedKeys?: number;
  /**
   * Share (0-1) of the background calls that issue temporary keys (AssumeRole*, GetSessionToken,
   * GetFederationToken) left out of the trail, while their keys' calls stay: as an export filtered to the
   * services under investigation delivers them, or a window that starts after the keys were issued, or
   * roles assumed through another account's trail. Attribution then has no issue to follow for them.
   */
  unrecordedIssues?: number;
  /**
   * Share (0-1) of the calls of instances, Lambda functions and ECS tasks that are S3 object reads and
   * writes, logged as data events (a trail whose selectors include S3 data): each write a new object,
   * each read one of the recent ones, so the trail names many more resources.
   */
  s3DataEvents?: number;
  /**
   * Share (0-1) of the internet's connections to the public instances (web clients, the background's
   * probes) made over IPv6: each VPC and subnet gets an IPv6 block, each public instance an address in
   * its subnet's /64, written in the snapshots, and those records are IPv6 (type IPv6 in version 5).
   */
  ipv6?: number;
  /** Write the configuration snapshots (config/…); false for accounts where only CloudTrail and flow logs exist. Default true. */
  config?: boolean;
  /**
   * The flow logs' record version: 5 (default) writes a custom format with direction, TCP flags and the
   * packet addresses; 2 writes AWS's default format, the first 14 fields, as most accounts' flow logs
   * are created: no direction, flags or packet addresses to tell a connection's sides apart.
   */
  flowVersion?: 2 | 5;
  /**
   * Records in one CloudTrail file at most (1-1000, default 1000 as CloudTrail). CloudTrail delivers
   * a file per region about every five minutes from each of several hosts: a quiet region's files,
   * and many of a busy one's, hold a few records each, so an account's files run to the hundreds of thousands.
   */
  recordsPerFile?: number;
};

export type GenerateSummary = {
  out: string;
  events: number;
  flows: number;
  cloudTrailFiles: number;
  /** Uncompressed bytes of CloudTrail JSON in those files. */
  cloudTrailJsonBytes: number;
  flowLogFiles: number;
  digestFiles: number;
  configFiles: number;
  bytesWritten: number;
  windowStart: string;
  windowEnd: string;
  incidentFile: string;
  /** Temporary keys issued in the window (AssumeRole*, console sessions excluded): the population attribution has to resolve. */
  temporaryKeys: number;
  /** Records written with a masked access key. */
  redactedRecords: number;
  /** Key-issuing calls left out of the trail (shape.unrecordedIssues); their keys still call. */
  unrecordedIssues: number;
};

export type Region = 'us-east-1' | 'eu-west-1';

export type Vpc = { id: string; region: Region; cidr: string; name: string; env: string; natIp: string; flowLogId: string; createTime: string;
  /** Its IPv6 block (a /56 of Amazon's), written only for an account with IPv6 traffic (AccountShape.ipv6). */
  ipv6Cidr: string };

export type Subnet = {
  id: string;
  vpcId: string;
  region: Region;
  az: string;
  azId: string;
  cidr: string;
  /** Its IPv6 /64, inside its VPC's /56. */
  ipv6Cidr: string;
  base: number; // numeric value of the network address, for handing out private IPs
  next: number;
  isPublic: boolean;
  name: string;
};

export type SgRule = {
  id: string;
  groupId: string;
  isEgress: boolean;
  protocol: string;
  fromPort: number;
  toPort: number;
  cidr?: string;
  refGroupId?: string;
  description?: string;
};

export type SecurityGroup = { id: string; name: string; description: string; vpcId: string; region: Region; rules: SgRule[]; tags: Record<string, string> };

export type Instance = {
  id: string;
  name: string;
  region: Region;
  env: string;
  app: string;
  vpcId: string;
  subnetId: string;
  az: string;
  privateIp: string;
  publicIp: string | null;
  /** Its IPv6 address in its subnet's /64, for an instance of a public subnet (used only with AccountShape.ipv6). */
  ipv6: string | null;
  eniId: string;
  eniAttachmentId: string;
  mac: string;
  sgIds: string[];
  roleName: string;
  imageId: string;
  instanceType: string;
  keyName: string;
  launchTime: string;
  volumeId: string;
  /** ms time the instance was launched inside the window, if it was. */
  launchMs?: number;
  /** ms time of termination within the window, if any. */
  terminatedAt?: number;
};

export type AccessKey = { id: string; created: string; status: 'Active' | 'Inactive'; lastUsedMs?: number; lastUsedService?: string; lastUsedRegion?: string };

export type UserKind = 'human-console' | 'human-cli' | 'service' | 'dormant';

export type User = {
  name: string;
  id: string;
  arn: string;
  createDate: string;
  groups: string[];
  policies: string[]; // managed policy ARNs attached directly
  keys: AccessKey[];
  kind: UserKind;
  console: boolean;
  mfa: boolean;
  ips: string[];
  passwordLastUsedMs?: number;
};

export type Group = { name: string; id: string; arn: string; policies: string[]; createDate: string };

export type Role = {
  name: string;
  id: string;
  arn: string;
  path: string;
  createDate: string;
  trust: unknown;
  policies: string[];
  profile?: { name: string; id: string; arn: string };
  inlinePolicies?: { name: string; document: unknown }[];
  lastUsedMs?: number;
  lastUsedRegion?: string;
};

export type Account = {
  id: string;
  foreignId: string;
  foreignRoleArn: string;
  foreignRoleId: string;
  regions: Region[];
  vpcs: Vpc[];
  subnets: Subnet[];
  groupsSg: SecurityGroup[];
  instances: Instance[];
  users: User[];
  iamGroups: Group[];
  roles: Role[];
  customerPolicies: { name: string; id: string; arn: string; document: unknown; createDate: string }[];
  officeIps: string[];
  ciIps: string[];
  trailName: string;
  trailBucket: string;
  flowBucket: string;
  /** The version its flow logs write (AccountShape.flowVersion). */
  flowVersion: 2 | 5;
  /** Share of the internet's traffic to its public instances over IPv6 (AccountShape.ipv6; 0: none, and no IPv6 block is written). */
  ipv6Share: number;
};
