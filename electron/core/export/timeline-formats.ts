// Timeline exports: CSV (formula-injection safe), Timesketch JSONL, Markdown, JSON and a terminal table.
// Each format is a header, a row encoder and a footer, so a million rows stream page by page.
import type { TimelineRow } from '../../../shared/engine-types.ts';
import { safe } from './terminal-safe.ts';

export const TIMELINE_FORMATS = ['table', 'json', 'jsonl', 'csv', 'md'] as const;
export type TimelineFormat = (typeof TIMELINE_FORMATS)[number];

export type RowEncoder = { header: string; row(r: TimelineRow, index: number): string; footer(count: number): string };

const COLUMNS = ['eventTime', 'eventName', 'eventSource', 'origin', 'actorArn', 'accessKeyId', 'sourceIPAddress', 'userAgent', 'errorCode', 'awsRegion', 'accountId', 'resources', 'eventId'] as const;

function cell(r: TimelineRow, c: (typeof COLUMNS)[number]): string {
  const v = r[c];
  if (Array.isArray(v)) return v.join(' ');
  return v === null || v === undefined ? '' : String(v);
}

/**
 * A CSV cell that a spreadsheet will not evaluate: values starting with = + - @ tab or CR get a
 * leading apostrophe (OWASP's guidance), then the usual quoting.
 */
export function csvCell(value: string): string {
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) || guarded !== value ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** Markdown table cell: pipes, backslashes, backticks, HTML, entities and line breaks cannot break out of the cell. */
export function mdCell(value: string): string {
  return value
    // First, so an entity in the data ("&lt;") shows as typed instead of as the character it names.
    .replace(/&/g, '&amp;')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[`*_[\]]/g, (c) => `\\${c}`)
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n|\r/g, ' ');
}

export function encoderFor(format: TimelineFormat): RowEncoder {
  switch (format) {
    case 'csv':
      return { header: COLUMNS.join(',') + '\r\n', row: (r) => COLUMNS.map((c) => csvCell(cell(r, c))).join(',') + '\r\n', footer: () => '' };
    case 'jsonl':
      return { header: '', row: (r) => JSON.stringify(timesketchRecord(r)) + '\n', footer: () => '' };
    case 'json':
      return { header: '[', row: (r, i) => (i ? ',\n' : '\n') + JSON.stringify(r), footer: (n) => (n ? '\n]\n' : ']\n') };
    case 'md':
      return {
        header: '| Time (UTC) | Event | Who (origin) | Recorded identity | Source IP | Error | Resources |\n|---|---|---|---|---|---|---|\n',
        row: (r) => `| ${[r.eventTime, `${r.eventName} (${r.eventSource})`, r.origin ?? '', r.actorArn ?? '', r.sourceIPAddress ?? '', r.errorCode ?? '', r.resources.join(', ')].map(mdCell).join(' | ')} |\n`,
        footer: (n) => `\n${n} event${n === 1 ? '' : 's'}.\n`,
      };
    case 'table':
      return {
        header: `${'TIME'.padEnd(24)} ${'EVENT'.padEnd(34)} ${'ORIGIN'.padEnd(40)} ${'SOURCE IP'.padEnd(16)} ERROR\n`,
        row: (r) => `${r.eventTime.padEnd(24)} ${fit(r.eventName, 34)} ${fit(r.origin ?? r.actorArn ?? '-', 40)} ${fit(r.sourceIPAddress ?? '-', 16)} ${safe(r.errorCode ?? '')}\n`,
        footer: (n) => `${n} event${n === 1 ? '' : 's'}\n`,
      };
  }
}

function fit(s: string, n: number): string {
  const t = safe(s);
  return t.length > n ? `${t.slice(0, n - 1)}…` : t.padEnd(n);
}

/** Timesketch's JSONL import wants message, datetime and timestamp_desc (timestamp in µs is optional); the rest are attributes. */
export function timesketchRecord(r: TimelineRow): Record<string, unknown> {
  const who = r.origin ?? r.actorArn ?? 'unknown';
  return {
    message: `${r.eventName} by ${who}${r.sourceIPAddress ? ` from ${r.sourceIPAddress}` : ''}${r.errorCode ? ` failed: ${r.errorCode}` : ''}`,
    datetime: r.eventTime,
    timestamp: Date.parse(r.eventTime) * 1000,
    timestamp_desc: 'Event Time',
    data_type: 'aws:cloudtrail:event',
    event_id: r.eventId,
    event_name: r.eventName,
    event_source: r.eventSource,
    aws_region: r.awsRegion,
    account_id: r.accountId,
    identity_type: r.identityType,
    actor_arn: r.actorArn,
    access_key_id: r.accessKeyId,
    origin: r.origin,
    origin_kind: r.originKind,
    source_ip: r.sourceIPAddress,
    user_agent: r.userAgent,
    error_code: r.errorCode,
    read_only: r.readOnly,
    resources: r.resources,
  };
}
