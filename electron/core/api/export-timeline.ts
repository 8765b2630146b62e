// The current timeline selection (the workbench's filters, read-only switch included) written with
// the engine's encoders (electron/core/export/timeline-formats.ts), so exports from the app and
// from `trailscope timeline --format` are the same bytes for the same rows.
import type { CaseDb } from '../db/open-case.ts';
import type { TimelineFilterInput } from '../../../shared/api/index.ts';
import type { ExportResult } from '../../../shared/api/types.ts';
import { encoderFor } from '../export/timeline-formats.ts';
import { timelinePage } from './adapters/timeline.ts';
import { EXPORT_CHARS } from '../../../shared/api/bounds.ts';

// Exports travel back over IPC/HTTP as one string: past EXPORT_CHARS characters (or this many rows)
// the export stops, says so, and the user turns to the CLI, which streams any size to a file.
const MAX_ROWS = 200_000;

const FORMATS = {
  csv: { engine: 'csv', ext: 'csv', mime: 'text/csv' },
  jsonl: { engine: 'jsonl', ext: 'jsonl', mime: 'application/x-ndjson' },
  markdown: { engine: 'md', ext: 'md', mime: 'text/markdown' },
} as const;

export function exportTimeline(db: CaseDb, filter: TimelineFilterInput, format: keyof typeof FORMATS, maxChars = EXPORT_CHARS): ExportResult {
  const f = FORMATS[format];
  const enc = encoderFor(f.engine, filter);
  const parts = [enc.header];
  let size = enc.header.length;
  let n = 0;
  let cursor: string | null = null;
  let truncated = false;
  do {
    const page = timelinePage(db, filter, cursor, 1000);
    for (const r of page.rows) {
      // The adapter's page carries each row's marks.
      const { marks, ...row } = r;
      const line = enc.row(row, n, marks);
      if (size + line.length > maxChars || n >= MAX_ROWS) {
        truncated = true;
        break;
      }
      parts.push(line);
      size += line.length;
      n++;
    }
    cursor = page.nextCursor;
  } while (cursor && !truncated);
  parts.push(enc.footer(n, truncated));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return { filename: `trailscope-timeline-${stamp}.${f.ext}`, mime: f.mime, content: parts.join(''), rows: n, truncated };
}
