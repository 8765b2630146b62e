// trailscope who-changed --case FILE ID|ARN [--json]: every mutating call on a resource, with its actor.
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliCommand } from '../command.ts';
import { parseFlags, requireString } from '../parse-flags.ts';
import { closeMatches, withCase } from '../case-service.ts';
import { formatWhoChanged } from '../format/format-who-changed.ts';
import { formatUnknownId } from '../format/format-unknown.ts';

export const command: CliCommand = {
  name: 'who-changed',
  summary: 'Every change to a resource in time order: who (resolved to the origin), from where, and what changed',
  usage: 'trailscope who-changed --case FILE ID|ARN [--json]',
  calls: ['history:forResource', 'graph:search'],
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, { case: { type: 'string' }, json: { type: 'boolean', default: false } });
    const casePath = requireString(values.case, '--case FILE');
    if (positionals.length !== 1) throw new UsageError('give one resource id or ARN');
    return withCase(casePath, {}, async (invoke) => {
      const result = await invoke('history:forResource', { resourceId: positionals[0] });
      if (result.known === false) {
        // An id the case has never seen is a typo or the wrong case, not "0 changes".
        const hits = await closeMatches(invoke, positionals[0]);
        io.stderr.write(formatUnknownId('who-changed', positionals[0], 'resource, principal, key or address', hits));
        return EXIT_FAILURE;
      }
      io.stdout.write(values.json ? JSON.stringify(result) + '\n' : formatWhoChanged(result));
      return EXIT_OK;
    });
  },
};
