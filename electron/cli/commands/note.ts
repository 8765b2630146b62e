// trailscope note --case FILE (--event EVENT_ID | --node ID | --finding ID | --flow KEY) --text TEXT [--author NAME]
import { EXIT_OK, type CliCommand } from '../command.ts';
import { parseFlags, requireString } from '../parse-flags.ts';
import { TARGET_FLAGS, targetOf } from '../annotation-target.ts';
import { withCase } from '../case-service.ts';
import { safe } from '../../core/export/terminal-safe.ts';

export const command: CliCommand = {
  name: 'note',
  summary: 'Add a comment to an event, a node, a finding or a flow (with author and time)',
  usage: 'trailscope note --case FILE (--event EVENT_ID | --node ID | --finding ID | --flow KEY) --text TEXT [--author NAME]',
  calls: ['notes:add'],
  async run(argv, io) {
    const { values } = parseFlags(argv, { case: { type: 'string' }, ...TARGET_FLAGS, text: { type: 'string' }, author: { type: 'string' } });
    const casePath = requireString(values.case, '--case FILE');
    const text = requireString(values.text, '--text TEXT');
    const target = targetOf(values);
    const a = await withCase(casePath, { writes: true, author: values.author }, (invoke) => invoke('notes:add', { ...target, kind: 'note', value: text }));
    io.stdout.write(`note ${a.id} on ${a.target} ${safe(a.targetId)} by ${safe(a.author)} at ${a.at}\n`);
    return EXIT_OK;
  },
};
