// Turns a reader's batch into what the writer stores: normalized columns plus the raw records packed
// into compressed blocks. Pure and database-free, so it runs on the reader's worker thread and the
// writer's thread only inserts.
import { normalizeCloudTrailRecord, normalizeConfig } from './normalize/index.ts';
import { RAW_BLOCK_RECORDS, packRawBlock } from '../db/raw-events.ts';
import type { ConfigKind, ConfigSnapshot, DetectorFindingRow, DetectorFormat, NormalizedEvent, RecordRejection } from './types.ts';
import { normalizeDetectorFinding } from './normalize/detectors/index.ts';
import { recordSource } from './parse/record-source.ts';

/**
 * Event i's raw record is in blocks[i / RAW_BLOCK_RECORDS] at index i % RAW_BLOCK_RECORDS, and
 * recordNumbers[i] is its record's number in its input (from 1), for a rejection the writer finds
 * (conflicting-copies.ts). readAs: how the source's records were read, when a reader reshaped them
 * (stored on the source).
 */
export type PreparedEventBatch = { events: NormalizedEvent[]; recordNumbers: number[]; blocks: Buffer[]; rejected: RecordRejection[]; readAs?: string[] };

/** `offset` numbers records across batches so a rejection names the record's position in its file. */
export function prepareCloudTrailBatch(
  records: readonly unknown[],
  readerRejections: readonly RecordRejection[],
  offset: number,
  readAs?: readonly string[],
): PreparedEventBatch {
  const events: NormalizedEvent[] = [];
  const recordNumbers: number[] = [];
  const blocks: Buffer[] = [];
  const rejected: RecordRejection[] = [...readerRejections];
  let block: (string | Buffer)[] = [];
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    let result: ReturnType<typeof normalizeCloudTrailRecord>;
    let raw: string | Buffer;
    try {
      result = normalizeCloudTrailRecord(record);
      raw = result.ok ? rawText(record) : '';
    } catch (err) {
      // One hostile record (nested thousands deep, say) costs itself, not its batch and the rest of its file.
      rejected.push({ position: `record ${offset + i + 1}`, reason: unreadableRecord(err) });
      continue;
    }
    if (!result.ok) {
      rejected.push({ position: `record ${offset + i + 1}`, reason: result.reason });
      continue;
    }
    events.push(result.value);
    recordNumbers.push(offset + i + 1);
    block.push(raw);
    if (block.length === RAW_BLOCK_RECORDS) {
      blocks.push(packRawBlock(block));
      block = [];
    }
  }
  if (block.length > 0) blocks.push(packRawBlock(block));
  return readAs?.length ? { events, recordNumbers, blocks, rejected, readAs: [...readAs] } : { events, recordNumbers, blocks, rejected };
}

function unreadableRecord(err: unknown): string {
  if (err instanceof RangeError && /call stack/i.test(err.message)) return 'record nested too deeply to read';
  return `record could not be read: ${err instanceof Error ? err.name : 'error'}`;
}

/** What replaces a session token in a stored record. */
export const REDACTED_SESSION_TOKEN = '[session token removed by Trailscope]';

/**
 * The record as stored: its own bytes when the reader kept them (they are what JSON.stringify would
 * write, record-source.ts), else JSON.stringify's text; either way without its session token.
 */
function rawText(record: unknown): string | Buffer {
  const source = recordSource(record);
  if (source === undefined) return JSON.stringify(withoutSessionToken(record));
  const token = sessionTokenOf(record);
  return token === null ? source : withoutTokenBytes(source, token) ?? JSON.stringify(withoutSessionToken(record));
}

/**
 * The bytes with the session token replaced, as JSON.stringify would write the record once
 * withoutSessionToken has replaced it: the canonical bytes hold `"sessionToken":"<token>"` exactly as
 * JSON.stringify writes it. null when that text is there more than once (a token repeated under
 * another sessionToken key): which one is the credentials' is then not known from the bytes.
 */
function withoutTokenBytes(source: Buffer, token: string): Buffer | null {
  const needle = Buffer.from(`"sessionToken":${JSON.stringify(token)}`);
  const at = source.indexOf(needle);
  if (at < 0 || source.indexOf(needle, at + 1) >= 0) return null;
  return Buffer.concat([source.subarray(0, at), REDACTED_TOKEN_FIELD, source.subarray(at + needle.length)]);
}

const REDACTED_TOKEN_FIELD = Buffer.from(`"sessionToken":${JSON.stringify(REDACTED_SESSION_TOKEN)}`);

function sessionTokenOf(record: unknown): string | null {
  const credentials = (record as { responseElements?: { credentials?: { sessionToken?: unknown } } } | null)?.responseElements?.credentials;
  return credentials && typeof credentials === 'object' && typeof credentials.sessionToken === 'string' ? credentials.sessionToken : null;
}

/**
 * CloudTrail logs the session token that STS returned (AssumeRole, GetSessionToken, GetFederationToken…)
 * in responseElements.credentials. Credentials never reach the case file: the raw record is kept
 * exactly but for that one value. The access key id stays; it is what links a session to its caller.
 */
function withoutSessionToken(record: unknown): unknown {
  if (sessionTokenOf(record) !== null) {
    (record as { responseElements: { credentials: { sessionToken: string } } }).responseElements.credentials.sessionToken = REDACTED_SESSION_TOKEN;
  }
  return record;
}

export function prepareConfig(kind: ConfigKind, document: unknown, observedAt: number): ConfigSnapshot {
  return normalizeConfig(kind, document, observedAt);
}

/** Detector findings normalized on the worker; a finding that cannot be read costs itself only. */
export function prepareFindings(
  findings: readonly { format: DetectorFormat; v: unknown; pos: string }[],
  readerRejections: readonly RecordRejection[],
): { rows: DetectorFindingRow[]; rejected: RecordRejection[] } {
  const rows: DetectorFindingRow[] = [];
  const rejected: RecordRejection[] = [...readerRejections];
  for (const f of findings) {
    let result: ReturnType<typeof normalizeDetectorFinding>;
    try {
      result = normalizeDetectorFinding(f.format, f.v);
    } catch (err) {
      rejected.push({ position: f.pos, reason: unreadableRecord(err) });
      continue;
    }
    if (result.ok) rows.push(result.value);
    else rejected.push({ position: f.pos, reason: result.reason });
  }
  return { rows, rejected };
}
