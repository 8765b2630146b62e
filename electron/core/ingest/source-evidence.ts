// Evidence for `trailscope verify`, taken while a CloudTrail log or digest file is read: the SHA-256
// of its decompressed content (a digest's hashValue covers the uncompressed log file) and, for a
// digest, its JSON (bounded: a larger one is not kept). CloudTrail delivers one gzip layer.
import { createHash } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import { pipeline, Readable } from 'node:stream';
import type { CaseDb } from '../db/open-case.ts';
import type { InputFile } from './parse/types.ts';
import { stmt } from '../analysis/prepared.ts';
import { hashBytes } from './sources-by-content.ts';
import { isGzip } from './parse/magic.ts';

export type SourceEvidence = {
  contentSha256: string;
  digest: string | null;
  /** A digest pulled from S3: its object metadata's signature and algorithm (bounded); absent for a file. */
  signature?: string | null;
  signatureAlgorithm?: string | null;
};

/** A digest lists a few hundred files: far below this. */
export const MAX_DIGEST_BYTES = 16 * 1024 * 1024;

/**
 * The input's bytes after its one gzip layer, from one opening: the first chunk says whether it is
 * gzip and is then read with the rest. (Opened twice, a file replaced between the two could be hashed
 * as one format and read as the other.)
 */
async function* decoded(input: InputFile): AsyncGenerator<Buffer> {
  const chunks = (await input.open())[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await chunks.next();
  if (first.done) return;
  async function* all(): AsyncGenerator<Buffer> {
    try {
      yield first.value;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
    } finally {
      // Left early (an error downstream): the input is closed, not left open until collected.
      await chunks.return?.();
    }
  }
  if (!isGzip(first.value)) {
    yield* all();
    return;
  }
  const gunzip = createGunzip();
  // pipeline carries a read error into the gunzip stream, whose iteration then throws it.
  pipeline(Readable.from(all()), gunzip, () => {});
  yield* gunzip;
}


/**
 * `content`: the input's bytes after its one gzip layer when the caller already holds them (the reader
 * decoded the file whole: OpenedSource.content); the file is then not read and decompressed again.
 */
export async function readSourceEvidence(input: InputFile, kind: string, content?: Buffer): Promise<SourceEvidence | null> {
  if (kind !== 'cloudtrail' && kind !== 'cloudtrail-digest') return null;
  const hash = createHash('sha256');
  const kept: Buffer[] = [];
  let keptBytes = 0;
  for await (const chunk of content ? [content] : decoded(input)) {
    hash.update(chunk as Buffer);
    if (kind === 'cloudtrail-digest' && keptBytes <= MAX_DIGEST_BYTES) {
      kept.push(chunk as Buffer);
      keptBytes += (chunk as Buffer).length;
    }
  }
  const digest = kind === 'cloudtrail-digest' && keptBytes <= MAX_DIGEST_BYTES ? Buffer.concat(kept).toString('utf8') : null;
  return { contentSha256: hash.digest('hex'), digest };
}

export function recordSourceEvidence(db: CaseDb, sourceId: number, e: SourceEvidence): void {
  stmt(
    db,
    'INSERT INTO source_evidence (source_id, content_hash, digest, signature, signature_algorithm) VALUES (?, ?, ?, ?, ?) ON CONFLICT(source_id) DO UPDATE SET content_hash = excluded.content_hash, digest = excluded.digest, signature = excluded.signature, signature_algorithm = excluded.signature_algorithm',
  ).run(sourceId, hashBytes(e.contentSha256), e.digest, e.signature ?? null, e.signatureAlgorithm ?? null);
}

/** A CloudTrail public key as ListPublicKeys gives it: DER PKCS#1 RSA key, validity window in ms. */
export type CloudTrailPublicKey = { fingerprint: string; publicKey: Uint8Array; validFrom: number | null; validUntil: number | null; region: string };

/** Keys are kept as CloudTrail listed them; the same fingerprint listed again replaces the row. */
export function recordPublicKeys(db: CaseDb, keys: CloudTrailPublicKey[]): void {
  const put = db.prepare(
    'INSERT INTO cloudtrail_public_keys (fingerprint, public_key, valid_from, valid_until, region) VALUES (?, ?, ?, ?, ?) ON CONFLICT(fingerprint) DO UPDATE SET public_key = excluded.public_key, valid_from = excluded.valid_from, valid_until = excluded.valid_until, region = excluded.region',
  );
  db.transaction(() => {
    for (const k of keys) put.run(k.fingerprint, Buffer.from(k.publicKey), k.validFrom, k.validUntil, k.region);
  })();
}
