// VPC flow log lines (versions 2 to 5, and the later ECS fields, which are ignored): the default
// 14-field format, or any custom order announced by a header line as S3 delivery writes it.
import type { FlowRow } from '../types.ts';
import { NUMBER_SLOT, TEXT_SLOT, type FlowColumnsBuilder } from '../../db/flow-columns-builder.ts';
import { LAST_DATE_MS } from '../normalize/time.ts';

type Column = {
  key: keyof FlowRow | null;
  numeric: boolean;
  ms: boolean;
  name: string;
  /** Its column in a FlowColumnsBuilder (TEXT_SLOT or NUMBER_SLOT), -1 for a field not kept. */
  slot: number;
};

const FIELD_KEY_LIST: Record<string, keyof FlowRow> = {
  version: 'version',
  'account-id': 'accountId',
  'interface-id': 'interfaceId',
  srcaddr: 'srcaddr',
  dstaddr: 'dstaddr',
  srcport: 'srcport',
  dstport: 'dstport',
  protocol: 'protocol',
  packets: 'packets',
  bytes: 'bytes',
  start: 'startTime',
  end: 'endTime',
  action: 'action',
  'log-status': 'logStatus',
  'vpc-id': 'vpcId',
  'subnet-id': 'subnetId',
  'instance-id': 'instanceId',
  'tcp-flags': 'tcpFlags',
  type: 'trafficType',
  'pkt-srcaddr': 'pktSrcaddr',
  'pkt-dstaddr': 'pktDstaddr',
  region: 'region',
  'az-id': 'azId',
  'sublocation-type': 'sublocationType',
  'sublocation-id': 'sublocationId',
  'pkt-src-aws-service': 'pktSrcAwsService',
  'pkt-dst-aws-service': 'pktDstAwsService',
  'flow-direction': 'flowDirection',
  'traffic-path': 'trafficPath',
};
// A Map, so that header words such as "constructor" never reach Object.prototype.
const FIELD_KEYS = new Map(Object.entries(FIELD_KEY_LIST));
/** The longest a field's name can be as a header writes it (`${pkt-dst-aws-service}`). */
const MAX_FIELD_NAME = 32;
const NUMERIC = new Set(['version', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end', 'tcp-flags', 'traffic-path']);
export const DEFAULT_FIELDS = [
  'version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport',
  'protocol', 'packets', 'bytes', 'start', 'end', 'action', 'log-status',
];
const LOG_STATUSES = new Set(['OK', 'NODATA', 'SKIPDATA']);

/** `account_id` (Athena, Parquet exports) and `${account-id}` (the --log-format string) both mean account-id. */
function fieldName(token: string): string {
  let t = token.toLowerCase();
  if (t.startsWith('${') && t.endsWith('}')) t = t.slice(2, -1);
  return t.replaceAll('_', '-');
}

/** The names among `names` that are flow log fields (in any of the spellings fieldName reads), in order. */
export function knownFlowFields(names: string[]): string[] {
  return names.filter((n) => n.length <= MAX_FIELD_NAME && FIELD_KEYS.has(fieldName(n)));
}

/** A header names fields: every token is a field-like word and at least two are fields we know. */
export function isHeader(tokens: string[]): boolean {
  if (tokens.length < 2 || !FIELD_KEYS.has(fieldName(tokens[0]))) return false;
  let known = 0;
  for (const t of tokens) {
    const name = fieldName(t);
    if (!/^[a-z][a-z0-9-]*$/.test(name)) return false;
    if (FIELD_KEYS.has(name)) known++;
  }
  return known >= 2;
}

/** A line of the default format: 14 fields, a numeric version, a known log status at the end. */
export function isDefaultRecord(tokens: string[]): boolean {
  return tokens.length === 14 && /^\d+$/.test(tokens[0]) && LOG_STATUSES.has(tokens[13]);
}

export function tokenize(line: string): string[] {
  const hash = line.indexOf('#');
  if (hash >= 0) line = line.slice(0, hash); // AWS's examples annotate lines with "# comment"
  const tokens = line.split(' ');
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === '' || tokens[i].includes('\t') || tokens[i].includes('\r')) {
      const trimmed = line.trim();
      return trimmed === '' ? [] : trimmed.split(/\s+/);
    }
  }
  return tokens;
}

