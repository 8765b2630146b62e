// A FakeAccount serving a folder written by the project's generator (tools/gen): its CloudTrail files
// (byte for byte in the trail bucket, their records through LookupEvents and Athena), its flow log
// files in the flow bucket its DescribeFlowLogs names, its EC2 documents per region, and its IAM
// authorization details and credential report. A full pull of it must then yield what ingesting the
// folder yields. Test support only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { generatorSigningKey, signDigest } from '../../tools/gen/digest-signing.ts';
import { listFiles } from '../../tools/gen/read-output.ts';
import { decodePolicies } from '../../electron/core/pull/collectors/config-iam.ts';
import type { CloudTrailRecord, Ec2Documents, FakeAccount, StoredObject } from './account.ts';

const EC2_KINDS: [string, keyof Ec2Documents][] = [
  ['describe-instances', 'Reservations'],
  ['describe-security-groups', 'SecurityGroups'],
  ['describe-security-group-rules', 'SecurityGroupRules'],
  ['describe-network-interfaces', 'NetworkInterfaces'],
  ['describe-vpcs', 'Vpcs'],
  ['describe-subnets', 'Subnets'],
  ['describe-network-acls', 'NetworkAcls'],
  ['describe-flow-logs', 'FlowLogs'],
];

type Json = Record<string, unknown>;

/**
 * The generator writes no trail description: the fake's trail delivers to the bucket its digests
 * name (the bucket is part of what a digest's signature covers).
 */
export const GENERATED_TRAIL_BUCKET = 'example-corp-cloudtrail-logs';

export function fakeAccountFromGenerated(dir: string): FakeAccount {
  const read = (path: string) => readFileSync(join(dir, path));
  const json = (path: string) => JSON.parse(read(path).toString('utf8')) as Json;
  const incident = json('incident.json') as { account: string; regions: string[]; window: { end: string } };
  const accountId = incident.account;
  const regions = incident.regions;
  const files = listFiles(dir);
  const lastModified = new Date(incident.window.end);

  // CloudTrail: every log file as delivered, and its records per region for LookupEvents.
  const trailBucket = new Map<string, StoredObject>();
  const events = new Map<string, CloudTrailRecord[]>(regions.map((r) => [r, []]));
  let trailName = 'management';
  for (const f of files.filter((p) => p.startsWith(`AWSLogs/${accountId}/CloudTrail`))) {
    const body = read(f);
    trailBucket.set(f, { body, lastModified });
    if (f.includes('/CloudTrail-Digest/')) {
      // Served as CloudTrail delivers it: with the signature in the object's metadata, made with the
      // generator's key (the same signature the next digest names as previousDigestSignature).
      const signature = signDigest(generatorSigningKey(), GENERATED_TRAIL_BUCKET, f, gunzipSync(body).toString('utf8'));
      trailBucket.set(f, { body, lastModified, metadata: { signature, 'signature-algorithm': 'SHA256withRSA' } });
      // <account>_CloudTrail-Digest_<region>_<trail name>_<home region>_<time>.json.gz
      trailName = /_CloudTrail-Digest_[^_]+_(.+)_[^_]+_[^_]+$/.exec(f)?.[1] ?? trailName;
      continue;
    }
    for (const r of (JSON.parse(gunzipSync(body).toString('utf8')) as { Records: CloudTrailRecord[] }).Records) {
      const list = events.get(r.awsRegion);
      if (!list) throw new Error(`generated record ${r.eventID} is in ${r.awsRegion}, outside the account's regions`);
      list.push(r);
    }
  }
  for (const list of events.values()) list.sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : 0));

  // EC2 documents per region, as the CLI printed them.
  const ec2 = new Map<string, Ec2Documents>();
  for (const region of regions) {
    const docs = {} as Ec2Documents;
    for (const [kind, key] of EC2_KINDS) docs[key] = (json(`config/${region}/${kind}.json`)[key] as unknown[]) ?? [];
    ec2.set(region, docs);
  }

  // Flow log files go to the bucket their flow log names.
  const buckets = new Map<string, Map<string, StoredObject>>([[GENERATED_TRAIL_BUCKET, trailBucket]]);
  for (const docs of ec2.values()) {
    for (const log of docs.FlowLogs as Json[]) {
      const bucket = /^arn:aws[\w-]*:s3:::([^/]+)/.exec(String(log.LogDestination ?? ''))?.[1];
      if (bucket && !buckets.has(bucket)) buckets.set(bucket, new Map());
    }
  }
  const flowCounts = new Map<string, number>(regions.map((r) => [r, 0]));
  for (const f of files.filter((p) => p.startsWith(`AWSLogs/${accountId}/vpcflowlogs/`))) {
    const region = f.split('/')[3];
    const flowLogId = /_(fl-[0-9a-f]+)_/.exec(f)?.[1];
    const log = (ec2.get(region)?.FlowLogs as Json[] | undefined)?.find((l) => l.FlowLogId === flowLogId);
    const bucket = /^arn:aws[\w-]*:s3:::([^/]+)/.exec(String(log?.LogDestination ?? ''))?.[1];
    if (!bucket) throw new Error(`flow log file ${f} belongs to no flow log of ${region}`);
    const body = read(f);
    buckets.get(bucket)!.set(f, { body, lastModified });
    flowCounts.set(region, flowCounts.get(region)! + gunzipSync(body).toString('utf8').trimEnd().split('\n').length - 1);
  }

  // IAM: the fake encodes policy documents on the wire as IAM does, so they are decoded here first.
  const gaad = decodePolicies(json('config/global/get-account-authorization-details.json')) as Record<string, Json[]>;
  const report = json('config/global/get-credential-report.json') as { Content: string };
  const users = gaad.UserDetailList ?? [];
  return {
    accountId,
    callerArn: String(users[0]?.Arn ?? `arn:aws:iam::${accountId}:root`),
    regions,
    events,
    ec2,
    iam: {
      users,
      groups: gaad.GroupDetailList ?? [],
      roles: gaad.RoleDetailList ?? [],
      policies: gaad.Policies ?? [],
      // The folder names no access key ids (its credential report has none): the fake lists none, so
      // the pulled case holds the same configuration as the ingested one.
      accessKeys: new Map(),
      credentialReport: Buffer.from(report.Content, 'base64').toString('utf8'),
    },
    trails: [
      {
        Name: trailName,
        S3BucketName: GENERATED_TRAIL_BUCKET,
        HomeRegion: regions[0],
        IsMultiRegionTrail: true,
        IncludeGlobalServiceEvents: true,
        TrailARN: `arn:aws:cloudtrail:${regions[0]}:${accountId}:trail/${trailName}`,
      },
    ],
    buckets,
    logGroups: new Map(regions.map((r) => [r, new Map()])),
    flowCounts,
    publicKeys: [
      { fingerprint: generatorSigningKey().fingerprint, der: generatorSigningKey().publicDer, validFrom: new Date(Date.parse(incident.window.end) - 60 * 86_400_000), validUntil: new Date(Date.parse(incident.window.end) + 30 * 86_400_000) },
    ],
  };
}
