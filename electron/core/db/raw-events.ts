// Raw CloudTrail records are kept losslessly as their JSON text, compressed in blocks of up to 512
// records with a preset dictionary of CloudTrail's recurring keys (a record compressed alone costs
// ~28 µs and shrinks little). A block holds the records of one message from a reader: a file's, up
// to a thousand of them, or a group of small files' (ingest/read-protocol.ts).
// The codec is zstd at level 1 with that dictionary. Measured on 100,000 generated events of each
// workload (bench/workloads.ts), per record: deflate level 4 took 15–19 µs and left 0.092 / 0.134 of the
// JSON, zstd level 1 takes 6.5–6.9 µs and leaves 0.077 / 0.116 (about 2 µs since its context is kept
// between blocks: zstd-frames.ts).
// 512 records a block instead of 64 (session 52): a session's calls repeat each other's identity,
// agent and parameters, and a block sees more of them. The typical 100,000 events' raw records went
// from 15.2 to 11.3 MB (0.116× to 0.086× of the JSON) for the same CPU; reading one record back
// decompresses its whole block (about 0.3 ms instead of 0.05), so the last block read is kept.
// A block of 256 KB or more is compressed without the dictionary (session 54): at level 1 zstd sizes its
// tables by the dictionary's, and a large block then finds fewer of its own repeats. Measured on the
// typical and one-key-per-call 100,000 events cut into blocks of a given size, the share of the JSON left
// with the dictionary and without: 64 KB 0.093 / 0.101, 192 KB 0.077 / 0.078, 256 KB 0.076 / 0.076, 384
// KB 0.072 / 0.069, a whole block of 512 records 0.081 / 0.073 (11.07 → 10.01 MB on the typical 100,000),
// for the same CPU. Such a frame does not refer to the dictionary, so the codec's reader (which always
// offers it) reads it unchanged, as every earlier build does.
// Blocks written by earlier versions (64 records, or deflate) stay readable: each names its codec.
import { constants, inflateRawSync } from 'node:zlib';
import type { Statement } from 'better-sqlite3';
import type { CaseDb } from './open-case.ts';
import { zstdFrameCompressor, zstdFrameDecompressor } from './zstd-frames.ts';

export const RAW_BLOCK_RECORDS = 512;
export const RAW_CODEC = 'zstd+dict1';
const DEFLATE_CODEC = 'deflate-raw+dict1';

/**
 * What one block may decompress to: the 64 records of at most 16 MB each (the reader's bound on a
 * record) that earlier versions put in a block. A block of 512 holds one message's records, which stop
 * at 16 MB (parse/item-batches.ts, BATCH_BYTES) plus the record that passed it. A case file is hostile
 * input too: a crafted block cannot claim the whole memory.
 */
const MAX_BLOCK_BYTES = 64 * 16 * 1024 * 1024;

// Changing this text changes the codec: a new dictionary needs a new codec name.
const DICTIONARY = Buffer.from(
  [
    '{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"","arn":"arn:aws:sts::',
    ':assumed-role/","accountId":"","accessKeyId":"ASIA","sessionContext":{"sessionIssuer":{"type":"Role",',
    '"principalId":"AROA","arn":"arn:aws:iam::","accountId":"","userName":""},"webIdFederationData":{},',
    '"attributes":{"creationDate":"T00:00:00Z","mfaAuthenticated":"false"}}},"eventTime":"T00:00:00Z",',
    '"eventSource":"ec2.amazonaws.com","eventName":"Describe","awsRegion":"us-east-1","sourceIPAddress":"',
    '","userAgent":"aws-cli/2. Python/3. Linux/ exe/x86_64 prompt/off command/","requestParameters":',
    '{"instancesSet":{"items":[{"instanceId":"i-"}]},"filterSet":{},"maxResults":},"responseElements":null,',
    '"requestID":"","eventID":"","readOnly":true,"eventType":"AwsApiCall","managementEvent":true,',
    '"recipientAccountId":"","eventCategory":"Management","tlsDetails":{"tlsVersion":"TLSv1.3",',
    '"cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":".amazonaws.com"},',
    '"sessionCredentialFromConsole":"true","errorCode":"AccessDenied","errorMessage":"',
    '{"type":"IAMUser","principalId":"AIDA","arn":"arn:aws:iam::","userName":"","accessKeyId":"AKIA"',
    '"iam.amazonaws.com","sts.amazonaws.com","AssumeRole","roleArn":"arn:aws:iam::","roleSessionName":"',
    '"credentials":{"accessKeyId":"ASIA","sessionToken":"","expiration":""},"assumedRoleUser":{"assumedRoleId":"',
    '"s3.amazonaws.com","bucketName":"","Host":"","signin.amazonaws.com","ConsoleLogin","Mozilla/5.0 (',
  ].join(''),
);

