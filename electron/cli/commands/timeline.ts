// trailscope timeline --case FILE [filters] [--format table|json|jsonl|csv|md] [--out FILE]
import { createWriteStream } from 'node:fs';
import { EXIT_OK, UsageError, type CliCommand } from '../command.ts';
import { parseFlags, requireString } from '../parse-flags.ts';
import { openForQuery } from '../../core/analysis/open-for-query.ts';
import { parseTime } from '../../core/analysis/prepared.ts';
import { writeTimeline } from '../../core/export/write-timeline.ts';
import { TIMELINE_FORMATS, type TimelineFormat } from '../../core/export/timeline-formats.ts';
import type { TimelineFilter } from '../../../shared/engine-types.ts';
import { safe } from '../../core/export/terminal-safe.ts';
import { QueryError, compileTimelineQuery } from '../../core/analysis/timeline/timeline-query-language.ts';

export const command: CliCommand = {
  name: 'timeline',
  summary: 'Filtered, time-ordered events as a table, JSON, Timesketch JSONL, CSV or Markdown',
  usage: 'trailscope timeline --case FILE [--actor X] [--resource R] [--event NAME] [--ip IP] [--from T] [--to T] [--errors] [--text Q] [--query Q] [--format table|json|jsonl|csv|md] [--out FILE]',
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      case: { type: 'string' }, actor: { type: 'string' }, resource: { type: 'string' }, event: { type: 'string' }, ip: { type: 'string' },
      from: { type: 'string' }, to: { type: 'string' }, errors: { type: 'boolean', default: false }, text: { type: 'string' }, query: { type: 'string' },
      format: { type: 'string', default: 'table' }, out: { type: 'string' },
    });
    const casePath = requireString(values.case, '--case FILE');
    const format = values.format as TimelineFormat;
    if (!TIMELINE_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${TIMELINE_FORMATS.join(', ')}`);
    for (const t of [values.from, values.to]) {
      if (t === undefined) continue;
      try {
        parseTime(t);
      } catch {
        throw new UsageError(`not a time: '${t}' (use ISO 8601, e.g. 2024-08-01T12:00:00Z)`);
      }
    }
    const filter: TimelineFilter = {
      actor: values.actor, resource: values.resource, eventName: values.event, ip: values.ip, from: values.from, to: values.to,
      errorsOnly: values.errors, text: values.text, query: values.query,
    };
    const db = openForQuery(casePath);
    // A query with a mistake is a usage error that says where, before anything is written.
    try {
      if (values.query) compileTimelineQuery(db, values.query);
    } catch (err) {
      db.close();
      if (err instanceof QueryError) throw new UsageError(`--query: ${err.message}`);
      throw err;
    }
    const out = values.out ? createWriteStream(values.out) : io.stdout;
    try {
      const n = await writeTimeline(db, filter, format, out, io.signal);
      if (values.out) io.stderr.write(`${n} events written to ${safe(values.out)}\n`);
      return EXIT_OK;
    } finally {
      db.close();
      if (values.out) await new Promise<void>((resolve) => (out as NodeJS.WritableStream).end(() => resolve()));
    }
  },
};
