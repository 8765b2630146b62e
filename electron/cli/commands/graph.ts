// trailscope graph --case FILE [--at TIME [--snap]] [--node ID | --overview] [--json]: the account at a
// moment, one node's neighbourhood, or the folded overview the app opens on for a large case.
// --snap moves --at to the nearest event, as the app's time slider does.
import { EXIT_OK, UsageError, type CliCommand } from '../command.ts';
import { parseFlags, requireString } from '../parse-flags.ts';
import { openForQuery } from '../../core/analysis/open-for-query.ts';
import { parseTime } from '../../core/analysis/prepared.ts';
import { graphAt, neighbourhood } from '../../core/analysis/graph/graph-at.ts';
import { formatGraph } from '../../core/export/format-graph.ts';
import { graphOverview } from '../../core/analysis/graph/overview.ts';
import { nearestEvents } from '../../core/analysis/graph/event-times.ts';

export const command: CliCommand = {
  name: 'graph',
  summary: 'Resources, principals and relations valid at a moment, with event counts (or one node\'s neighbourhood, or the folded overview)',
  usage: 'trailscope graph --case FILE [--at TIME [--snap]] [--node ID | --overview] [--json]',
  async run(argv, io) {
    const { values } = parseFlags(argv, { case: { type: 'string' }, at: { type: 'string' }, node: { type: 'string' }, overview: { type: 'boolean', default: false }, snap: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } });
    if (values.node && values.overview) throw new UsageError('--node and --overview ask different questions: give one');
    if (values.snap && values.at === undefined) throw new UsageError('--snap moves --at to the nearest event: give --at TIME');
    const casePath = requireString(values.case, '--case FILE');
    if (values.at !== undefined) {
      try {
        parseTime(values.at);
      } catch {
        throw new UsageError(`not a time: '${values.at}'`);
      }
    }
    const db = openForQuery(casePath);
    try {
      const at = values.snap ? (nearestEvents(db, values.at!).nearest ?? values.at!) : (values.at ?? null);
      const g = values.node ? neighbourhood(db, { nodeId: values.node, at }) : values.overview ? graphOverview(db, { at }) : graphAt(db, { at });
      io.stdout.write(values.json ? JSON.stringify(g) + '\n' : formatGraph(g));
      return EXIT_OK;
    } finally {
      db.close();
    }
  },
};
