// CloudTrail from the trail's S3 bucket: trails found with DescribeTrails (or the bucket given), objects
// listed under the date prefixes of the window only, records outside the window dropped. Each object
// is a source of its own (s3://bucket/key), checkpointed when stored. For `trailscope verify`, every
// log file's decompressed SHA-256 is kept, and the digest files of the same days are fetched with
// their S3 metadata (the signature a copied folder lacks), beside the region's CloudTrail public
// keys (ListPublicKeys): the digests are then checked as `aws cloudtrail validate-logs` checks them.
import { DescribeTrailsCommand, ListPublicKeysCommand } from '@aws-sdk/client-cloudtrail';
import type { PullContext, Tracker } from '../context.ts';
import { dayPrefixes } from '../window.ts';
import { errorText } from '../redact.ts';
import { AccessDeniedError } from '../errors.ts';
import { fetchObject, fetchObjectWithMetadata, listObjects, objectCheckpointKey, pool, readObject, type S3Object } from './s3-objects.ts';
import { readSourceEvidence, type CloudTrailPublicKey } from '../../ingest/source-evidence.ts';
import { MAX_SIGNATURE_HEX } from '../../evidence/digest-signature.ts';

/** S3 user metadata is at most 2 KB; longer values are hostile and kept only far enough to say so. */
const bounded = (v: string | undefined, max: number): string | null => (v === undefined ? null : v.slice(0, max + 1));

type TrailTarget = { bucket: string; prefix: string; region: string };

async function trailTargets(ctx: PullContext, tracker: Tracker, homeRegion: string): Promise<TrailTarget[]> {
  const out = await tracker.call('cloudtrail:DescribeTrails', (signal) =>
    ctx.clients.cloudtrail(homeRegion).send(new DescribeTrailsCommand({ includeShadowTrails: true }), { abortSignal: signal }),
  );
  const seen = new Map<string, TrailTarget>();
  for (const t of out.trailList ?? []) {
    if (!t.S3BucketName) continue;
    if (ctx.options.trailBucket && t.S3BucketName !== ctx.options.trailBucket) continue;
    const prefix = t.S3KeyPrefix ? `${t.S3KeyPrefix.replace(/\/$/, '')}/` : '';
    seen.set(`${t.S3BucketName}/${prefix}`, { bucket: t.S3BucketName, prefix, region: t.HomeRegion ?? homeRegion });
  }
  if (ctx.options.trailBucket && seen.size === 0) seen.set(ctx.options.trailBucket, { bucket: ctx.options.trailBucket, prefix: '', region: homeRegion });
  return [...seen.values()];
}

/** The region's CloudTrail public keys valid in the window (and the day after, when its last digests are signed). */
async function publicKeys(ctx: PullContext, tracker: Tracker, region: string): Promise<CloudTrailPublicKey[]> {
  const keys: CloudTrailPublicKey[] = [];
  const end = new Date(Math.min(Date.now(), ctx.until.getTime() + 86_400_000));
  let token: string | undefined;
  do {
    const page = await tracker.call('cloudtrail:ListPublicKeys', (signal) =>
      ctx.clients.cloudtrail(region).send(new ListPublicKeysCommand({ StartTime: ctx.since, EndTime: end, NextToken: token }), { abortSignal: signal }),
    );
    for (const k of page.PublicKeyList ?? []) {
      if (!k.Fingerprint || !k.Value) continue;
      keys.push({ fingerprint: k.Fingerprint.slice(0, 256), publicKey: k.Value, validFrom: k.ValidityStartTime?.getTime() ?? null, validUntil: k.ValidityEndTime?.getTime() ?? null, region });
    }
    token = page.NextToken;
  } while (token);
  return keys;
}

/** A digest object: its content hash and JSON, and the signature from its metadata, for verify. */
async function storeDigest(ctx: PullContext, o: S3Object, bytes: Buffer, metadata: Record<string, string>): Promise<void> {
  const path = `s3://${o.bucket}/${o.key}`;
  const read = await readObject(path, bytes);
  const sourceId = ctx.sink.startSource({ path, sha256: read.sha256, size: bytes.length, kind: 'cloudtrail-digest' });
  if (read.kind !== 'cloudtrail-digest') {
    ctx.sink.finishSource(sourceId, 'skipped', `not a CloudTrail digest file (${read.kind})`);
    return;
  }
  const evidence = await readSourceEvidence(read.input, 'cloudtrail-digest');
  if (evidence) {
    ctx.sink.recordEvidence(sourceId, { ...evidence, signature: bounded(metadata['signature'], MAX_SIGNATURE_HEX), signatureAlgorithm: bounded(metadata['signature-algorithm'], 64) });
  }
  ctx.sink.writeCloudTrail(sourceId, [], [], { key: objectCheckpointKey(o), value: o.etag || 'done' });
  ctx.sink.finishSource(sourceId, 'skipped', 'CloudTrail digest file (integrity hashes, no events): set aside');
}

