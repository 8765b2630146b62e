// Apache Parquet inputs, and what each holds. VPC Flow Logs delivers to S3 as Parquet when asked (its
// "Parquet" file format, often with Hive-compatible prefixes), and Athena, Spark and Glue write flow logs
// the same way: such a file is read as flow records. Amazon Security Lake keeps CloudTrail, VPC flow logs
// and Security Hub's findings as OCSF events in Parquet: such a file is read as the records they were
// made from, or as findings. Any other Parquet file (a table of something else) is refused, saying what
// it is and what to export instead.
//
// Parquet is read from the end (its footer says where each column is): a large file on disk by range, a
// row group's kept columns at a time (parquet-bytes.ts); a large one inside gzip or an archive the same
// way from a temporary copy (temp-copies.ts); a small one held whole. Then a window of rows at a time
// within bounds (parquet-rows.ts).
// Each row's values go through the flow line parser's checks (FlowLineParser.readFields), so a field
// means the same whatever the format.
import { parquetSchema, type FileMetaData, type SchemaTree } from 'hyparquet';
import { FLOW_REJECTED_BATCH } from '../rejection-limits.ts';
import type { DetectorFormat, RecordRejection, ReaderBatch } from '../types.ts';
import { FlowColumnsBuilder } from '../../db/flow-columns-builder.ts';
import type { ByteReader } from './byte-reader.ts';
import { FlowLineParser, knownFlowFields } from './flow-parser.ts';
import { CLOUDTRAIL_BATCH } from './item-batches.ts';
import { isOcsfCloudTrail, ocsfRecord, VIA_OCSF } from './exported/ocsf-cloudtrail.ts';
import { isOcsfVpcFlow, OCSF_FLOW_FIELDS, ocsfFlowFields, VIA_OCSF_FLOWS } from './exported/ocsf-flow.ts';
import { setOwn } from './exported/own-field.ts';
import { bigintValue, jsonValue, parquetWindows, type ColumnWindow } from './parquet-rows.ts';
import { isOcsfFinding } from './detectors/detector-shapes.ts';
import { shortReason, SourceError } from './source-error.ts';
import type { OpenedSource, RandomAccessFile } from './types.ts';
import { fileParquet, heldParquet, parquetFooter, PARQUET_HELD_FILE, type ParquetBytes } from './parquet-bytes.ts';
import { copiedForRandomReads } from './temp-copies.ts';

/** A Parquet file is a flow log when at least this many of its columns are flow log fields. */
const MIN_FLOW_COLUMNS = 3;

const NOT_FLOWS =
  'only VPC flow logs and Security Lake\'s CloudTrail, VPC flow log and findings tables are read from Parquet; export other records as JSON or JSON Lines (an Athena UNLOAD with format JSON, or the console\'s export)';

/**
 * A Parquet input: read by range from `file` (a file on disk, parquet-bytes.ts), else from `reader`'s
 * stream, held whole or copied. The file is closed when its batches end, or here when it is refused.
 */
export async function openParquet(reader: ByteReader, file?: RandomAccessFile): Promise<OpenedSource> {
  const bytes = file ? fileParquet(file) : await streamedParquet(reader);
  await reader.close();
  try {
    const table = await tableOf(bytes, reader);
    return { kind: table.kind, batches: closing(table.batches, bytes) };
  } catch (err) {
    await bytes.close();
    throw err;
  }
}

/**
 * A Parquet file that arrives as a stream (inside gzip or an archive, or small): held whole up to
 * PARQUET_HELD_FILE, else copied to a temporary file and read by range from there, as a large file on
 * disk is.
 */
async function streamedParquet(reader: ByteReader): Promise<ParquetBytes> {
  const held = await reader.whole(PARQUET_HELD_FILE);
  return held !== null ? heldParquet(held) : fileParquet(await copiedForRandomReads(reader, '.parquet'));
}

async function* closing(batches: AsyncGenerator<ReaderBatch>, bytes: ParquetBytes): AsyncGenerator<ReaderBatch> {
  try {
    yield* batches;
  } finally {
    await bytes.close();
  }
}

