// trailscope actor --case FILE KEY|ARN|SESSION [--json]: the chain behind a key or session, and its activity.
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliCommand } from '../command.ts';
import { parseFlags, requireString } from '../parse-flags.ts';
import { closeMatches, withCase } from '../case-service.ts';
import { ServiceError } from '../../core/api/service.ts';
import { formatActorReport } from '../format/format-actor.ts';
import { formatUnknownId } from '../format/format-unknown.ts';

export const command: CliCommand = {
  name: 'actor',
  summary: 'Who is behind an access key, ARN or session: the chain to the origin and everything it did',
  usage: 'trailscope actor --case FILE KEY|ARN|SESSION|NAME [--json]',
  calls: ['actor:report', 'graph:search'],
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, { case: { type: 'string' }, json: { type: 'boolean', default: false } });
    const casePath = requireString(values.case, '--case FILE');
    if (positionals.length !== 1) throw new UsageError('give one access key, ARN or session name');
    return withCase(casePath, {}, async (invoke) => {
      try {
        // One run, not a panel refreshing: the window scans (denied bursts, sweeps) are worth their cost here.
        const report = await invoke('actor:report', { query: positionals[0], findings: 'all' });
        io.stdout.write(values.json ? JSON.stringify(report) + '\n' : formatActorReport(report));
        return EXIT_OK;
      } catch (err) {
        if (!(err instanceof ServiceError && err.kind === 'not-found')) throw err;
        const hits = await closeMatches(invoke, positionals[0]);
        io.stderr.write(formatUnknownId('actor', positionals[0], 'access key, ARN or session that acted', hits));
        return EXIT_FAILURE;
      }
    });
  },
};
