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
};

export type GenerateSummary = {
  out: string;
  events: number;
  flows: number;
  cloudTrailFiles: number;
  flowLogFiles: number;
  digestFiles: number;
  configFiles: number;
  bytesWritten: number;
  windowStart: string;
  windowEnd: string;
  incidentFile: string;
};

export type Region = 'us-east-1' | 'eu-west-1';

export type Vpc = { id: string; region: Region; cidr: string; name: string; env: string; natIp: string; flowLogId: string; createTime: string };

export type Subnet = {
  id: string;
  vpcId: string;
  region: Region;
  az: string;
  azId: string;
  cidr: string;
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
};
