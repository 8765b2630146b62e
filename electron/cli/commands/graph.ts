// trailscope graph --case FILE [--at TIME] [--account ID[,ID…]]… [--node ID] [--json]: the account at a moment, or one node's neighbourhood.
import { EXIT_OK, type CliCommand } from '../command.ts';
import { accountsFlag, parseFlags, requireString, timeFlag, wholeNumber } from '../parse-flags.ts';
import { withCase } from '../case-service.ts';
import { formatGraph } from '../format/format-graph.ts';

export const command: CliCommand = {
  name: 'graph',
  summary: 'Resources, principals and relations valid at a moment, with event counts (or one node\'s neighbourhood)',
  usage: 'trailscope graph --case FILE [--at TIME] [--node ID [--depth 1-3]] [--limit N] [--json]',
  calls: ['graph:at', 'graph:neighbours'],
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      case: { type: 'string' }, at: { type: 'string' }, account: { type: 'string', multiple: true }, node: { type: 'string' }, depth: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean', default: false },
    });
    const casePath = requireString(values.case, '--case FILE');
    const at = timeFlag(values.at, '--at');
    const depth = wholeNumber(values.depth, '--depth', 1, 3);
    const limit = wholeNumber(values.limit, '--limit', 1, 20000);
    const g = await withCase(casePath, {}, (invoke) =>
      values.node ? invoke('graph:neighbours', { id: values.node, at, depth }) : invoke('graph:at', { at, limit, accounts: accountsFlag(values.account) }),
    );
    io.stdout.write(values.json ? JSON.stringify(g) + '\n' : formatGraph(g));
    return EXIT_OK;
  },
};
