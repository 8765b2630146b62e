// openSource: one InputFile in, its kind and a generator of batches out. Everything is decided from the
// content: gzip by its magic bytes (also inside zips), then JSON or text by the first non-blank byte,
// then the document's keys or the first line's fields.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { ReaderBatch } from '../types.ts';
import { ByteReader, toSourceError } from './byte-reader.ts';
import { SNIFF_BYTES, sniff } from './detect-format.ts';
import { openJson } from './json-source.ts';
import { describeFsError, SourceError } from './source-error.ts';
import { openText } from './text-source.ts';
import { DEFAULT_MAX_BYTES, type InputFile, type OpenedSource, type ReadLimits } from './types.ts';
import { gunzipWhole, WHOLE_GZIP_INPUT } from './whole-gunzip.ts';
import { freeNow } from '../own-memory.ts';

const GUNZIP_CHUNK = 256 * 1024;
const MAX_GZIP_LAYERS = 3;

export async function openSource(input: InputFile, limits: ReadLimits = {}): Promise<OpenedSource> {
  const { reader, format, decoded, layer } = await openDecoded(input, limits.maxBytes ?? DEFAULT_MAX_BYTES);
  try {
    const opened = format === 'json' ? await openJson(reader) : format === 'parquet' ? await openParquetSource(reader, layer === 0 ? input : null) : await openText(reader);
    if (!decoded) return { kind: opened.kind, batches: closing(opened.batches, reader) };
    return { kind: opened.kind, batches: closing(opened.batches, reader), release: () => freeNow(decoded.bytes), ...(decoded.layer === 0 ? { content: decoded.bytes } : {}) };
  } catch (err) {
    await reader.close();
    throw err instanceof SourceError ? err : toSourceError(err, input.path);
  }
}

/**
 * Parquet's reader (and its library) is loaded when a Parquet input is met: most ingests never meet one,
 * and every CLI start would pay for it. A large file on disk (`file`, not inside gzip) is read by range.
 */
async function openParquetSource(reader: ByteReader, file: InputFile | null): Promise<OpenedSource> {
  const [{ openParquet }, { PARQUET_HELD_FILE }] = await Promise.all([import('./parquet-source.ts'), import('./parquet-bytes.ts')]);
  const random = file?.openRandom && file.size > PARQUET_HELD_FILE ? await file.openRandom() : undefined;
  return openParquet(reader, random);
}

async function* closing(batches: AsyncGenerator<ReaderBatch>, reader: ByteReader): AsyncGenerator<ReaderBatch> {
  try {
    yield* batches;
  } catch (err) {
    throw err instanceof SourceError ? err : toSourceError(err, reader.path);
  } finally {
    await reader.close();
  }
}

/**
 * Opens the input, peels gzip layers, and leaves the reader at the first content byte (after a BOM).
 * Every layer stops with a SourceError past maxBytes: a gzip bomb ends there, not at the disk or heap.
 */
async function openDecoded(input: InputFile, maxBytes: number): Promise<{ reader: ByteReader; format: 'json' | 'text' | 'parquet'; decoded: { bytes: Buffer; layer: number } | null; layer: number }> {
  let stream: Readable;
  try {
    stream = await input.open();
  } catch (err) {
    throw err instanceof SourceError ? err : new SourceError(`cannot open: ${describeFsError(err)}`, input.path, { cause: err });
  }
  let reader = new ByteReader(stream, input.path, undefined, maxBytes);
  /**
   * The buffer the content is read from when the last gzip layer was decoded whole: nothing but
   * synchronous code ever reads it (an earlier layer's may feed a zlib stream, so only the last counts).
   */
  let decoded: { bytes: Buffer; layer: number } | null = null;
  for (let layer = 0; ; layer++) {
    try {
      await reader.fill(SNIFF_BYTES);
    } catch (err) {
      await reader.close();
      throw err;
    }
    const head = reader.buf.subarray(reader.pos, reader.pos + SNIFF_BYTES);
    const found = sniff(head, reader.eof && head.length === reader.buf.length - reader.pos);
    const fail = async (reason: string): Promise<never> => {
      await reader.close();
      throw new SourceError(reason, input.path);
    };
    switch (found.format) {
      case 'empty':
        return fail(layer > 0 ? 'empty file (gzip with no content)' : 'empty file');
      case 'binary':
        return fail(found.reason);
      case 'zip':
        return fail(layer > 0 ? 'a zip archive inside gzip is not supported' : 'zip archive: expand it with enumerateInputs');
      case 'parquet':
        return { reader, format: 'parquet', decoded, layer };
      case 'gzip': {
        if (layer >= MAX_GZIP_LAYERS) return fail(`gzip nested more than ${MAX_GZIP_LAYERS} deep`);
        const next = await decodeGzip(reader);
        decoded = Buffer.isBuffer(next) ? { bytes: next, layer } : null;
        reader = new ByteReader(Buffer.isBuffer(next) ? once(next) : next, input.path, undefined, maxBytes);
        continue;
      }
      default:
        reader.pos += found.skip;
        return { reader, format: found.format, decoded, layer };
    }
  }
}

/** A small input held whole is decoded in one call into a buffer (whole-gunzip.ts); any other is streamed. */
async function decodeGzip(reader: ByteReader): Promise<Buffer | Readable> {
  const held = await reader.whole(WHOLE_GZIP_INPUT);
  if (held === null) return gunzip(reader);
  await reader.close();
  const decoded = gunzipWhole(held);
  // Corrupt, truncated, larger than it said, or past WHOLE_GZIP_INPUT by the last chunk read: streamed,
  // it fails (or ends) as it always did.
  return decoded ?? gunzip(new ByteReader(once(held), reader.path));
}

async function* once(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes;
}

function gunzip(reader: ByteReader): Readable {
  const unzip = createGunzip({ chunkSize: GUNZIP_CHUNK });
  // pipeline forwards a read error of the source into the gunzip stream, and destroys both on close.
  pipeline(Readable.from(reader.rest(), { objectMode: false }), unzip, () => {});
  return unzip;
}