/** This thread's zstd contexts for raw blocks, kept between them (zstd-frames.ts). */
const compressWithDictionary = zstdFrameCompressor({ dictionary: DICTIONARY, params: { [constants.ZSTD_c_compressionLevel]: 1 } });
const compressAlone = zstdFrameCompressor({ params: { [constants.ZSTD_c_compressionLevel]: 1 } });
const decompressBlock = zstdFrameDecompressor({ dictionary: DICTIONARY });

/** From this many bytes of records a block compresses smaller without the dictionary (measured above). */
export const DICTIONARY_HELPS_BELOW = 256 * 1024;

/**
 * Compresses one block of raw records, each a JSON text without newlines: a string, or its UTF-8
 * bytes (a record's own bytes from its file, ingest/parse/record-source.ts).
 */
export function packRawBlock(records: readonly (string | Uint8Array)[]): Buffer {
  const text = joinLines(records);
  return text.length < DICTIONARY_HELPS_BELOW ? compressWithDictionary(text) : compressAlone(text);
}

/** The records' UTF-8 bytes, one a line: what `Buffer.from(texts.join('\n'))` gives, without the joined string. */
function joinLines(records: readonly (string | Uint8Array)[]): Buffer {
  let size = Math.max(0, records.length - 1);
  for (const r of records) size += typeof r === 'string' ? Buffer.byteLength(r) : r.length;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (let i = 0; i < records.length; i++) {
    if (i > 0) out[at++] = 0x0a;
    const r = records[i];
    if (typeof r === 'string') at += out.write(r, at, 'utf8');
    else {
      out.set(r, at);
      at += r.length;
    }
  }
  return out;
}

export function unpackRawBlock(codec: string, data: Buffer): string[] {
  return unpackedBytes(codec, data).toString('utf8').split('\n');
}

/** A block's records as stored: their UTF-8 bytes, one a line. */
function unpackedBytes(codec: string, data: Buffer): Buffer {
  if (codec === RAW_CODEC) return decompressBlock(data, MAX_BLOCK_BYTES);
  if (codec === DEFLATE_CODEC) return inflateRawSync(data, { dictionary: DICTIONARY, maxOutputLength: MAX_BLOCK_BYTES });
  if (codec === 'json') return data;
  throw new Error(`unknown raw block codec '${codec}'`);
}

const statements = new WeakMap<CaseDb, { byEvent: Statement; byEventId: Statement }>();

function prepared(db: CaseDb) {
  let s = statements.get(db);
  if (!s) {
    s = {
      byEvent: db.prepare(
        'SELECT b.codec, b.data, e.raw_index AS idx FROM events e JOIN raw_blocks b ON b.id = e.raw_block WHERE e.id = ?',
      ),
      byEventId: db.prepare(
        'SELECT b.codec, b.data, e.raw_index AS idx FROM events e JOIN raw_blocks b ON b.id = e.raw_block WHERE e.event_id = ?',
      ),
    };
    statements.set(db, s);
  }
  return s;
}

