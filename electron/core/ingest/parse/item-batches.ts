// Turns the item stream of a JSON input into the reader's answer: the source's kind (decided by the
// first item that says what the input is) and batches of records, flow rows or config documents.
import { FLOW_REJECTED_BATCH, MAX_EMPTY_UNITS, MAX_REJECTED_RECORDS, tooManyEmpty } from '../rejection-limits.ts';
import type { DetectorFormat, RecordRejection, ReaderBatch, SourceKind } from '../types.ts';
import { FlowColumnsBuilder } from '../../db/flow-columns-builder.ts';
import type { Item } from './classify.ts';
import { FlowLineParser } from './flow-parser.ts';
import { OCSF_FLOW_FIELDS, VIA_OCSF_FLOWS } from './exported/ocsf-flow.ts';
import { DETECTOR_NAMES } from './detectors/detector-shapes.ts';
import { SourceError } from './source-error.ts';
import type { OpenedSource } from './types.ts';

/**
 * Records (and findings) are handed on in batches this small, so that a batch's parsed records die in
 * the reader's young generation once normalized. At 1,000 (and 5,000 held for one message) they outlived
 * it, and on a streamed export (JSON Lines, say) each reader's heap grew to 120–140 MB between full
 * collections: a million events of ten JSON Lines files peaked at 800–830 MB of RSS, now about 610
 * (docs/benchmark-history.md, "Memory of many files and of exports").
 */
export const CLOUDTRAIL_BATCH = 256;

/**
 * And once the JSON its records were read from passes this many bytes, where the reader knows it (the
 * items' `bytes`). Each record is held as parsed, then normalized, serialized and compressed, then
 * copied to the writer: about six times its size at once. Thirty records of 15 MB in one batch took
 * a reader past 3 GB; at most one such record above this bound is held with the batch.
 */
export const BATCH_BYTES = 16 * 1024 * 1024;

export async function decide(items: AsyncGenerator<Item[]>, path: string): Promise<OpenedSource> {
  const seen: Item[][] = [];
  let kind: SourceKind | null = null;
  let rejected = 0;
  let firstRejection: RecordRejection | null = null;
  search: for (;;) {
    const next = await items.next();
    if (next.done) break;
    if (next.value.length === 0) continue;
    seen.push(next.value);
    for (const item of next.value) {
      switch (item.t) {
        case 'kind':
          kind = item.kind;
          break search;
        case 'rec':
          kind = 'cloudtrail';
          break search;
        case 'line':
        case 'flow':
          kind = 'flowlog';
          break search;
        case 'config':
          kind = `config:${item.kind}`;
          break search;
        case 'finding':
          kind = `findings:${item.format}`;
          break search;
        case 'unknown':
          throw new SourceError(item.pos ? `${item.pos}: ${item.reason}` : item.reason, path);
        case 'rej':
          rejected++;
          firstRejection ??= item.r;
          // Nothing readable yet: these are held until the kind is known, so they are bounded.
          if (rejected > MAX_REJECTED_RECORDS) {
            throw new SourceError(
              `no readable records in the first ${MAX_REJECTED_RECORDS.toLocaleString('en-US')}: all rejected (first, ${firstRejection.position}: ${firstRejection.reason})`,
              path,
            );
          }
      }
    }
  }
  if (kind === null) {
    throw new SourceError(
      firstRejection
        ? `no readable records: ${rejected} rejected (first, ${firstRejection.position}: ${firstRejection.reason})`
        : 'no records: the input holds no log events',
      path,
    );
  }
  return { kind, batches: batches(kind, replay(seen, items)) };
}

async function* replay(seen: Item[][], rest: AsyncGenerator<Item[]>): AsyncGenerator<Item[]> {
  yield* seen;
  seen.length = 0;
  yield* rest;
}

function batches(kind: SourceKind, items: AsyncGenerator<Item[]>): AsyncGenerator<ReaderBatch> {
  if (kind === 'cloudtrail') return cloudTrailBatches(items);
  if (kind === 'flowlog') return flowBatches(items);
  if (kind.startsWith('config:')) return configBatches(items);
  if (kind.startsWith('findings:')) return findingBatches(items);
  return noBatches(items);
}

async function* noBatches(items: AsyncGenerator<Item[]>): AsyncGenerator<ReaderBatch> {
  // A digest is set aside unread; stop the item stream so its file handle closes.
  await items.return(undefined);
}

function misplaced(item: Item, expected: string): RecordRejection | null {
  switch (item.t) {
    case 'rej':
      return item.r;
    case 'unknown':
      return { position: item.pos ?? 'value', reason: item.reason };
    case 'line':
      return { position: item.pos, reason: `a flow log line in a ${expected} source` };
    case 'flow':
      return { position: item.pos, reason: `a flow log record in a ${expected} source` };
    case 'config':
      return { position: 'value', reason: `a ${item.kind} document in a ${expected} source` };
    case 'finding':
      return { position: item.pos, reason: `a ${DETECTOR_NAMES[item.format]} in a ${expected} source (give findings in files of their own)` };
    default:
      return null;
  }
}

