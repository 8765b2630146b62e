// trailscope views --case FILE [--json] [--save NAME --state TEXT] [--remove NAME]: the case's saved
// views (named workbench states). `trailscope serve --case FILE --open NAME` prints the link that opens one.
import { EXIT_OK, UsageError, type CliCommand } from '../command.ts';
import { parseFlags, requireString } from '../parse-flags.ts';
import { withCase } from '../case-service.ts';
import { safe } from '../../core/export/terminal-safe.ts';

export const command: CliCommand = {
  name: 'views',
  summary: 'List, save or remove the saved views of a case (open one with `serve --open NAME`)',
  usage: 'trailscope views --case FILE [--json] [--save NAME --state TEXT] [--remove NAME]',
  calls: ['views:list', 'views:save', 'views:remove'],
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      case: { type: 'string' }, json: { type: 'boolean', default: false }, save: { type: 'string' }, state: { type: 'string' }, remove: { type: 'string' },
    });
    const casePath = requireString(values.case, '--case FILE');
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    if (values.save !== undefined && values.remove !== undefined) throw new UsageError('use --save or --remove, not both');
    if (values.state !== undefined && values.save === undefined) throw new UsageError('--state goes with --save NAME');
    if (values.save !== undefined) {
      const state = requireString(values.state, '--state TEXT (the part of a workbench URL after #)');
      const v = await withCase(casePath, { writes: true }, (invoke) => invoke('views:save', { name: values.save!, state }));
      io.stdout.write(`saved view ${safe(v.name)}: #${safe(v.state)}\n`);
      return EXIT_OK;
    }
    if (values.remove !== undefined) {
      const { removed } = await withCase(casePath, { writes: true }, (invoke) => invoke('views:remove', { name: values.remove! }));
      io.stdout.write(removed ? `removed view ${safe(values.remove)}\n` : `no view called ${safe(values.remove)}\n`);
      return EXIT_OK;
    }
    const views = await withCase(casePath, {}, (invoke) => invoke('views:list', {}));
    if (values.json) io.stdout.write(JSON.stringify(views) + '\n');
    else {
      for (const v of views) io.stdout.write(`${safe(v.name)}  ${v.at}  ${safe(v.author)}  #${safe(v.state)}\n`);
      io.stdout.write(`${views.length} saved view${views.length === 1 ? '' : 's'}\n`);
    }
    return EXIT_OK;
  },
};
