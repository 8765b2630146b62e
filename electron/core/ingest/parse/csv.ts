// RFC 4180 CSV (quoted fields, doubled quotes, CRLF): the IAM credential report, and exported
// CloudTrail tables (Splunk, Athena, CloudTrail Lake, Kibana). The parser takes text in pieces, so a
// large export streams; a quote opens a field only at its start, as the credential report needs.
// Rows and fields are bounded: a file of commas or newlines would otherwise grow one array past what
// V8 can hold, which aborts the whole process, not just the reader.
import { SourceError } from './source-error.ts';

/** IAM allows 5,000 users per account; the report has 22 columns. A report past either bound is hostile. */
export const CSV_MAX_ROWS = 100_000;
/** Fields in one row of any CSV read here: exports have a few dozen columns. */
export const CSV_MAX_FIELDS = 1_000;

/**
 * Incremental CSV parser. `push` text as it is decoded, `end` at the end; completed rows collect in
 * `rows` (take them with `take`). A row longer than `maxRow` characters or with more than `maxFields`
 * fields is not kept: it comes out as null, so the caller can reject it by number without holding it.
 */
export class CsvParser {
  private rows: (string[] | null)[] = [];
  private row: string[] = [];
  private field = '';
  private rowLength = 0;
  private tooLong = false;
  private quoted = false;
  /** Inside a quoted field, a quote was the last character seen: a doubled quote or the end of the field. */
  private quotePending = false;
  /** A row just ended on '\r': a following '\n' belongs to it. */
  private skipLf = false;

  constructor(
    private readonly maxRow = Number.POSITIVE_INFINITY,
    private readonly maxFields = CSV_MAX_FIELDS,
  ) {}

  push(text: string): void {
    let i = 0;
    const n = text.length;
    while (i < n) {
      if (this.skipLf) {
        this.skipLf = false;
        if (text.charCodeAt(i) === 10) {
          i++;
          continue;
        }
      }
      if (this.quotePending) {
        this.quotePending = false;
        if (text.charCodeAt(i) === 34) {
          this.append('"');
          i++;
          continue;
        }
        this.quoted = false;
      }
      if (this.quoted) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          this.append(text.slice(i));
          return;
        }
        this.append(text.slice(i, q));
        this.quotePending = true;
        i = q + 1;
        continue;
      }
      // Unquoted: copy up to the next delimiter in one slice.
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 44 || c === 10 || c === 13 || (c === 34 && j === i && this.field === '')) break;
        j++;
      }
      if (j > i) this.append(text.slice(i, j));
      if (j === n) return;
      const c = text.charCodeAt(j);
      if (c === 34) this.quoted = true;
      else if (c === 44) this.endField();
      else {
        this.endRow();
        if (c === 13) this.skipLf = true;
      }
      i = j + 1;
    }
  }

  end(): void {
    if (this.quotePending) {
      this.quotePending = false;
      this.quoted = false;
    }
    if (this.field !== '' || this.row.length > 0 || this.tooLong) this.endRow();
  }

  /** The rows completed since the last call. */
  take(): (string[] | null)[] {
    const out = this.rows;
    this.rows = [];
    return out;
  }

  private append(s: string): void {
    if (this.tooLong) return;
    this.rowLength += s.length;
    if (this.rowLength > this.maxRow) {
      this.tooLong = true;
      this.field = '';
      this.row = [];
      return;
    }
    this.field += s;
  }

  private endField(): void {
    if (!this.tooLong && this.row.length >= this.maxFields) {
      this.tooLong = true;
      this.row = [];
    }
    if (!this.tooLong) this.row.push(this.field);
    this.field = '';
  }

  private endRow(): void {
    this.endField();
    this.rows.push(this.tooLong ? null : this.row);
    this.row = [];
    this.rowLength = 0;
    this.tooLong = false;
  }
}

/** A whole CSV document (the credential report, a header line), within CSV_MAX_ROWS and CSV_MAX_FIELDS. */
export function parseCsv(text: string): string[][] {
  const parser = new CsvParser();
  const rows: string[][] = [];
  const collect = () => {
    for (const row of parser.take()) {
      if (row === null) throw new SourceError(`credential report row ${rows.length + 1} has more than ${CSV_MAX_FIELDS.toLocaleString('en-US')} fields`);
      if (rows.length >= CSV_MAX_ROWS) throw new SourceError(`credential report has more than ${CSV_MAX_ROWS.toLocaleString('en-US')} rows`);
      rows.push(row);
    }
  };
  // In slices, so a document of a hundred million newlines is refused before it becomes that many rows.
  const SLICE = 1 << 20;
  for (let i = 0; i < text.length; i += SLICE) {
    parser.push(text.slice(i, i + SLICE));
    collect();
  }
  parser.end();
  collect();
  return rows;
}

/** Header row plus data rows as objects keyed by the header; blank lines dropped. */
export function csvToObjects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text).filter((r) => !(r.length === 1 && r[0] === ''));
  if (!header) return [];
  return rows.map((r) => Object.fromEntries(header.map((name, i) => [name, r[i] ?? ''])));
}

export const CREDENTIAL_REPORT_HEADER = 'user,arn,user_creation_time';
