// THIN EXPORT (workbench-owned, see report): the current timeline selection as CSV, JSONL
// (Timesketch's fields: message, datetime, timestamp_desc) or Markdown, used until the engine's
// exporters (electron/core/export) are present. Cells are escaped for their format; CSV cells that
// a spreadsheet would run as a formula are prefixed with a quote.
import type { CaseDb } from '../../db/open-case.ts';
import type { TimelineFilterInput } from '../../../../shared/api/index.ts';
import type { ExportResult } from '../../../../shared/api/types.ts';
import type { TimelineRow } from '../../../../shared/engine-types.ts';
import { timelinePage } from './timeline-query.ts';

const MAX_ROWS = 200_000;
const COLUMNS = ['eventTime', 'eventName', 'eventSource', 'awsRegion', 'accountId', 'actorArn', 'accessKeyId', 'sourceIPAddress', 'userAgent', 'errorCode', 'eventId'] as const;

function rowsOf(db: CaseDb, filter: TimelineFilterInput): TimelineRow[] {
  const rows: TimelineRow[] = [];
  let cursor: string | null = null;
  do {
    const page = timelinePage(db, filter, cursor, 1000);
    rows.push(...page.rows);
    cursor = page.nextCursor;
  } while (cursor && rows.length < MAX_ROWS);
  return rows;
}

function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function mdCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return s.replace(/[\\`*_{}[\]<>()#+\-!|]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

export function exportTimeline(db: CaseDb, filter: TimelineFilterInput, format: 'csv' | 'jsonl' | 'markdown'): ExportResult {
  const rows = rowsOf(db, filter);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  if (format === 'csv') {
    const lines = [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => csvCell(r[c])).join(','))];
    return { filename: `timeline-${stamp}.csv`, mime: 'text/csv', content: lines.join('\r\n') + '\r\n', rows: rows.length };
  }
  if (format === 'jsonl') {
    const lines = rows.map((r) =>
      JSON.stringify({
        message: `${r.eventName} by ${r.actorArn ?? 'unknown'}${r.errorCode ? ` (${r.errorCode})` : ''}`,
        datetime: r.eventTime,
        timestamp_desc: 'Event Time',
        ...r,
      }),
    );
    return { filename: `timeline-${stamp}.jsonl`, mime: 'application/x-ndjson', content: lines.join('\n') + (lines.length ? '\n' : ''), rows: rows.length };
  }
  const header = `| ${COLUMNS.join(' | ')} |\n|${COLUMNS.map(() => ' --- ').join('|')}|\n`;
  const body = rows.map((r) => `| ${COLUMNS.map((c) => mdCell(r[c])).join(' | ')} |`).join('\n');
  return { filename: `timeline-${stamp}.md`, mime: 'text/markdown', content: `# Timeline\n\n${rows.length} events\n\n${header}${body}\n`, rows: rows.length };
}
