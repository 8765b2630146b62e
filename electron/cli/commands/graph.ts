// trailscope graph --case FILE [--at TIME] [--node ID] [--json]: the account at a moment, or one node's neighbourhood.
import { EXIT_OK, UsageError, type CliCommand } from '../command.ts';
import { parseFlags, requireString } from '../parse-flags.ts';
import { openForQuery } from '../../core/analysis/open-for-query.ts';
import { parseTime } from '../../core/analysis/prepared.ts';
import { graphAt, neighbourhood } from '../../core/analysis/graph/graph-at.ts';
import { formatGraph } from '../../core/export/format-graph.ts';

export const command: CliCommand = {
  name: 'graph',
  summary: 'Resources, principals and relations valid at a moment, with event counts (or one node\'s neighbourhood)',
  usage: 'trailscope graph --case FILE [--at TIME] [--node ID] [--json]',
  async run(argv, io) {
    const { values } = parseFlags(argv, { case: { type: 'string' }, at: { type: 'string' }, node: { type: 'string' }, json: { type: 'boolean', default: false } });
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
      const g = values.node ? neighbourhood(db, { nodeId: values.node, at: values.at ?? null }) : graphAt(db, { at: values.at ?? null });
      io.stdout.write(values.json ? JSON.stringify(g) + '\n' : formatGraph(g));
      return EXIT_OK;
    } finally {
      db.close();
    }
  },
};
