// CloudTrail from the trail's S3 bucket: trails found with DescribeTrails (or the bucket given), objects
// listed under the date prefixes of the window only, digest files set aside, records outside the
// window dropped. Each object is a source of its own (s3://bucket/key), checkpointed when stored.
import { DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import type { PullContext, Tracker } from '../context.ts';
import { dayPrefixes } from '../window.ts';
import { fetchObject, listObjects, objectCheckpointKey, pool, readObject, type S3Object } from './s3-objects.ts';

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
        const objects = async function* (): AsyncGenerator<S3Object & { target: TrailTarget }> {
          for (const target of targets) {
            // Files are delivered up to about 15 minutes late: the day after the window is listed too.
            for (const day of dayPrefixes(ctx.since, ctx.until, 1)) {
              const prefix = `${target.prefix}AWSLogs/${ctx.account}/CloudTrail/${region}/${day}/`;
              for await (const o of listObjects(ctx, tracker, target.region, target.bucket, prefix)) {
                if (o.key.includes('CloudTrail-Digest')) {
                  digests++;
                  continue;
                }
                if (ctx.sink.getCheckpoint(objectCheckpointKey(o))) continue;
                yield { ...o, target };
              }
            }
          }
        };
        await pool(
          objects(),
          ctx.options.s3Concurrency ?? 8,
          async (o) => {
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
            // The checkpoint goes with the last write: an object killed half-way is read again (dedupe makes that exact).
            ctx.sink.writeCloudTrail(sourceId, [], [], { key: objectCheckpointKey(o), value: o.etag || 'done' });
            ctx.sink.finishSource(sourceId, 'done');
          },
          ctx.signal,
        );
        tracker.progress.message = digests ? `${digests} digest files set aside` : undefined;
      });
    }),
  );
  return [found, ...results];
}
