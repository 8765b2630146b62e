// Text inputs: VPC flow logs (default format, or a header line naming the fields) and the IAM
// credential report as raw CSV. Anything else textual (YAML, prose, CSV of another kind) is refused.
import { StringDecoder } from 'node:string_decoder';
import { FLOW_REJECTED_BATCH, MAX_EMPTY_UNITS, tooManyEmpty } from '../rejection-limits.ts';
import type { RecordRejection, ReaderBatch } from '../types.ts';
import { FlowColumnsBuilder } from '../../db/flow-columns-builder.ts';
import type { ByteReader } from './byte-reader.ts';
import { CREDENTIAL_REPORT_HEADER, csvToObjects } from './csv.ts';
import { FlowLineParser, isDefaultRecord, isHeader, tokenize } from './flow-parser.ts';
import { openExportedText } from './exported/exported-text.ts';
import { SourceError } from './source-error.ts';
import type { OpenedSource } from './types.ts';

/** The first line must end within this many bytes for a text input to be recognised. */
const FIRST_LINE_LIMIT = 64 * 1024;
/** Bytes decoded into one string at a time. */
const DECODE_SLICE = 64 * 1024;
/** Longer lines are rejected (and skipped without being held) rather than buffered. */
const MAX_LINE = 1024 * 1024;
/** A credential report of 5,000 users (IAM's limit) is about 3 MB. */
const MAX_CSV = 64 * 1024 * 1024;

export async function openText(reader: ByteReader): Promise<OpenedSource> {
  const first = await firstMeaningfulLine(reader);
  if (first === null) throw new SourceError('no content: only blank and comment lines', reader.path);
  if (first.startsWith(CREDENTIAL_REPORT_HEADER)) {
    return { kind: 'config:get-credential-report', batches: credentialReport(reader) };
  }
  const exported = openExportedText(reader, first);
  if (exported) return exported;
  const tokens = tokenize(first);
  if (isHeader(tokens) || isDefaultRecord(tokens)) return { kind: 'flowlog', batches: flowBatches(reader) };
  if (tokens.length > 2 && /^[2-9]$/.test(tokens[0]) && tokens.slice(1).some((t) => t.startsWith('eni-') || t.startsWith('vpc-'))) {
    throw new SourceError(
      `VPC flow log records without a header line: ${tokens.length} fields is not the default format (14 fields); a custom format needs its header line`,
      reader.path,
    );
  }
  // The first line is described, never quoted: it may be a secret (a credentials file reached by mistake).
  if (first === '---' || /^[A-Za-z_][\w-]*:(\s|$)/.test(first)) {
    throw new SourceError('unrecognized format: YAML or other text', reader.path);
  }
  throw new SourceError(
    `unrecognized format: text that is neither a VPC flow log nor a credential report (first line: ${tokens.length} field${tokens.length === 1 ? '' : 's'}, ${first.length.toLocaleString('en-US')} characters)`,
    reader.path,
  );
}

async function firstMeaningfulLine(reader: ByteReader): Promise<string | null> {
  await reader.fill(FIRST_LINE_LIMIT);
  const head = reader.buf.subarray(reader.pos, reader.pos + FIRST_LINE_LIMIT);
  const whole = reader.eof && head.length === reader.buf.length - reader.pos;
  let start = 0;
  for (;;) {
    const nl = head.indexOf(0x0a, start);
    const end = nl >= 0 ? nl : whole ? head.length : -1;
    if (end < 0) {
      throw new SourceError(
        start === 0
          ? `unrecognized format: text with no line break in the first ${FIRST_LINE_LIMIT / 1024} KB`
          : `unrecognized format: no log line in the first ${FIRST_LINE_LIMIT / 1024} KB`,
        reader.path,
      );
    }
    const line = head.toString('utf8', start, end).trim();
    if (line !== '' && !line.startsWith('#')) return line;
    if (nl < 0) return null;
    start = nl + 1;
  }
}

