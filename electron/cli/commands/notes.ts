// trailscope notes --case FILE [--event … | --node … | --finding … | --flow …] [--search TEXT] [--json]:
// the investigator's annotations in the order they were written.
import { EXIT_OK, UsageError, type CliCommand } from '../command.ts';
import { parseFlags, requireString } from '../parse-flags.ts';
import { TARGET_FLAGS } from '../annotation-target.ts';
import { withCase } from '../case-service.ts';
import { safe } from '../../core/export/terminal-safe.ts';
import type { AnnotationTarget } from '../../../shared/api/annotations.ts';

export const command: CliCommand = {
  name: 'notes',
  summary: 'List the stars, tags and comments of the case in the order they were written',
  usage: 'trailscope notes --case FILE [--event EVENT_ID | --node ID | --finding ID | --flow KEY] [--search TEXT] [--json]',
  calls: ['notes:list'],
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, { case: { type: 'string' }, ...TARGET_FLAGS, search: { type: 'string' }, json: { type: 'boolean', default: false } });
    const casePath = requireString(values.case, '--case FILE');
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const given = (['event', 'node', 'finding', 'flow'] as const).filter((k) => values[k] !== undefined);
    if (given.length > 1) throw new UsageError('name at most one target');
    const target: AnnotationTarget | undefined = given[0];
    const list = await withCase(casePath, {}, (invoke) => invoke('notes:list', { target, targetId: target ? values[target] : undefined, text: values.search }));
    if (values.json) io.stdout.write(JSON.stringify(list) + '\n');
    else {
      for (const a of list) {
        const what = a.kind === 'star' ? '★ starred' : a.kind === 'tag' ? `#${safe(a.value)}` : safe(a.value);
        io.stdout.write(`${a.at}  ${safe(a.author)}  ${a.target} ${safe(a.targetId)}  ${what}\n`);
      }
      io.stdout.write(`${list.length} annotation${list.length === 1 ? '' : 's'}\n`);
    }
    return EXIT_OK;
  },
};
