// trailscope timeline --case FILE [filters] [--sort COLUMN [--desc]] [--format table|json|jsonl|csv|md] [--out FILE]
// The rows are the app's (`timeline:page`, the same filter and the same exclusive `--to`; sorted by
// another column, `timeline:sorted`), written with the encoders of the app's export; the CLI streams
// any number of pages where the app's export stops at its answer ceiling.
import { createWriteStream } from 'node:fs';
import { EXIT_OK, UsageError, type CliCommand } from '../command.ts';
import { accountsFlag, parseFlags, requireString, timeFlag } from '../parse-flags.ts';
import { withCase } from '../case-service.ts';
import { encoderFor, TIMELINE_FORMATS, type TimelineFormat } from '../../core/export/timeline-formats.ts';
import type { TimelineFilterInput } from '../../../shared/api/index.ts';
import type { TimelinePage, TimelineRow } from '../../../shared/engine-types.ts';
import type { Invoke } from '../../core/api/service.ts';
import type { SortColumn, SortedTimelinePage } from '../../../shared/api/timeline-sort.ts';
import { safe } from '../../core/export/terminal-safe.ts';

const PAGE_ROWS = 1000;

// --sort names as a user types them, for the columns the workbench's heads sort by.
const SORT_FLAGS: Record<string, SortColumn> = { event: 'eventName', actor: 'actor', ip: 'sourceIPAddress', agent: 'userAgent', error: 'errorCode' };

export const command: CliCommand = {
  name: 'timeline',
  summary: 'Filtered events in time order (or sorted by a column) as a table, JSON, Timesketch JSONL, CSV or Markdown',
  usage:
    'trailscope timeline --case FILE [--actor X] [--account ID[,ID…]]… [--resource R] [--event NAME] [--ip IP] [--from T] [--to T (exclusive)] [--errors] [--writes-only] [--text Q] [--query Q] [--sort event|actor|ip|agent|error [--desc]] [--format table|json|jsonl|csv|md] [--out FILE]',
  calls: ['timeline:page', 'timeline:sorted'],
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      case: { type: 'string' }, actor: { type: 'string' }, account: { type: 'string', multiple: true }, resource: { type: 'string' }, event: { type: 'string' }, ip: { type: 'string' },
      from: { type: 'string' }, to: { type: 'string' }, errors: { type: 'boolean', default: false }, 'writes-only': { type: 'boolean', default: false },
      text: { type: 'string' }, query: { type: 'string' }, sort: { type: 'string' }, desc: { type: 'boolean', default: false }, format: { type: 'string', default: 'table' }, out: { type: 'string' },
    });
    const casePath = requireString(values.case, '--case FILE');
    const format = values.format as TimelineFormat;
    if (!TIMELINE_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${TIMELINE_FORMATS.join(', ')}`);
    const by = values.sort === undefined ? undefined : SORT_FLAGS[values.sort];
    if (values.sort !== undefined && !by) throw new UsageError(`--sort must be one of ${Object.keys(SORT_FLAGS).join(', ')} (time order is the default)`);
    if (values.desc && !by) throw new UsageError('--desc reverses a --sort column');
    // A record of the incident holds every call; the workbench hides read-only ones until asked.
    const filter: TimelineFilterInput = {
      actor: values.actor, accounts: accountsFlag(values.account), resource: values.resource, eventName: values.event, ip: values.ip, from: timeFlag(values.from, '--from'), to: timeFlag(values.to, '--to'),
      errorsOnly: values.errors, text: values.text, query: values.query, includeReadOnly: !values['writes-only'],
    };
    return withCase(casePath, {}, async (invoke) => {
      const pages = by ? sortedPages(invoke, filter, by, values.desc) : timePages(invoke, filter);
      // The first page before the file is created: a mistake in a filter or query is said before anything is written.
      let page = await pages.next();
      const out = values.out ? createWriteStream(values.out) : io.stdout;
      const enc = encoderFor(format, filter);
      let n = 0;
      try {
        await write(out, enc.header);
        while (!page.done && !io.signal.aborted) {
          let chunk = '';
          for (const { marks, ...row } of page.value) chunk += enc.row(row, n++, marks);
          await write(out, chunk);
          page = await pages.next();
        }
        await write(out, enc.footer(n));
      } finally {
        if (values.out) await new Promise<void>((resolve) => (out as NodeJS.WritableStream).end(() => resolve()));
      }
      if (values.out) io.stderr.write(`${n} events written to ${safe(values.out)}\n`);
      return EXIT_OK;
    });
  },
};

async function* timePages(invoke: Invoke, filter: TimelineFilterInput): AsyncGenerator<TimelineRow[]> {
  let cursor: string | null = null;
  do {
    const page: TimelinePage = await invoke('timeline:page', { filter, cursor, limit: PAGE_ROWS });
    yield page.rows;
    cursor = page.nextCursor;
  } while (cursor);
}

async function* sortedPages(invoke: Invoke, filter: TimelineFilterInput, by: SortColumn, descending: boolean): AsyncGenerator<TimelineRow[]> {
  let offset: number | null = 0;
  do {
    const page: SortedTimelinePage = await invoke('timeline:sorted', { filter, by, descending, offset, limit: PAGE_ROWS });
    yield page.rows;
    offset = page.nextOffset;
  } while (offset !== null);
}

/** Writes honouring backpressure, so a million rows to a slow pipe never pile up in memory. */
function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!text) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const ok = out.write(text, (err) => (err ? reject(err) : undefined));
    if (ok) resolve();
    else out.once('drain', () => resolve());
  });
}
