// trailscope timeline --case FILE [filters] [--format table|json|jsonl|csv|md] [--out FILE]
// The rows are the app's (`timeline:page`, the same filter and the same exclusive `--to`), written with
// the encoders of the app's export; the CLI streams any number of pages where the app's export stops
// at its answer ceiling.
import { createWriteStream } from 'node:fs';
import { EXIT_OK, UsageError, type CliCommand } from '../command.ts';
import { accountsFlag, parseFlags, requireString, timeFlag } from '../parse-flags.ts';
import { withCase } from '../case-service.ts';
import { encoderFor, TIMELINE_FORMATS, type TimelineFormat } from '../../core/export/timeline-formats.ts';
import type { TimelineFilterInput } from '../../../shared/api/index.ts';
import { safe } from '../../core/export/terminal-safe.ts';

const PAGE_ROWS = 1000;

export const command: CliCommand = {
  name: 'timeline',
  summary: 'Filtered, time-ordered events as a table, JSON, Timesketch JSONL, CSV or Markdown',
  usage:
    'trailscope timeline --case FILE [--actor X] [--account ID[,ID…]]… [--resource R] [--event NAME] [--ip IP] [--from T] [--to T (exclusive)] [--errors] [--writes-only] [--text Q] [--query Q] [--format table|json|jsonl|csv|md] [--out FILE]',
  calls: ['timeline:page'],
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      case: { type: 'string' }, actor: { type: 'string' }, account: { type: 'string', multiple: true }, resource: { type: 'string' }, event: { type: 'string' }, ip: { type: 'string' },
      from: { type: 'string' }, to: { type: 'string' }, errors: { type: 'boolean', default: false }, 'writes-only': { type: 'boolean', default: false },
      text: { type: 'string' }, query: { type: 'string' }, format: { type: 'string', default: 'table' }, out: { type: 'string' },
    });
    const casePath = requireString(values.case, '--case FILE');
    const format = values.format as TimelineFormat;
    if (!TIMELINE_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${TIMELINE_FORMATS.join(', ')}`);
    // A record of the incident holds every call; the workbench hides read-only ones until asked.
    const filter: TimelineFilterInput = {
      actor: values.actor, accounts: accountsFlag(values.account), resource: values.resource, eventName: values.event, ip: values.ip, from: timeFlag(values.from, '--from'), to: timeFlag(values.to, '--to'),
      errorsOnly: values.errors, text: values.text, query: values.query, includeReadOnly: !values['writes-only'],
    };
    return withCase(casePath, {}, async (invoke) => {
      // The first page before the file is created: a mistake in a filter or query is said before anything is written.
      let page = await invoke('timeline:page', { filter, limit: PAGE_ROWS });
      const out = values.out ? createWriteStream(values.out) : io.stdout;
      const enc = encoderFor(format, filter);
      let n = 0;
      try {
        await write(out, enc.header);
        for (;;) {
          let chunk = '';
          for (const { marks, ...row } of page.rows) chunk += enc.row(row, n++, marks);
          await write(out, chunk);
          if (!page.nextCursor || io.signal.aborted) break;
          page = await invoke('timeline:page', { filter, cursor: page.nextCursor, limit: PAGE_ROWS });
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

/** Writes honouring backpressure, so a million rows to a slow pipe never pile up in memory. */
function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!text) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const ok = out.write(text, (err) => (err ? reject(err) : undefined));
    if (ok) resolve();
    else out.once('drain', () => resolve());
  });
}