type RawRow = { codec: string; data: Buffer; idx: number } | undefined;

/**
 * A block's records, each decoded to text only when asked for: a block holds hundreds, and a reader
 * mostly wants a few of them. Where each record starts is found once, in one pass over the bytes.
 */
export type BlockRecords = { record(index: number): string | null };

/** What a missing or unreadable block holds. */
const NO_RECORDS: BlockRecords = { record: () => null };

/**
 * The records of a block, or none when the block cannot be read (a damaged or altered case file: a
 * codec it does not name, bytes that do not decompress, more than a block may hold). Its events then
 * have no stored record, as if it were missing: every answer that reads records goes on without them.
 */
function blockRecords(codec: string, data: Buffer): BlockRecords {
  let text: Buffer;
  try {
    text = unpackedBytes(codec, data);
  } catch {
    return NO_RECORDS;
  }
  // Records hold no newline (JSON text escapes it): record i runs from starts[i] to the next newline.
  // No block holds more than RAW_BLOCK_RECORDS records, so a crafted one of newlines is not counted on.
  const starts: number[] = [0];
  for (let at = text.indexOf(0x0a); at >= 0 && starts.length < RAW_BLOCK_RECORDS; at = text.indexOf(0x0a, at + 1)) starts.push(at + 1);
  return {
    record(index) {
      if (!Number.isSafeInteger(index) || index < 0 || index >= starts.length) return null;
      const end = text.indexOf(0x0a, starts[index]);
      return text.toString('utf8', starts[index], end < 0 ? text.length : end);
    },
  };
}

/**
 * Reads blocks by id for a pass over records in block order (the rules' candidates, a case's every
 * record), each block decompressed once for all its records read in a row. Ids are stable within the
 * caller's pass; a block missing or unreadable has no records.
 */
export function rawBlockReader(db: CaseDb): (block: number) => BlockRecords {
  let current = -1;
  let records = NO_RECORDS;
  const get = db.prepare('SELECT codec, data FROM raw_blocks WHERE id = ?');
  return (block) => {
    if (block !== current) {
      const r = get.get(block) as { codec: string; data: Buffer } | undefined;
      records = r ? blockRecords(r.codec, r.data) : NO_RECORDS;
      current = block;
    }
    return records;
  };
}

/**
 * The block a record was last read from, kept for the next read: callers that read records one at a
 * time (a resource's changes, a sequence's calls) mostly read neighbours, and a block holds hundreds.
 * It is known by its stored bytes, not its id: a block id can be used again (an ingest rolled back by
 * another connection), and comparing a few kilobytes costs a microsecond.
 */
let lastBlock: { codec: string; data: Buffer; records: BlockRecords } | null = null;

function extract(row: RawRow): string | null {
  if (!row) return null;
  if (lastBlock?.codec !== row.codec || !lastBlock.data.equals(row.data)) lastBlock = { codec: row.codec, data: row.data, records: blockRecords(row.codec, row.data) };
  return lastBlock.records.record(row.idx);
}

/** A stored record's text as an object, or null when it is not a JSON object (a case is hostile input too). */
export function parsedRecord(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
}

/** The event's record exactly as stored (JSON text), by events.id; null when it has none or its block cannot be read. */
export function readRawEventText(db: CaseDb, eventRowId: number): string | null {
  return extract(prepared(db).byEvent.get(eventRowId) as RawRow);
}

/** The event's record parsed, by events.id; null when it has none, or what is stored is not a readable JSON object. */
export function readRawEvent(db: CaseDb, eventRowId: number): Record<string, unknown> | null {
  return parsedRecord(readRawEventText(db, eventRowId));
}

/** The event's record parsed, by CloudTrail eventID. */
export function readRawEventById(db: CaseDb, eventId: string): Record<string, unknown> | null {
  return parsedRecord(extract(prepared(db).byEventId.get(eventId) as RawRow));
}
