// The rows that normalizers produce and the writer stores. Readers yield raw records; normalizers
// (pure functions) turn them into these; the writer owns every transaction.
import type { ResourceType, Touch } from '../../../shared/resource-ids.ts';
import type { DetectorName, FindingSeverity } from '../../../shared/engine-types.ts';
import type { RecordRejection } from '../../../shared/api/types.ts';
import type { FlowRow } from '../db/flow-row.ts';

export type IdentityColumns = {
  identityType: string | null; // IAMUser | AssumedRole | Root | FederatedUser | AWSService | AWSAccount | IdentityCenterUser | Unknown | null
  identityArn: string | null;
  identityAccount: string | null;
  principalId: string | null;
  accessKeyId: string | null;
  userName: string | null;
  sessionIssuerArn: string | null;
  sessionName: string | null;
  invokedBy: string | null;
  sourceIdentity: string | null;
  onBehalfOf: string | null;
  mfaAuthenticated: boolean | null;
};

export type TouchedResource = {
  id: string; // see shared/resource-ids.ts
  type: ResourceType;
  touch: Touch;
  name?: string | null;
  accountId?: string | null;
  region?: string | null;
  arn?: string | null;
};

export type IssuedCredential = {
  accessKeyId: string;
  kind: string;
  issuedAt: number;
  expiresAt: number | null;
  issuedArn: string | null;
  roleArn: string | null;
  sessionName: string | null;
  sourceIdentity: string | null;
  callerArn: string | null;
  callerType: string | null;
  callerKey: string | null;
  callerIp: string | null;
  subject: string | null;
  /** Who vouched for the subject: the SAML assertion's issuer, the web identity token's provider. */
  issuer: string | null;
};

/** An Identity Center user id and the user name one record gives for it (identity-store-names.ts). */
export type IdentityStoreName = { userId: string; userName: string };

export type NormalizedEvent = IdentityColumns & {
  /** CloudTrail's eventID, or for a record without one an id derived from its content (normalize/derived-event-id.ts). */
  eventId: string;
  eventIdDerived: boolean;
  eventTime: number; // ms since epoch
  eventSource: string;
  eventName: string;
  awsRegion: string | null;
  accountId: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  readOnly: boolean | null;
  eventType: string | null;
  sharedEventId: string | null;
  requestId: string | null;
  resources: TouchedResource[];
  issuedCredentials: IssuedCredential[];
  identityStoreNames: IdentityStoreName[];
  /** Text for the FTS index: names, ids, ARNs, addresses, agent, error. */
  searchText: string;
};

export type NormalizeResult<T> = { ok: true; value: T } | { ok: false; reason: string };

export type ResourceRow = {
  id: string;
  type: ResourceType;
  accountId: string | null;
  region: string | null;
  name: string | null;
  arn: string | null;
  /** When the configuration that describes it was captured: the time of its name and place (resource-observations.ts). */
  observedAt: number;
};

export type ResourceVersionRow = {
  resourceId: string;
  observedAt: number;
  config: unknown; // stored as JSON; hashed for deduplication
};

export type EdgeRow = {
  src: string;
  dst: string;
  kind: string; // e.g. instance-security-group, instance-profile, profile-role, eni-instance, eni-subnet, eni-security-group, subnet-vpc, instance-subnet, user-group, role-trusts, user-access-key, sg-rule-source
  validFrom: number | null;
  validTo: number | null;
};

export type ConfigSnapshot = {
  resources: ResourceRow[];
  versions: ResourceVersionRow[];
  edges: EdgeRow[];
  /** Principals named by the configuration (IAM users and roles), so the graph shows idle ones too. */
  principals: { arn: string; type: string; accountId: string | null; name: string | null }[];
};

/** One VPC flow log record (db/flow-row.ts: the flow blocks store it). */
export type { FlowRow };

/** The configuration documents Trailscope reads, named after the AWS CLI command that prints them. */
export const CONFIG_KINDS = [
  'get-account-authorization-details',
  'describe-instances',
  'describe-security-groups',
  'describe-security-group-rules',
  'describe-network-interfaces',
  'describe-vpcs',
  'describe-subnets',
  'describe-network-acls',
  'describe-flow-logs',
  'get-credential-report',
  'list-access-keys',
  /** AWS Config configuration items: ConfigHistory / ConfigSnapshot files and get-resource-config-history output. */
  'get-resource-config-history',
] as const;
export type ConfigKind = (typeof CONFIG_KINDS)[number];

/**
 * What a reader yields for one input. Readers do no database work; they stream a file and yield
 * batches of raw records (CloudTrail records as parsed objects, flow rows already split into fields,
 * config documents whole), plus per-record rejections.
 */
export type SourceKind = 'cloudtrail' | 'cloudtrail-digest' | 'flowlog' | `config:${ConfigKind}` | `findings:${DetectorFormat}` | 'unknown';

/** The finding formats of AWS's detectors: GuardDuty's own JSON, Security Hub's ASFF, Security Lake's OCSF. */
export type DetectorFormat = 'guardduty' | 'asff' | 'ocsf';

/** What a detector finding names, stored as links (principal and user-name are matched without IAM paths). */
export type DetectorLinkKind = 'principal' | 'principal-id' | 'user-name' | 'access-key' | 'instance' | 'address' | 'api' | 'resource';

/** One detector finding, normalized (normalize/detectors/); every text bounded, placeholders left out of links. */
export type DetectorFindingRow = {
  detector: DetectorName;
  findingUid: string;
  product: string | null;
  type: string | null;
  title: string;
  description: string | null;
  severity: FindingSeverity;
  detectorSeverity: string | null;
  firstTime: number;
  lastTime: number;
  updatedAt: number;
  accountId: string | null;
  region: string | null;
  links: { kind: DetectorLinkKind; value: string }[];
  raw: string;
};

import type { FlowColumnsBuilder } from '../db/flow-columns-builder.ts';

export type ReaderBatch =
  /**
   * readAs: how exported records were reshaped into CloudTrail records (read-as.ts), when they were.
   * bytes: the JSON the records were read from, as far as the reader knows it (parse/item-batches.ts).
   */
  | { type: 'cloudtrail'; records: unknown[]; rejected: RecordRejection[]; bytes: number; readAs?: string[] }
  /** Flow records as the columns of one block (db/flow-columns-builder.ts); rows() when they are wanted one by one. */
  | { type: 'flows'; records: FlowColumnsBuilder; rejected: RecordRejection[]; readAs?: string[] }
  | { type: 'config'; kind: ConfigKind; document: unknown }
  /** Detector findings as read (objects), normalized on the worker (prepare-batch.ts). */
  | { type: 'findings'; findings: { format: DetectorFormat; v: unknown; pos: string }[]; rejected: RecordRejection[]; readAs?: string[] };

/** A rejected record's type is the API's: an import's status names the first ones (shared/api/types.ts). */
export type { RecordRejection };
