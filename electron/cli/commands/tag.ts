// trailscope tag --case FILE (--event EVENT_ID | --node ID | --finding ID | --flow KEY) (--tag T | --star) [--remove] [--author NAME]
import { EXIT_OK, UsageError, type CliCommand } from '../command.ts';
import { parseFlags, requireString } from '../parse-flags.ts';
import { TARGET_FLAGS, targetOf } from '../annotation-target.ts';
import { withCase } from '../case-service.ts';
import { SUGGESTED_TAGS } from '../../../shared/api/annotations.ts';
import { safe } from '../../core/export/terminal-safe.ts';

export const command: CliCommand = {
  name: 'tag',
  summary: `Tag or star an event, a node, a finding or a flow (${SUGGESTED_TAGS.join(', ')}, ATT&CK ids, or any word)`,
  usage: 'trailscope tag --case FILE (--event EVENT_ID | --node ID | --finding ID | --flow KEY) (--tag T | --star) [--remove] [--author NAME]',
  calls: ['notes:add', 'notes:remove'],
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      case: { type: 'string' }, ...TARGET_FLAGS, tag: { type: 'string' }, star: { type: 'boolean', default: false }, remove: { type: 'boolean', default: false }, author: { type: 'string' },
    });
    const casePath = requireString(values.case, '--case FILE');
    if ((values.tag === undefined) === !values.star) throw new UsageError('give either --tag T or --star');
    const target = targetOf(values);
    const kind = values.star ? 'star' : 'tag';
    return withCase(casePath, { writes: true, author: values.author }, async (invoke) => {
      if (values.remove) {
        const { removed } = await invoke('notes:remove', { ...target, kind, value: values.tag });
        io.stdout.write(removed ? `removed\n` : `nothing to remove\n`);
        return EXIT_OK;
      }
      const a = await invoke('notes:add', { ...target, kind, value: values.tag });
      io.stdout.write(`${kind === 'star' ? 'starred' : `tagged ${safe(a.value)}`}: ${a.target} ${safe(a.targetId)} by ${safe(a.author)} at ${a.at}\n`);
      return EXIT_OK;
    });
  },
};
