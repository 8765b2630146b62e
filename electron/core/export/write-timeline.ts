// Streams a filtered timeline to a writable in one format, page by page, honouring backpressure.
import type { Writable } from 'node:stream';
import type { TimelineFilter } from '../../../shared/engine-types.ts';
import type { CaseDb } from '../db/open-case.ts';
import { timelineRows } from '../analysis/timeline/timeline-query.ts';
import { encoderFor, type TimelineFormat } from './timeline-formats.ts';
import { marksFor } from '../annotations/annotations.ts';

export async function writeTimeline(db: CaseDb, filter: TimelineFilter, format: TimelineFormat, out: NodeJS.WritableStream | Writable, signal?: AbortSignal): Promise<number> {
  const enc = encoderFor(format, filter);
  let n = 0;
  await write(out, enc.header);
  for (const page of timelineRows(db, filter)) {
    if (signal?.aborted) break;
    let chunk = '';
    const marks = marksFor(db, 'event', page.map((r) => r.eventId));
    for (const r of page) chunk += enc.row(r, n++, marks.get(r.eventId));
    await write(out, chunk);
  }
  await write(out, enc.footer(n));
  return n;
}

function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!text) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const ok = out.write(text, (err) => (err ? reject(err) : undefined));
    if (ok) resolve();
    else out.once('drain', () => resolve());
  });
}