export function emptyFlowRow(): FlowRow {
  return {
    version: null, accountId: null, interfaceId: null, srcaddr: null, dstaddr: null, srcport: null,
    dstport: null, protocol: null, packets: null, bytes: null, startTime: null, endTime: null,
    action: null, logStatus: null, vpcId: null, subnetId: null, instanceId: null, tcpFlags: null,
    trafficType: null, pktSrcaddr: null, pktDstaddr: null, region: null, azId: null,
    sublocationType: null, sublocationId: null, pktSrcAwsService: null, pktDstAwsService: null,
    flowDirection: null, trafficPath: null,
  };
}

/** Non-negative decimal integer, or NaN; no regex, since this runs for every numeric field. */
function parseUint(s: string): number {
  const n = s.length;
  if (n === 0 || n > 15) return n > 15 && /^\d+$/.test(s) ? Number(s) : NaN;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
}

export class FlowLineParser {
  private columns: Column[];

  constructor(fields: string[] = DEFAULT_FIELDS) {
    this.columns = compile(fields);
  }

  setHeader(tokens: string[]): void {
    this.columns = compile(tokens);
  }

  /**
   * One line, text[start, end), read into the builder's next slot: true when it was a record, the
   * reason it was refused (a string), or null for blank, comment and header lines (a header changes
   * the columns for the lines after it: concatenated S3 objects each start with one). The caller adds
   * the position, so no position text is built for good lines. `plain` says the caller knows the range
   * holds no tab and no '#'; lines that do, or that have irregular spacing, go through the general
   * tokenizer. Fields are read in place: numbers as digits, texts compared with the column's last
   * value before any string is made; the record's content hash is made from the values read, in the
   * hash's own field order whatever the line's (FlowColumnsBuilder.slotHash).
   */
  readInto(records: FlowColumnsBuilder, text: string, start: number, end: number, plain: boolean): true | string | null {
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    const columns = this.columns;
    const n = columns.length;
    // A header starts with a field's name; a record of a format that starts with a text field (an
    // interface, an action) starts with a word too, and is read in place like any other.
    if (!plain || end - start < 2 * n - 1 || (!startsWithValue(text, start) && mayBeHeader(text, start, end))) {
      return this.readTokens(records, text.slice(start, end));
    }
    let p = start;
    for (let c = 0; c < n; c++) {
      let q = text.indexOf(' ', p);
      if (q < 0 || q > end) q = end;
      if (q === p || (c === n - 1) !== (q === end)) {
        records.discard();
        return this.readTokens(records, text.slice(start, end));
      }
      const col = columns[c];
      const dash = q - p === 1 && text.charCodeAt(p) === 45;
      if (col.slot < 0 || dash) {
        // a field Trailscope does not keep, or no value
      } else if (col.numeric) {
        if (q - p > 15) {
          records.discard();
          return this.readTokens(records, text.slice(start, end));
        }
        let v = 0;
        for (let k = p; k < q; k++) {
          const d = text.charCodeAt(k) - 48;
          if (d < 0 || d > 9) return refused(records, `${col.name} is not a number`);
          v = v * 10 + d;
        }
        const kept = storedNumber(col, v);
        if (kept === null) return refused(records, `${col.name} is past the last date a time can hold`);
        records.setNumber(col.slot, kept);
      } else records.setTextRange(col.slot, text, p, q);
      p = q + 1;
    }
    records.commit(records.slotHash());
    return true;
  }

