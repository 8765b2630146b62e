// trailscope graph --case FILE [--at TIME [--snap]] [--account ID[,ID…]]… [--node ID | --overview] [--json]:
// the account at a moment, one node's neighbourhood, or the folded overview the app opens on for a
// large case. --snap moves --at to the nearest event, as the app's time slider does.
import { EXIT_OK, UsageError, type CliCommand } from '../command.ts';
import { accountsFlag, parseFlags, requireString, timeFlag, wholeNumber } from '../parse-flags.ts';
import { withCase } from '../case-service.ts';
import { formatGraph } from '../format/format-graph.ts';

export const command: CliCommand = {
  name: 'graph',
  summary: 'Resources, principals and relations valid at a moment, with event counts (or one node\'s neighbourhood, or the folded overview)',
  usage: 'trailscope graph --case FILE [--at TIME [--snap]] [--account ID]… [--node ID [--depth 1-3] | --overview] [--limit N] [--json]',
  calls: ['graph:at', 'graph:neighbours', 'graph:overview', 'graph:nearestEvent'],
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      case: { type: 'string' }, at: { type: 'string' }, snap: { type: 'boolean', default: false }, account: { type: 'string', multiple: true },
      node: { type: 'string' }, overview: { type: 'boolean', default: false }, depth: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean', default: false },
    });
    if (values.node && values.overview) throw new UsageError('--node and --overview ask different questions: give one');
    if (values.snap && values.at === undefined) throw new UsageError('--snap moves --at to the nearest event: give --at TIME');
    const casePath = requireString(values.case, '--case FILE');
    const asked = timeFlag(values.at, '--at');
    const depth = wholeNumber(values.depth, '--depth', 1, 3);
    const limit = wholeNumber(values.limit, '--limit', 1, 20000);
    const accounts = accountsFlag(values.account);
    const g = await withCase(casePath, {}, async (invoke) => {
      const at = values.snap && asked ? ((await invoke('graph:nearestEvent', { at: asked })).nearest ?? asked) : asked;
      if (values.node) return invoke('graph:neighbours', { id: values.node, at, depth });
      if (values.overview) return invoke('graph:overview', { at, accounts });
      return invoke('graph:at', { at, limit, accounts });
    });
    io.stdout.write(values.json ? JSON.stringify(g) + '\n' : formatGraph(g));
    return EXIT_OK;
  },
};
