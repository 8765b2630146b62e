// Listing and fetching S3 objects for the trail and flow-log collectors: listed by prefix (only the
// days of the window), fetched with bounded concurrency, each object read by the same readers as a
// file on disk (ingest/parse), and checkpointed once stored so a resumed pull skips it.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { ListObjectsV2Command, GetObjectCommand } from '@aws-sdk/client-s3';
import type { PullContext, Tracker } from '../context.ts';
import { openSource } from '../../ingest/parse/index.ts';
import type { ReaderBatch } from '../../ingest/types.ts';
import type { InputFile } from '../../ingest/parse/types.ts';

export type S3Object = { bucket: string; key: string; size: number; etag: string };

export async function* listObjects(ctx: PullContext, tracker: Tracker, region: string, bucket: string, prefix: string): AsyncGenerator<S3Object> {
  let token: string | undefined;
  do {
    const page = await tracker.call('s3:ListBucket', (signal) =>
      ctx.clients.s3(region).send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }), { abortSignal: signal }),
    );
    for (const o of page.Contents ?? []) if (o.Key) yield { bucket, key: o.Key, size: o.Size ?? 0, etag: o.ETag ?? '' };
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

export async function fetchObject(ctx: PullContext, tracker: Tracker, region: string, o: S3Object): Promise<Buffer> {
  return (await fetchObjectWithMetadata(ctx, tracker, region, o)).bytes;
}

/** The object and its user metadata (x-amz-meta-*, names lower-cased by the SDK): a digest's signature lives there. */
export async function fetchObjectWithMetadata(ctx: PullContext, tracker: Tracker, region: string, o: S3Object): Promise<{ bytes: Buffer; metadata: Record<string, string> }> {
  return tracker.call('s3:GetObject', async (signal) => {
    const out = await ctx.clients.s3(region).send(new GetObjectCommand({ Bucket: o.bucket, Key: o.key }), { abortSignal: signal });
    // Read inside the retried call: a connection dropped mid-body is retried like one dropped before it.
    return { bytes: Buffer.from(await out.Body!.transformToByteArray()), metadata: out.Metadata ?? {} };
  });
}

export const objectCheckpointKey = (o: S3Object) => `pull:s3:${o.bucket}/${o.key}`;

export type ObjectReadResult = { kind: string; batches: AsyncGenerator<ReaderBatch>; sha256: string; input: InputFile };

/** Reads a fetched object with the file readers: format from content (gzip, Records, flow header). */
export async function readObject(path: string, bytes: Buffer): Promise<ObjectReadResult> {
  const input: InputFile = { path, size: bytes.length, open: async () => Readable.from([bytes]) };
  const opened = await openSource(input);
  return { kind: opened.kind, batches: opened.batches, sha256: createHash('sha256').update(bytes).digest('hex'), input };
}

/** Runs `work` over `items` with at most `limit` in flight; stops taking new items once aborted. */
export async function pool<T>(items: AsyncIterable<T> | Iterable<T>, limit: number, work: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  const running = new Set<Promise<void>>();
  let failure: unknown;
  for await (const item of items as AsyncIterable<T>) {
    if (signal?.aborted || failure) break;
    const p = work(item)
      .catch((err) => {
        failure ??= err;
      })
      .finally(() => running.delete(p));
    running.add(p);
    if (running.size >= limit) await Promise.race(running);
  }
  await Promise.all(running);
  if (failure) throw failure;
  signal?.throwIfAborted();
}
