// trailscope sigma --case FILE (--load DIR | --remove DIR | --list) [--json]: Sigma rule folders stored
// in the case. A loaded folder's rules run with every `trailscope findings` and in the app (where
// `findings --rules DIR` runs a folder once without storing it).
import { EXIT_OK, UsageError, type CliCommand } from '../command.ts';
import { parseFlags, requireString } from '../parse-flags.ts';
import { withCase } from '../case-service.ts';
import type { SigmaFolder } from '../../../shared/api/finding-decisions.ts';
import { safe } from '../../core/export/terminal-safe.ts';

function describe(f: SigmaFolder): string {
  const lines = [`${safe(f.folder)}: ${f.rules.length} rules loaded, ${f.rejected.length} not loaded (${f.loadedAt})`];
  for (const r of f.rejected) lines.push(`    ${safe(r.file)}: ${safe(r.reason)}`);
  return lines.join('\n') + '\n';
}

export const command: CliCommand = {
  name: 'sigma',
  summary: 'Store a folder of Sigma rules in the case (run by findings and the app from then on); --list, --remove DIR',
  usage: 'trailscope sigma --case FILE (--load DIR | --remove DIR | --list) [--json]',
  calls: ['sigma:load', 'sigma:folders', 'sigma:remove'],
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      case: { type: 'string' }, load: { type: 'string' }, remove: { type: 'string' }, list: { type: 'boolean', default: false }, json: { type: 'boolean', default: false },
    });
    const casePath = requireString(values.case, '--case FILE');
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    if ([values.load !== undefined, values.remove !== undefined, values.list].filter(Boolean).length !== 1) throw new UsageError('give one of --load DIR, --remove DIR or --list');
    return withCase(casePath, { writes: !values.list }, async (invoke) => {
      if (values.list) {
        const list = await invoke('sigma:folders', {});
        io.stdout.write(values.json ? JSON.stringify(list) + '\n' : list.map(describe).join('') + `${list.length} folder${list.length === 1 ? '' : 's'}\n`);
      } else if (values.remove !== undefined) {
        const { removed } = await invoke('sigma:remove', { folder: values.remove });
        io.stdout.write(removed ? `removed ${safe(values.remove)}\n` : `no folder ${safe(values.remove)} in the case (--list names them)\n`);
      } else {
        // A folder that cannot be read is refused by the service as invalid input: a usage error naming it.
        const f = await invoke('sigma:load', { path: values.load! });
        io.stdout.write(values.json ? JSON.stringify(f) + '\n' : describe(f));
      }
      return EXIT_OK;
    });
  },
};