async function* flowBatches(reader: ByteReader): AsyncGenerator<ReaderBatch> {
  const parser = new FlowLineParser();
  const decoder = new StringDecoder('utf8');
  let records = new FlowColumnsBuilder();
  let rejected: RecordRejection[] = [];
  let carry = '';
  let lineNo = 0;
  let skipping = false;
  /** Blank, comment and header lines, and lines with content: a file of nothing but newlines stops. */
  let empty = 0;
  let useful = 0;
  const take = (out: true | string | null, line: number) => {
    if (out === null) {
      empty++;
      return;
    }
    useful++;
    if (typeof out === 'string') rejected.push({ position: `line ${line}`, reason: out });
  };
  let chunk = reader.buf.subarray(reader.pos);
  let at = 0;
  for (;;) {
    // A slice of the chunk at a time: a decoded string past about 128 KB is allocated apart by V8, and
    // decoding a whole file's chunk (300 KB) ran at a fortieth of the speed of 64 KB slices.
    const slice = chunk.subarray(at, at + DECODE_SLICE);
    at += slice.length;
    const text = carry + decoder.write(slice);
    // Tabs and '#' comments are rare: find them once per chunk so most lines take the plain path.
    let nextOdd = nextTabOrHash(text, 0);
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      lineNo++;
      if (skipping) skipping = false;
      else {
        if (nextOdd >= 0 && nextOdd < start) nextOdd = nextTabOrHash(text, start);
        take(parser.readInto(records, text, start, nl, nextOdd < 0 || nextOdd > nl), lineNo);
      }
      start = nl + 1;
      if (records.full || rejected.length >= FLOW_REJECTED_BATCH) {
        yield { type: 'flows', records, rejected };
        records = new FlowColumnsBuilder();
        rejected = [];
      }
      if (empty > MAX_EMPTY_UNITS && tooManyEmpty(empty, useful) !== null) {
        if (records.length > 0 || rejected.length > 0) yield { type: 'flows', records, rejected };
        throw new SourceError(tooManyEmpty(empty, useful)!, reader.path);
      }
    }
    carry = text.slice(start);
    if (carry.length > MAX_LINE && !skipping) {
      rejected.push({ position: `line ${lineNo + 1}`, reason: `line longer than ${MAX_LINE / 1024 / 1024} MB` });
      skipping = true;
    }
    if (skipping) carry = '';
    if (at < chunk.length) continue;
    let more: boolean;
    try {
      more = await reader.nextChunk();
    } catch (err) {
      // The input failed part way (a truncated gzip): the records read before the fault are handed on first.
      if (records.length > 0 || rejected.length > 0) yield { type: 'flows', records, rejected };
      throw err;
    }
    if (!more) break;
    chunk = reader.buf;
    at = 0;
  }
  const tail = carry + decoder.end();
  if (tail.trim() !== '' && !skipping) take(parser.readInto(records, tail, 0, tail.length, false), lineNo + 1);
  if (records.length > 0 || rejected.length > 0) yield { type: 'flows', records, rejected };
}

function nextTabOrHash(text: string, from: number): number {
  const tab = text.indexOf('\t', from);
  const hash = text.indexOf('#', from);
  return tab < 0 ? hash : hash < 0 ? tab : Math.min(tab, hash);
}

async function* credentialReport(reader: ByteReader): AsyncGenerator<ReaderBatch> {
  const chunks: Buffer[] = [reader.buf.subarray(reader.pos)];
  let size = chunks[0].length;
  while (await reader.nextChunk()) {
    chunks.push(reader.buf);
    size += reader.buf.length;
    if (size > MAX_CSV) throw new SourceError(`credential report larger than ${MAX_CSV / 1024 / 1024} MB`, reader.path);
  }
  yield { type: 'config', kind: 'get-credential-report', document: csvToObjects(Buffer.concat(chunks).toString('utf8')) };
}
