// The pull's public shapes: what the CLI and the "Pull from AWS" dialog pass in and get back.
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { ConfigKind, FlowRow, RecordRejection, SourceKind } from '../ingest/types.ts';
import type { CloudTrailPublicKey, SourceEvidence } from '../ingest/source-evidence.ts';

export const COLLECTOR_GROUPS = ['cloudtrail', 'flows', 'config'] as const;
export type CollectorGroup = (typeof COLLECTOR_GROUPS)[number];

export type AthenaOptions = {
  database: string;
  table: string;
  workgroup: string;
  /** Narrow the slice: any of these principals (ARNs or user names), resources or event names. */
  principals?: string[];
  resources?: string[];
  eventNames?: string[];
  /** Output location when the work group does not set one. */
  outputLocation?: string;
};

export type PullOptions = {
  profile?: string;
  /** Region names, or ['all'] for every region enabled in the account. */
  regions: string[];
  since: Date;
  until: Date;
  what: CollectorGroup[];
  /** Read CloudTrail from this trail bucket instead of (in addition to) LookupEvents. */
  trailBucket?: string;
  athena?: AthenaOptions;
  /** Test and advanced use: one endpoint for every service (the SDK also honours AWS_ENDPOINT_URL*). */
  endpoint?: string;
  /** Test use: credentials instead of the standard chain. */
  credentials?: AwsCredentialIdentityProvider;
  /** LookupEvents requests per second per region (the service allows 2). */
  lookupRate?: number;
  /** Parallel S3 object fetches per collector. */
  s3Concurrency?: number;
  /** Per-attempt timeout of one HTTP request. */
  requestTimeoutMs?: number;
  /** Retry tuning (tests shorten the waits). */
  retry?: { maxAttempts?: number; baseMs?: number; capMs?: number };
};

export type CollectorStatus = 'running' | 'done' | 'denied' | 'failed' | 'cancelled';

export type PullProgress = {
  collector: string; // e.g. cloudtrail:lookup-events, flows:cloudwatch-logs, config:describe-instances
  region: string; // AWS region, or 'global' for IAM
  status: CollectorStatus;
  /** Records stored so far (events, flow rows, or documents). */
  stored: number;
  duplicates: number;
  /** Records read but refused (by the reader or the normalizer): the case keeps each, with where and why. */
  rejected: number;
  requests: number;
  retries: number;
  throttled: number;
  /** The IAM permission a denied collector needs (from AccessDeniedError), e.g. ec2:DescribeInstances. */
  permission?: string;
  message?: string;
};

/**
 * What a pull tells its caller as it goes, as data: who the credentials are (before anything is
 * pulled), notes about every region, and each collector's state. Callers render these; nothing
 * reads a message's wording back.
 */
export type PullEvent =
  | { kind: 'account'; account: string; arn: string }
  | { kind: 'note'; text: string }
  | { kind: 'collector'; progress: PullProgress };

export type PullReport = {
  account: string;
  arn: string;
  regions: string[];
  collectors: PullProgress[];
  cancelled: boolean;
};

/**
 * Where a pull stores what it reads: the case writer (electron/core/ingest/writer.ts) satisfies it.
 * Records and checkpoint go in one transaction so a killed pull resumes exactly.
 */
export type PullSink = {
  startSource(source: { path: string; sha256: string; size: number; kind: SourceKind }): number;
  writeCloudTrail(
    sourceId: number,
    records: unknown[],
    rejected: RecordRejection[],
    checkpoint?: { key: string; value: string },
  ): { stored: number; duplicates: number; rejected: number };
  writeFlows(
    sourceId: number,
    rows: FlowRow[],
    rejected: RecordRejection[],
    checkpoint?: { key: string; value: string },
  ): { stored: number; duplicates: number; rejected: number };
  writeConfig(sourceId: number, kind: ConfigKind, document: unknown, observedAt: number): unknown;
  finishSource(sourceId: number, status: 'done' | 'rejected' | 'skipped', reason?: string): void;
  /** What `trailscope verify` needs of a CloudTrail log or digest object (content hash, digest JSON, signature). */
  recordEvidence(sourceId: number, evidence: SourceEvidence): void;
  /** CloudTrail's public keys (ListPublicKeys), kept in the case to check digest signatures. */
  recordPublicKeys(keys: CloudTrailPublicKey[]): void;
  getCheckpoint(key: string): string | null | undefined;
};

export type PullHooks = { signal?: AbortSignal; onEvent?: (e: PullEvent) => void };
