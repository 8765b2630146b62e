// VPC flow log lines (versions 2 to 5, and the later ECS fields, which are ignored): the default
// 14-field format, or any custom order announced by a header line as S3 delivery writes it.
import type { FlowRow } from '../types.ts';

type Column = { key: keyof FlowRow | null; numeric: boolean; ms: boolean; name: string };

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
   * One line: a FlowRow, the reason it was rejected (a string), or null for blank, comment and header
   * lines (a header changes the columns for the lines after it: concatenated S3 objects each start
   * with one). The caller adds the position, so no position text is built for good lines.
   */
  parse(line: string): FlowRow | string | null {
    return this.parseRange(line, 0, line.length, false);
  }

  /**
   * Parses text[start, end) without slicing it into tokens first: numbers are read in place and only
   * text fields become strings. `plain` says the caller knows the range holds no tab and no '#'; lines
   * that do, or that have irregular spacing, go through the general tokenizer.
   */
  parseRange(text: string, start: number, end: number, plain: boolean): FlowRow | string | null {
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    const columns = this.columns;
    const n = columns.length;
    const first = text.charCodeAt(start);
    // digits (version) or '-' start ordinary records; words may be a header
    if (!plain || end - start < 2 * n - 1 || !((first >= 48 && first <= 57) || first === 45)) {
      return this.parseTokens(text.slice(start, end));
    }
    const row = emptyFlowRow() as Record<string, unknown>;
    let p = start;
    for (let c = 0; c < n; c++) {
      let q = text.indexOf(' ', p);
      if (q < 0 || q > end) q = end;
      if (q === p || (c === n - 1) !== (q === end)) return this.parseTokens(text.slice(start, end));
      const col = columns[c];
      const key = col.key;
      if (key !== null && !(q - p === 1 && text.charCodeAt(p) === 45)) {
        if (col.numeric) {
          let v = 0;
          if (q - p > 15) return this.parseTokens(text.slice(start, end));
          for (let k = p; k < q; k++) {
            const d = text.charCodeAt(k) - 48;
            if (d < 0 || d > 9) return `${col.name} is not a number`;
            v = v * 10 + d;
          }
          row[key] = col.ms ? v * 1000 : v;
        } else {
          row[key] = text.slice(p, q);
        }
      }
      p = q + 1;
    }
    return row as FlowRow;
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
        row[key] = col.ms ? v * 1000 : v;
      } else {
        row[key] = token;
      }
    }
    return row as FlowRow;
  }
}

function compile(fields: string[]): Column[] {
  return fields.map((f) => {
    const name = fieldName(f);
    return { key: FIELD_KEYS.get(name) ?? null, numeric: NUMERIC.has(name), ms: name === 'start' || name === 'end', name };
  });
}
