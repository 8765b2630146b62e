// A CloudWatch Logs export (CreateExportTask) of a trail's log group: S3 objects (usually gzipped)
// with one line per log event, "<ISO timestamp> <message>", the message being the CloudTrail record.
// Subscription and Firehose payloads ({"logEvents":[…]}) are JSON and read by classify.ts.
import type { ByteReader } from '../byte-reader.ts';
import { recordItem, sized, type Item } from '../classify.ts';
import { BATCH_BYTES } from '../item-batches.ts';
import { readLines } from './text-lines.ts';

export const VIA_EXPORT = 'CloudWatch Logs export: records from "<timestamp> <message>" lines';
const LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)\s(.*)$/s;
const MAX_LINE = 16 * 1024 * 1024;
const CHUNK = 1000;

/** True when a first line is "<timestamp> {…": an export of a log group whose events are JSON. */
export function isCloudWatchExportLine(line: string): boolean {
  const m = LINE.exec(line);
  return m !== null && m[2].trimStart().startsWith('{');
}

export async function* cloudWatchExportItems(reader: ByteReader): AsyncGenerator<Item[]> {
  let out: Item[] = [];
  /** Characters of the lines behind `out`: a chunk is handed on past BATCH_BYTES too. */
  let held = 0;
  for await (const line of readLines(reader, MAX_LINE)) {
    const pos = `line ${line.no}`;
    if (line.text === null) out.push({ t: 'rej', r: { position: pos, reason: `line longer than ${MAX_LINE / 1024 / 1024} MB` } });
    else if (line.text.trim() !== '') {
      out.push(sized([lineItem(line.text, pos)], line.text.length)[0]);
      held += line.text.length;
    }
    if (out.length >= CHUNK || held >= BATCH_BYTES) {
      yield out;
      out = [];
      held = 0;
    }
  }
  if (out.length > 0) yield out;
}

function lineItem(text: string, pos: string): Item {
  const m = LINE.exec(text);
  if (!m) return { t: 'rej', r: { position: pos, reason: 'not a "<timestamp> <message>" line of a CloudWatch Logs export' } };
  let value: unknown;
  try {
    value = JSON.parse(m[2]);
  } catch {
    return { t: 'rej', r: { position: pos, reason: 'message is not JSON: not a CloudTrail record' } };
  }
  const item = recordItem(value, pos);
  if (item.t !== 'rec') return item;
  // The log event's own time stands in for a record that lost eventTime.
  const record = item.v as Record<string, unknown> | null;
  if (record && typeof record === 'object' && record.eventTime === undefined) record.eventTime = m[1];
  return { ...item, via: VIA_EXPORT };
}
