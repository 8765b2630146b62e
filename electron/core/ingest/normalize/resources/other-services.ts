// S3 buckets and objects, CloudTrail trails, and the sessions STS creates.
import type { Touch } from '../../../../../shared/resource-ids.ts';
import { iamArnWithoutPath } from '../../../../../shared/resource-ids.ts';
import { child, str, text } from '../../../json-values.ts';
import { touch } from './context.ts';
import type { Extractor, ResourceContext } from './context.ts';

function bucketArn(ctx: ResourceContext, bucket: string): string {
  return `arn:${ctx.partition}:s3:::${bucket}`;
}

/** Bucket-level calls: the bucket, touched as the name says. */
function bucket(how: Touch): Extractor {
  return (ctx) => {
    const b = str(ctx.rp?.bucketName);
    if (b !== null) touch(ctx, bucketArn(ctx, b), 'bucket', how, { name: b });
  };
}

/** Object-level calls: the object (and the bucket it lives in, as used). */
function object(how: Touch): Extractor {
  return (ctx) => {
    const b = str(ctx.rp?.bucketName);
    const k = str(ctx.rp?.key);
    if (b === null) return;
    if (k !== null) touch(ctx, `${bucketArn(ctx, b)}/${k}`, 'object', how, { name: k });
    touch(ctx, bucketArn(ctx, b), 'bucket', 'used', { name: b });
  };
}

/** S3 calls not in the table: Get/List/Head read the bucket, everything else (Put*, Delete*Policy...) modifies it. */
export function s3Fallback(ctx: ResourceContext): void {
  const n = ctx.eventName;
  const reads = ctx.readOnly || n.startsWith('Get') || n.startsWith('List') || n.startsWith('Head');
  if (str(ctx.rp?.key) !== null) object(reads ? 'read' : 'modified')(ctx);
  else bucket(reads ? 'read' : 'modified')(ctx);
}

function trailArn(ctx: ResourceContext, nameOrArn: string | null): string | null {
  if (nameOrArn === null) return null;
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  if (ctx.account === null || ctx.region === null) return null;
  return `arn:${ctx.partition}:cloudtrail:${ctx.region}:${ctx.account}:trail/${nameOrArn}`;
}

function trail(how: Touch): Extractor {
  return (ctx) => {
    const name = str(ctx.rp?.name) ?? str(ctx.rp?.trailName);
    const arn = str(ctx.re?.trailARN) ?? trailArn(ctx, name);
    touch(ctx, arn, 'trail', how, { name: name !== null && !name.startsWith('arn:') ? name : null, arn });
  };
}

/**
 * STS calls that create a session: the session (assumed-role or federated-user ARN) is created and the
 * role is used. The temporary access key they issue is no resource: it is the call's credential row
 * (credentials), which the graph, search and timeline read for a key. A churned account issues a key
 * per call, and a resource for each (its unique id, kind, search entry and link) was an eighth of the
 * writer's work there.
 */
const createSession: Extractor = (ctx) => {
  const sessionArn = text(child(ctx.re, 'assumedRoleUser'), 'arn') ?? text(child(ctx.re, 'federatedUser'), 'arn');
  touch(ctx, sessionArn, 'session', 'created');
  const role = str(ctx.rp?.roleArn);
  if (role !== null) touch(ctx, iamArnWithoutPath(role), 'role', 'used', { arn: role });
};

export const OTHER_EXTRACTORS: Record<string, Extractor> = {
  CreateBucket: bucket('created'),
  DeleteBucket: bucket('deleted'),
  GetObject: object('read'),
  HeadObject: object('read'),
  GetObjectAcl: object('read'),
  PutObject: object('created'),
  CopyObject: object('created'),
  CompleteMultipartUpload: object('created'),
  DeleteObject: object('deleted'),
  PutObjectAcl: object('modified'),
  CreateTrail: trail('created'),
  DeleteTrail: trail('deleted'),
  UpdateTrail: trail('modified'),
  StopLogging: trail('modified'),
  StartLogging: trail('modified'),
  PutEventSelectors: trail('modified'),
  PutInsightSelectors: trail('modified'),
  AssumeRole: createSession,
  AssumeRoleWithSAML: createSession,
  AssumeRoleWithWebIdentity: createSession,
  GetFederationToken: createSession,
  GetSessionToken: createSession,
};