export async function pullTrailBucket(ctx: PullContext, regions: string[]) {
  const discover = ctx.track('cloudtrail:s3', 'discover');
  let targets: TrailTarget[] = [];
  const found = await discover.run(async () => {
    targets = await trailTargets(ctx, discover, regions[0]);
    discover.progress.message = targets.map((t) => `s3://${t.bucket}/${t.prefix}`).join(', ') || 'no trail delivers to S3';
  });
  if (found.status !== 'done') return [found];
  const since = ctx.since.getTime();
  const until = ctx.until.getTime();
  const results = await Promise.all(
    regions.map((region) => {
      const tracker = ctx.track('cloudtrail:s3', region);
      return tracker.run(async () => {
        let digests = 0;
        try {
          ctx.sink.recordPublicKeys(await publicKeys(ctx, tracker, region));
        } catch (err) {
          // Without the keys the digests still chain and hash; verify says 'no public key' for their signatures.
          if (ctx.signal?.aborted) throw err;
          tracker.warn(`no CloudTrail public keys, digest signatures cannot be checked: ${errorText(err)}`);
        }
        // Digests are evidence about the logs, not the logs: a policy that hides them leaves the events coming.
        let digestsWarned = false;
        const digestsDenied = (err: AccessDeniedError) => {
          if (!digestsWarned) tracker.warn(`digest files not read, verify has none for ${region}: ${err.message}`);
          digestsWarned = true;
        };
        const objects = async function* (): AsyncGenerator<S3Object & { target: TrailTarget; digest: boolean }> {
          for (const target of targets) {
            // Files are delivered up to about 15 minutes late: the day after the window is listed too.
            for (const day of dayPrefixes(ctx.since, ctx.until, 1)) {
              for (const folder of ['CloudTrail', 'CloudTrail-Digest']) {
                const prefix = `${target.prefix}AWSLogs/${ctx.account}/${folder}/${region}/${day}/`;
                try {
                  for await (const o of listObjects(ctx, tracker, target.region, target.bucket, prefix)) {
                    const digest = folder === 'CloudTrail-Digest' || o.key.includes('CloudTrail-Digest');
                    if (digest) digests++;
                    if (ctx.sink.getCheckpoint(objectCheckpointKey(o))) continue;
                    yield { ...o, target, digest };
                  }
                } catch (err) {
                  if (folder !== 'CloudTrail-Digest' || !(err instanceof AccessDeniedError)) throw err;
                  digestsDenied(err);
                }
              }
            }
          }
        };
        await pool(
          objects(),
          ctx.options.s3Concurrency ?? 8,
          async (o) => {
            if (o.digest) {
              try {
                const { bytes, metadata } = await fetchObjectWithMetadata(ctx, tracker, o.target.region, o);
                return await storeDigest(ctx, o, bytes, metadata);
              } catch (err) {
                if (!(err instanceof AccessDeniedError)) throw err;
                return digestsDenied(err);
              }
            }
            const bytes = await fetchObject(ctx, tracker, o.target.region, o);
            const path = `s3://${o.bucket}/${o.key}`;
            const read = await readObject(path, bytes);
            const sourceId = ctx.sink.startSource({ path, sha256: read.sha256, size: bytes.length, kind: read.kind === 'cloudtrail-digest' ? 'cloudtrail-digest' : 'cloudtrail' });
            if (read.kind !== 'cloudtrail') {
              ctx.sink.finishSource(sourceId, 'skipped', `not a CloudTrail log file (${read.kind})`);
              return;
            }
            for await (const batch of read.batches) {
              if (batch.type !== 'cloudtrail') continue;
              const inWindow = batch.records.filter((r) => {
                const t = Date.parse(String((r as { eventTime?: unknown }).eventTime));
                return !(t < since || t > until);
              });
              tracker.added(ctx.sink.writeCloudTrail(sourceId, inWindow, batch.rejected));
            }
            const evidence = await readSourceEvidence(read.input, 'cloudtrail');
            if (evidence) ctx.sink.recordEvidence(sourceId, evidence);
            // The checkpoint goes with the last write: an object killed half-way is read again (dedupe makes that exact).
            ctx.sink.writeCloudTrail(sourceId, [], [], { key: objectCheckpointKey(o), value: o.etag || 'done' });
            ctx.sink.finishSource(sourceId, 'done');
          },
          ctx.signal,
        );
        tracker.progress.message = digests ? `${digests} digest files kept for verify` : undefined;
      });
    }),
  );
  return [found, ...results];
}