// Both yield a batch when its records or its rejections reach the batch size: a source of nothing
// but rejections must not pile them up in one batch.
async function* cloudTrailBatches(items: AsyncGenerator<Item[]>): AsyncGenerator<ReaderBatch> {
  let records: unknown[] = [];
  let rejected: RecordRejection[] = [];
  let bytes = 0;
  // How the records were reshaped (exported formats, envelopes): the source keeps the distinct notes.
  const readAs = new Set<string>();
  const batch = (): ReaderBatch => (readAs.size > 0 ? { type: 'cloudtrail', records, rejected, bytes, readAs: [...readAs] } : { type: 'cloudtrail', records, rejected, bytes });
  try {
    for await (const chunk of items) {
      for (const item of chunk) {
        if (item.t === 'rec') {
          records.push(item.v);
          bytes += item.bytes ?? 0;
          if (item.via !== undefined) readAs.add(item.via);
        } else {
          const r = misplaced(item, 'CloudTrail');
          if (r) rejected.push(r);
        }
        if (records.length >= CLOUDTRAIL_BATCH || rejected.length >= CLOUDTRAIL_BATCH || bytes >= BATCH_BYTES) {
          yield batch();
          records = [];
          rejected = [];
          bytes = 0;
          readAs.clear();
        }
      }
    }
  } catch (err) {
    // The input failed part way: the records read before the fault are handed on first.
    if (records.length > 0 || rejected.length > 0) yield batch();
    throw err;
  }
  if (records.length > 0 || rejected.length > 0) yield batch();
}

async function* flowBatches(items: AsyncGenerator<Item[]>): AsyncGenerator<ReaderBatch> {
  // CloudWatch Logs carries no header line: messages are in the default format unless one says otherwise.
  const parser = new FlowLineParser();
  // Security Lake's records come as their fields (exported/ocsf-flow.ts).
  let ocsf: FlowLineParser | null = null;
  const batch = (): ReaderBatch => ({ type: 'flows', records, rejected, ...(ocsf ? { readAs: [VIA_OCSF_FLOWS] } : {}) });
  let records = new FlowColumnsBuilder();
  let rejected: RecordRejection[] = [];
  let empty = 0;
  let useful = 0;
  try {
    for await (const chunk of items) {
      for (const item of chunk) {
        if (item.t === 'line') {
          const out = parser.readInto(records, item.text, 0, item.text.length, false);
          if (out === null) {
            // Empty messages: bounded like blank lines in a text file.
            if (++empty > MAX_EMPTY_UNITS && tooManyEmpty(empty, useful) !== null) throw new SourceError(tooManyEmpty(empty, useful)!);
            continue;
          }
          useful++;
          if (typeof out === 'string') rejected.push({ position: item.pos, reason: out });
        } else if (item.t === 'flow') {
          ocsf ??= new FlowLineParser(OCSF_FLOW_FIELDS);
          const out = ocsf.readFields(records, item.fields);
          if (out !== true) rejected.push({ position: item.pos, reason: out });
        } else if (item.t === 'rec') {
          rejected.push({ position: item.pos ?? 'value', reason: 'a CloudTrail record in a flow log source' });
        } else {
          const r = misplaced(item, 'flow log');
          if (r) rejected.push(r);
        }
        if (records.full || rejected.length >= FLOW_REJECTED_BATCH) {
          yield batch();
          records = new FlowColumnsBuilder();
          rejected = [];
        }
      }
    }
  } catch (err) {
    // The input failed part way: the rows read before the fault are handed on first.
    if (records.length > 0 || rejected.length > 0) yield batch();
    throw err;
  }
  if (records.length > 0 || rejected.length > 0) yield batch();
}

async function* configBatches(items: AsyncGenerator<Item[]>): AsyncGenerator<ReaderBatch> {
  for await (const chunk of items) {
    for (const item of chunk) {
      if (item.t === 'config') yield { type: 'config', kind: item.kind, document: item.doc };
    }
  }
}

/** Detector findings in batches; a file may mix GuardDuty, ASFF and OCSF findings (an EventBridge archive). */
async function* findingBatches(items: AsyncGenerator<Item[]>): AsyncGenerator<ReaderBatch> {
  let findings: { format: DetectorFormat; v: unknown; pos: string }[] = [];
  let rejected: RecordRejection[] = [];
  const readAs = new Set<string>();
  const batch = (): ReaderBatch => ({ type: 'findings', findings, rejected, ...(readAs.size ? { readAs: [...readAs] } : {}) });
  try {
    for await (const chunk of items) {
      for (const item of chunk) {
        if (item.t === 'finding') {
          item.list.forEach((v, i) => findings.push({ format: item.format, v, pos: item.list.length > 1 ? `${item.pos}, finding ${i + 1}` : item.pos }));
          if (item.via !== undefined) readAs.add(item.via);
        } else if (item.t === 'rec') {
          rejected.push({ position: item.pos ?? 'value', reason: 'a CloudTrail record in a findings source (give records in files of their own)' });
        } else {
          const r = misplaced(item, 'findings');
          if (r) rejected.push(r);
        }
        if (findings.length >= CLOUDTRAIL_BATCH || rejected.length >= CLOUDTRAIL_BATCH) {
          yield batch();
          findings = [];
          rejected = [];
          readAs.clear();
        }
      }
    }
  } catch (err) {
    if (findings.length > 0 || rejected.length > 0) yield batch();
    throw err;
  }
  if (findings.length > 0 || rejected.length > 0) yield batch();
}
