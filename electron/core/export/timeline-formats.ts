// Timeline exports: CSV (formula-injection safe), Timesketch JSONL, Markdown, JSON and a terminal table.
// Each format is a header, a row encoder and a footer, so a million rows stream page by page.
// Rows arrive with their long fields clipped (shared/api/bounds.ts): the text formats show a clipped
// field as its start and "… (N bytes)"; JSON keeps the row's `clipped` sizes, and Timesketch JSONL
// lists them as `clipped_bytes` (field → UTF-8 size of the full value). The full record stays in the
// case: the details view's "Show all" or `event:field` returns it.
// The investigator's marks on an event (star, tags, comments with author and time) travel with it:
// CSV columns starred/tags/notes, Timesketch's own `tag` list and a `comment` list, a Markdown column.
import type { TimelineRow } from '../../../shared/engine-types.ts';
import type { TimelineFilterInput } from '../../../shared/api/index.ts';
import type { Marks } from '../../../shared/api/annotations.ts';
import { shownValue } from '../../../shared/api/bounds.ts';
import { safe } from './terminal-safe.ts';

export const TIMELINE_FORMATS = ['table', 'json', 'jsonl', 'csv', 'md'] as const;
export type TimelineFormat = (typeof TIMELINE_FORMATS)[number];

export type RowEncoder = { header: string; row(r: TimelineRow, index: number, marks?: Marks): string; footer(count: number, truncated?: boolean): string };

const COLUMNS = ['eventTime', 'eventName', 'eventSource', 'origin', 'actorArn', 'accessKeyId', 'sourceIPAddress', 'userAgent', 'errorCode', 'awsRegion', 'accountId', 'resources', 'eventId'] as const;
const MARK_COLUMNS = ['starred', 'tags', 'notes'] as const;

/** A comment as one line of text: author, time, text. */
export function noteLine(n: Marks['notes'][number]): string {
  return `${n.author} (${n.at}): ${n.text}`;
}

function markCells(m: Marks | undefined): string[] {
  return [m?.starred ? 'yes' : '', (m?.tags ?? []).join(' '), (m?.notes ?? []).map(noteLine).join('\n')];
}

/** The Markdown cell of an event's marks: ★, #tags, then each comment. */
function marksText(m: Marks | undefined): string {
  if (!m) return '';
  return [m.starred ? '★' : '', ...m.tags.map((t) => `#${t}`), ...m.notes.map(noteLine)].filter(Boolean).join('; ');
}

/** A field as text: a clipped one shows its start and its full size; resources name how many were left out. */
export function shown(r: TimelineRow, c: keyof TimelineRow, separator = ' '): string {
  if (c === 'resources') return r.resources.join(separator) + (r.resourceCount ? ` … (${r.resourceCount} resources)` : '');
  const v = r[c];
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? shownValue(v, r.clipped?.[c]) ?? '' : String(v);
}

/**
 * A CSV cell that a spreadsheet will not evaluate: values starting with = + - @ tab or CR get a
 * leading apostrophe (OWASP's guidance), and every cell is quoted. Quoting every cell matters where
 * a spreadsheet splits on `;` (semicolon locales): a line that starts with a quote stays one text
 * cell there, while an unquoted `aws-cli;=1+1` would become a formula after its `;`
 * (csv-spreadsheet.test.ts checks both with LibreOffice).
 */