/** What the file holds, from its footer (and a Security Lake table's first row), and its batches. */
async function tableOf(bytes: ParquetBytes, reader: ByteReader): Promise<{ kind: OpenedSource['kind']; batches: AsyncGenerator<ReaderBatch> }> {
  const metadata = await parquetFooter(bytes, reader.path);
  let top: SchemaTree[];
  try {
    top = parquetSchema(metadata).children;
  } catch (err) {
    throw new SourceError(`corrupt Apache Parquet file: ${shortReason(err)}`, reader.path, { cause: err });
  }
  const table: ParquetTable = { bytes, metadata, path: reader.path, maxBytes: reader.maxBytes };
  const columns = flowColumns(top);
  if (columns.length < MIN_FLOW_COLUMNS && isOcsfTable(top)) {
    // A Security Lake table holds one source's events: its first row says which.
    const first = await firstRow(table);
    const names = top.map((c) => c.element.name);
    if (first !== null && isOcsfVpcFlow(first)) return { kind: 'flowlog', batches: ocsfFlowBatches(table, names) };
    if (first !== null && isOcsfFinding(first)) return { kind: 'findings:ocsf', batches: ocsfFindingBatches(table, names) };
    if (first === null || isOcsfCloudTrail(first)) return { kind: 'cloudtrail', batches: ocsfBatches(table, names) };
    throw new SourceError(`Apache Parquet file of OCSF events that are neither CloudTrail's, VPC flow logs' nor findings (another source of Security Lake's): ${NOT_FLOWS}`, reader.path);
  }
  if (columns.length < MIN_FLOW_COLUMNS) {
    throw new SourceError(
      `Apache Parquet file of ${top.length} column${top.length === 1 ? '' : 's'}, ${columns.length === 0 ? 'none' : `only ${columns.length}`} of them a VPC flow log field: ${NOT_FLOWS}`,
      reader.path,
    );
  }
  return { kind: 'flowlog', batches: flowBatches(table, columns) };
}

/** A Parquet file's bytes and metadata, and the per-file limit its pages decode within. */
type ParquetTable = { bytes: ParquetBytes; metadata: FileMetaData; path: string; maxBytes: number };

const windowsOf = (t: ParquetTable, columns: string[], windowRows?: number) => parquetWindows(t.bytes, t.metadata, columns, t.path, { maxBytes: t.maxBytes, windowRows });

/**
 * The top-level columns that hold a flow log field (`srcaddr`, `account_id`, `log-status`…), each
 * once: a nested column is never a flow field, whatever its name.
 */
function flowColumns(top: SchemaTree[]): string[] {
  const names = top.filter((c) => c.children.length === 0).map((c) => c.element.name);
  return knownFlowFields([...new Set(names)]);
}

/** Security Lake's tables: OCSF events, a class and its metadata in columns of their own. */
function isOcsfTable(top: SchemaTree[]): boolean {
  return top.some((c) => c.element.name === 'class_uid' && c.children.length === 0) && top.some((c) => c.element.name === 'metadata' && c.children.length > 0);
}

/** The first row's class and metadata, or null for a file of no rows. */
async function firstRow(t: ParquetTable): Promise<Record<string, unknown> | null> {
  const windows = windowsOf(t, ['class_uid', 'metadata'], 1);
  const first = await windows.next();
  await windows.return(undefined);
  if (first.done) return null;
  const [cls, meta] = first.value.columns;
  return { class_uid: jsonValue(cls.data[cls.from], 0), metadata: jsonValue(meta.data[meta.from], 0) };
}

/** Each row of an OCSF table as the event JSON would hold (jsonValue), with its row's place for rejections. */
async function* ocsfRows(t: ParquetTable, columns: string[]): AsyncGenerator<{ row: string; event: Record<string, unknown> }> {
  for await (const { start, rows, columns: values } of windowsOf(t, columns)) {
    for (let r = 0; r < rows; r++) {
      const event: Record<string, unknown> = {};
      for (let c = 0; c < columns.length; c++) setOwn(event, columns[c], jsonValue(values[c].data[values[c].from + r], 0));
      yield { row: `row ${start + r + 1}`, event };
    }
  }
}

/**
 * Security Lake's CloudTrail tables: each row rebuilt into its CloudTrail record like the same event
 * exported as JSON (exported/ocsf-cloudtrail.ts). A row of another source is rejected by its row.
 */
async function* ocsfBatches(t: ParquetTable, columns: string[]): AsyncGenerator<ReaderBatch> {
  let records: unknown[] = [];
  let rejected: RecordRejection[] = [];
  const batch = (): ReaderBatch => ({ type: 'cloudtrail', records, rejected, bytes: 0, ...(records.length > 0 ? { readAs: [VIA_OCSF] } : {}) });
  for await (const { row, event } of ocsfRows(t, columns)) {
    if (isOcsfCloudTrail(event)) records.push(ocsfRecord(event).record);
    else rejected.push({ position: row, reason: 'OCSF event not made from CloudTrail, in a table of CloudTrail events' });
    if (records.length >= CLOUDTRAIL_BATCH || rejected.length >= CLOUDTRAIL_BATCH) {
      yield batch();
      records = [];
      rejected = [];
    }
  }
  if (records.length > 0 || rejected.length > 0) yield batch();
}

