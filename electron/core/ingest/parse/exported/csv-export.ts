// Exported CloudTrail as CSV: Splunk (a _raw column, or the extracted fields of a `table`), Athena and
// CloudTrail Lake query results (lower-case columns, structs printed as text), Kibana reports of ECS
// documents (event.original, or aws.cloudtrail.* columns with @timestamp in ISO form: Kibana's
// display format "Mar 1, 2024 @ 12:00:00.000" is not a time Trailscope guesses at), and Security Lake's
// tables of OCSF events. Recognised by the header row; each row is made into an object keyed by the
// header and read like the same export in JSON (exported-record.ts).
import { StringDecoder } from 'node:string_decoder';
import type { ByteReader } from '../byte-reader.ts';
import { sized, type Item } from '../classify.ts';
import { BATCH_BYTES } from '../item-batches.ts';
import { CsvParser, parseCsv } from '../csv.ts';
import { reshapeExported } from './exported-record.ts';
import { jsonRecordIn } from './json-record.ts';
import { setOwn } from './own-field.ts';
import { recordFromColumns } from './query-columns.ts';
import { isOcsfColumns, ocsfColumnsItem } from './ocsf-columns.ts';

export const VIA_COLUMNS = 'CSV export: columns mapped to CloudTrail fields';
export const VIA_COLUMN_RECORD = 'CSV export: record from a column holding its JSON';
const MAX_ROW = 16 * 1024 * 1024;
const CHUNK = 1000;
// class_uid: a Security Lake table's OCSF events, their structs printed as text (ocsf-columns.ts).
const MARKERS = new Set(['_raw', 'event.original', 'eventname', 'eventsource', 'eventid', 'eventjson', 'class_uid']);

/** The column names when a first line is the header of an exported CloudTrail table, else null. */
export function exportHeader(line: string): string[] | null {
  if (!line.includes(',') && !MARKERS.has(line.replace(/"/g, '').trim().toLowerCase())) return null;
  const names = parseCsv(line)[0]?.map((n) => n.trim()) ?? [];
  return names.some((n) => MARKERS.has(n.toLowerCase()) || n.startsWith('aws.cloudtrail.')) ? names : null;
}

export async function* csvExportItems(reader: ByteReader): AsyncGenerator<Item[]> {
  const parser = new CsvParser(MAX_ROW);
  const decoder = new StringDecoder('utf8');
  let header: string[] | null = null;
  let rowNo = 0;
  let out: Item[] = [];
  /** Characters of the rows behind `out`: a chunk is handed on past BATCH_BYTES too. */
  let held = 0;
  const take = () => {
    for (const row of parser.take()) {
      if (header === null) {
        if (row !== null && !(row.length === 1 && row[0].trim() === '')) header = row.map((n) => n.trim());
        continue;
      }
      rowNo++;
      if (row === null) out.push({ t: 'rej', r: { position: `row ${rowNo}`, reason: `row longer than ${MAX_ROW / 1024 / 1024} MB` } });
      else if (!(row.length === 1 && row[0] === '')) {
        const chars = row.reduce((n, cell) => n + cell.length, 0);
        out.push(sized([rowItem(header, row, `row ${rowNo}`)], chars)[0]);
        held += chars;
      }
    }
  };
  let chunk = reader.buf.subarray(reader.pos);
  for (;;) {
    parser.push(decoder.write(chunk));
    take();
    if (out.length >= CHUNK || held >= BATCH_BYTES) {
      yield out;
      out = [];
      held = 0;
    }
    reader.pos = reader.buf.length;
    if (!(await reader.nextChunk())) break;
    chunk = reader.buf;
  }
  parser.push(decoder.end());
  parser.end();
  take();
  if (out.length > 0) yield out;
}

function rowItem(header: string[], row: string[], pos: string): Item {
  const o: Record<string, unknown> = {};
  // Empty cells are absent values (Athena and Splunk write "", Kibana "-").
  header.forEach((name, i) => {
    const cell = row[i];
    if (cell !== undefined && cell !== '' && cell !== '-' && name !== '') setOwn(o, name, cell);
  });
  if (isOcsfColumns(o)) return ocsfColumnsItem(o, pos);
  const reshaped = reshapeExported(o);
  if (reshaped) return { t: 'rec', v: reshaped.record, via: reshaped.via };
  const lower = Object.keys(o).map((k) => k.toLowerCase());
  if (lower.includes('eventname') || lower.includes('eventsource')) return { t: 'rec', v: recordFromColumns(o), via: VIA_COLUMNS };
  for (const v of Object.values(o)) {
    const record = typeof v === 'string' ? jsonRecordIn(v) : null;
    if (record) return { t: 'rec', v: record, via: VIA_COLUMN_RECORD };
  }
  return { t: 'rej', r: { position: pos, reason: 'CSV row holds no CloudTrail record' } };
}
