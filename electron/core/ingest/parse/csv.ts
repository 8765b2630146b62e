// RFC 4180 CSV (quoted fields, doubled quotes, CRLF) for the IAM credential report.
import { SourceError } from './source-error.ts';

/** IAM allows 5,000 users per account; the report has 22 columns. A row past either bound is hostile. */
export const CSV_MAX_ROWS = 100_000;
export const CSV_MAX_FIELDS = 1_000;

/** Throws a SourceError past CSV_MAX_ROWS rows or CSV_MAX_FIELDS fields in a row (a file of commas would
 * otherwise grow one array past what V8 can hold, which aborts the process). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      if (row.length >= CSV_MAX_FIELDS) throw new SourceError(`credential report row ${rows.length + 1} has more than ${CSV_MAX_FIELDS.toLocaleString('en-US')} fields`);
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (rows.length >= CSV_MAX_ROWS) throw new SourceError(`credential report has more than ${CSV_MAX_ROWS.toLocaleString('en-US')} rows`);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
    i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Header row plus data rows as objects keyed by the header; blank lines dropped. */
export function csvToObjects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text).filter((r) => !(r.length === 1 && r[0] === ''));
  if (!header) return [];
  return rows.map((r) => Object.fromEntries(header.map((name, i) => [name, r[i] ?? ''])));
}

export const CREDENTIAL_REPORT_HEADER = 'user,arn,user_creation_time';