/** Security Lake's findings tables: each row a finding, normalized as the same finding in JSON is. */
async function* ocsfFindingBatches(t: ParquetTable, columns: string[]): AsyncGenerator<ReaderBatch> {
  let findings: { format: DetectorFormat; v: unknown; pos: string }[] = [];
  let rejected: RecordRejection[] = [];
  for await (const { row, event } of ocsfRows(t, columns)) {
    if (isOcsfFinding(event)) findings.push({ format: 'ocsf', v: event, pos: row });
    else rejected.push({ position: row, reason: 'OCSF event that is not a finding, in a table of findings' });
    if (findings.length >= CLOUDTRAIL_BATCH || rejected.length >= CLOUDTRAIL_BATCH) {
      yield { type: 'findings', findings, rejected };
      findings = [];
      rejected = [];
    }
  }
  if (findings.length > 0 || rejected.length > 0) yield { type: 'findings', findings, rejected };
}

/** Security Lake's VPC flow log tables: each row's flow fields (exported/ocsf-flow.ts) through the flow parser's checks. */
async function* ocsfFlowBatches(t: ParquetTable, columns: string[]): AsyncGenerator<ReaderBatch> {
  const parser = new FlowLineParser(OCSF_FLOW_FIELDS);
  let records = new FlowColumnsBuilder();
  let rejected: RecordRejection[] = [];
  const batch = (): ReaderBatch => ({ type: 'flows', records, rejected, readAs: [VIA_OCSF_FLOWS] });
  for await (const { row, event } of ocsfRows(t, columns)) {
    const out = isOcsfVpcFlow(event) ? parser.readFields(records, ocsfFlowFields(event)) : 'OCSF event not made from a VPC flow log, in a table of flow log events';
    if (out !== true) rejected.push({ position: row, reason: out });
    if (records.full || rejected.length >= FLOW_REJECTED_BATCH) {
      yield batch();
      records = new FlowColumnsBuilder();
      rejected = [];
    }
  }
  if (records.length > 0 || rejected.length > 0) yield batch();
}

async function* flowBatches(t: ParquetTable, columns: string[]): AsyncGenerator<ReaderBatch> {
  const parser = new FlowLineParser(columns);
  let records = new FlowColumnsBuilder();
  let rejected: RecordRejection[] = [];
  const fields: (string | number | null)[] = new Array(columns.length);
  for await (const { start, rows, columns: values } of windowsOf(t, columns)) {
    for (let r = 0; r < rows; r++) {
      const out = rowFields(values, columns, r, fields) ?? parser.readFields(records, fields);
      if (out !== true) rejected.push({ position: `row ${start + r + 1}`, reason: out });
      if (records.full || rejected.length >= FLOW_REJECTED_BATCH) {
        yield { type: 'flows', records, rejected };
        records = new FlowColumnsBuilder();
        rejected = [];
      }
    }
  }
  if (records.length > 0 || rejected.length > 0) yield { type: 'flows', records, rejected };
}

/**
 * Row r's values as a flow record's fields, into `fields`; null, or why the row cannot be one. Text
 * holding a space or a line break is refused: no flow log field holds one, and the text format could not.
 */
function rowFields(values: ColumnWindow[], columns: string[], r: number, fields: (string | number | null)[]): string | null {
  for (let c = 0; c < values.length; c++) {
    const v = values[c].data[values[c].from + r];
    if (v === null || v === undefined || v === '') fields[c] = null;
    else if (typeof v === 'string') {
      if (/\s/.test(v)) return `${columns[c]} holds a space or a line break`;
      fields[c] = v;
    } else if (typeof v === 'number') fields[c] = v;
    else if (typeof v === 'bigint') fields[c] = bigintValue(v);
    else if (v instanceof Date) {
      // A writer that typed start and end as timestamps: the format's seconds.
      const ms = v.getTime();
      if (!Number.isFinite(ms) || ms < 0) return `${columns[c]} is not a time`;
      fields[c] = Math.floor(ms / 1000);
    } else return `${columns[c]} is not a number or text`;
  }
  return null;
}