  /**
   * One record given as its fields' values in the parser's column order (a Parquet row), read into the
   * builder's next slot with the checks a line's fields get: true, or why it was refused. null or '-'
   * is no value; a number column takes a number or its digits.
   */
  readFields(records: FlowColumnsBuilder, fields: (string | number | null)[]): true | string {
    const columns = this.columns;
    for (let c = 0; c < columns.length; c++) {
      const col = columns[c];
      const v = fields[c];
      if (col.slot < 0 || v === null || v === '-') continue;
      if (col.numeric) {
        const n = typeof v === 'number' ? v : parseUint(v);
        if (!Number.isInteger(n) || n < 0) return refused(records, `${col.name} is not a number`);
        if (n > Number.MAX_SAFE_INTEGER) return refused(records, `${col.name} is larger than a number Trailscope holds exactly`);
        const kept = storedNumber(col, n);
        if (kept === null) return refused(records, `${col.name} is past the last date a time can hold`);
        records.setNumber(col.slot, kept);
      } else {
        const text = typeof v === 'number' ? String(v) : v;
        records.setTextRange(col.slot, text, 0, text.length);
      }
    }
    records.commit(records.slotHash());
    return true;
  }

  /** A line read by the general tokenizer, into the builder as a whole row. */
  private readTokens(records: FlowColumnsBuilder, line: string): true | string | null {
    const out = this.parseTokens(line);
    if (out === null || typeof out === 'string') return out;
    records.addRow(out);
    return true;
  }

  private parseTokens(line: string): FlowRow | string | null {
    const tokens = tokenize(line);
    if (tokens.length === 0) return null;
    const columns = this.columns;
    const first = tokens[0].charCodeAt(0);
    // Only words (or ${word}) can start a header; values start with digits, '-' or an id like eni-.
    if (((first >= 97 && first <= 122) || first === 36 || (first >= 65 && first <= 90)) && isHeader(tokens)) {
      this.setHeader(tokens);
      return null;
    }
    if (tokens.length !== columns.length) {
      return `${tokens.length} field${tokens.length === 1 ? '' : 's'}, expected ${columns.length}`;
    }
    const row = emptyFlowRow() as Record<string, unknown>;
    for (let i = 0; i < columns.length; i++) {
      const col = columns[i];
      const key = col.key;
      if (key === null) continue;
      const token = tokens[i];
      if (token === '-') continue;
      if (col.numeric) {
        const v = parseUint(token);
        if (Number.isNaN(v)) return `${col.name} is not a number`;
        // Past 2^53 a number is no longer exact, and SQLite stores none past 2^63: refused, not rounded.
        if (v > Number.MAX_SAFE_INTEGER) return `${col.name} is larger than a number Trailscope holds exactly`;
        const kept = storedNumber(col, v);
        if (kept === null) return `${col.name} is past the last date a time can hold`;
        row[key] = kept;
      } else {
        row[key] = token;
      }
    }
    return row as FlowRow;
  }
}

/** A number field's value as stored: a time's seconds as milliseconds, null past the last date a time can hold. */
function storedNumber(col: Column, v: number): number | null {
  if (!col.ms) return v;
  const ms = v * 1000;
  return ms > LAST_DATE_MS ? null : ms;
}

/** The record being read into the builder's next slot is dropped, for `reason`. */
function refused(records: FlowColumnsBuilder, reason: string): string {
  records.discard();
  return reason;
}

/** Digits or '-' start a value: no field's name does. */
function startsWithValue(text: string, start: number): boolean {
  const first = text.charCodeAt(start);
  return (first >= 48 && first <= 57) || first === 45;
}

/**
 * Whether the line's first word names a field: only then can it be a header (isHeader decides). No
 * field's name holds a digit, and most words that start a record do (an interface, an instance).
 */
function mayBeHeader(text: string, start: number, end: number): boolean {
  let q = start;
  for (; q < end && q - start <= MAX_FIELD_NAME; q++) {
    const c = text.charCodeAt(q);
    if (c === 32) break;
    if (c >= 48 && c <= 57) return false;
  }
  return q - start <= MAX_FIELD_NAME && FIELD_KEYS.has(fieldName(text.slice(start, q)));
}

function compile(fields: string[]): Column[] {
  return fields.map((f): Column => {
    const name = fieldName(f);
    const key = FIELD_KEYS.get(name) ?? null;
    const numeric = NUMERIC.has(name);
    const slot = key === null ? -1 : numeric ? NUMBER_SLOT[key as keyof typeof NUMBER_SLOT] : TEXT_SLOT[key as keyof typeof TEXT_SLOT];
    return { key, numeric, ms: name === 'start' || name === 'end', name, slot };
  });
}