export function csvCell(value: string): string {
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${guarded.replace(/"/g, '""')}"`;
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

// The filter behind a Markdown export (as the app and the CLI ask it, shared/api), said above its
// table: a reader of the report sees what was left out (a flat table alone reads as "everything").
const FILTER_WORDS: [keyof TimelineFilterInput, string][] = [
  ['query', 'query'], ['text', 'text'], ['actor', 'actor'], ['resource', 'resource'], ['node', 'node'], ['eventName', 'event name'], ['ip', 'source IP'],
  ['from', 'from'], ['to', 'before'],
];

export function describeFilter(f: TimelineFilterInput): string {
  const parts = FILTER_WORDS.filter(([k]) => typeof f[k] === 'string' && f[k] !== '').map(([k, word]) => `${word} "${String(f[k])}"`);
  if (f.errorsOnly) parts.push('errors only');
  if (!f.includeReadOnly) parts.push('read-only calls hidden');
  return parts.length ? parts.join('; ') : 'none (every event of the case)';
}

export function encoderFor(format: TimelineFormat, filter: TimelineFilterInput = { includeReadOnly: true }): RowEncoder {
  switch (format) {
    case 'csv':
      return {
        // The marks follow the time: a row then ends as it always did, with the record's own
        // columns (csv-spreadsheet.test.ts checks LibreOffice's reading of that tail).
        header: [COLUMNS[0], ...MARK_COLUMNS, ...COLUMNS.slice(1)].map(csvCell).join(',') + '\r\n',
        row: (r, _i, m) => [shown(r, COLUMNS[0]), ...markCells(m), ...COLUMNS.slice(1).map((c) => shown(r, c))].map(csvCell).join(',') + '\r\n',
        footer: () => '',
      };
    case 'jsonl':
      return { header: '', row: (r, _i, m) => JSON.stringify(timesketchRecord(r, m)) + '\n', footer: () => '' };
    case 'json':
      return { header: '[', row: (r, i, m) => (i ? ',\n' : '\n') + JSON.stringify(exportedRow(r, m)), footer: (n) => (n ? '\n]\n' : ']\n') };
    case 'md':
      return {
        header: `Filters: ${mdCell(describeFilter(filter))}\n\n| Time (UTC) | Event | Who (origin) | Recorded identity | Source IP | Error | Resources | Notes |\n|---|---|---|---|---|---|---|---|\n`,
        row: (r, _i, m) => `| ${[r.eventTime, `${shown(r, 'eventName')} (${shown(r, 'eventSource')})`, shown(r, 'origin'), shown(r, 'actorArn'), shown(r, 'sourceIPAddress'), shown(r, 'errorCode'), shown(r, 'resources', ', '), marksText(m)].map(mdCell).join(' | ')} |\n`,
        footer: (n, truncated) => `\n${n} event${n === 1 ? '' : 's'}${truncated ? ' (the export stops here: it reached its size limit; `trailscope timeline --format md --out FILE` writes all of them)' : ''}.\n`,
      };
    case 'table':
      return {
        header: ` ${'TIME'.padEnd(24)} ${'EVENT'.padEnd(34)} ${'ORIGIN'.padEnd(40)} ${'SOURCE IP'.padEnd(16)} ERROR\n`,
        row: (r, _i, m) => `${m?.starred ? '*' : ' '}${r.eventTime.padEnd(24)} ${fit(shown(r, 'eventName'), 34)} ${fit(shown(r, r.origin !== null ? 'origin' : 'actorArn') || '-', 40)} ${fit(shown(r, 'sourceIPAddress') || '-', 16)} ${safe(shown(r, 'errorCode'))}${m?.tags.length ? ` [${safe(m.tags.join(' '))}]` : ''}\n`,
        footer: (n) => `${n} event${n === 1 ? '' : 's'}\n`,
      };
  }
}

/**
 * A row as the JSON export writes it: without its row id, which only this case file knows (two ingests
 * of the same evidence number their events differently); the eventID names the event anywhere.
 */
function exportedRow(r: TimelineRow, m: Marks | undefined): Omit<TimelineRow, 'id'> {
  const { id: _caseRow, ...row } = r;
  return m ? { ...row, marks: m } : row;
}

function fit(s: string, n: number): string {
  const t = safe(s);
  return t.length > n ? `${t.slice(0, n - 1)}…` : t.padEnd(n);
}

/** Timesketch's JSONL import wants message, datetime and timestamp_desc (timestamp in µs is optional); the rest are attributes. */
export function timesketchRecord(r: TimelineRow, m?: Marks): Record<string, unknown> {
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
    ...(r.resourceCount ? { resource_count: r.resourceCount } : {}),
    // Timesketch reads `tag` as the event's tags (a star is its 'starred' tag) and shows `comment` as its comments.
    ...(m ? { tag: [...(m.starred ? ['starred'] : []), ...m.tags], comment: m.notes.map(noteLine) } : {}),
    ...(r.clipped ? { clipped_bytes: Object.fromEntries(Object.entries(r.clipped).map(([k, n]) => [TIMESKETCH_NAMES[k] ?? k, n])) } : {}),
  };
}

const TIMESKETCH_NAMES: Record<string, string> = {
  eventId: 'event_id', eventName: 'event_name', eventSource: 'event_source', awsRegion: 'aws_region', accountId: 'account_id',
  identityType: 'identity_type', actorArn: 'actor_arn', accessKeyId: 'access_key_id', origin: 'origin', sourceIPAddress: 'source_ip',
  userAgent: 'user_agent', errorCode: 'error_code',
};
