// trailscope actor --case FILE KEY|ARN|SESSION [--json]: the chain behind a key or session, and its activity.
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliCommand } from '../command.ts';
import { parseFlags, requireString } from '../parse-flags.ts';
import { openForQuery } from '../../core/analysis/open-for-query.ts';
import { actorReport } from '../../core/analysis/attribution/actor-report.ts';
import { formatActorReport } from '../../core/export/format-actor.ts';
import { formatUnknownId } from '../../core/export/format-unknown.ts';
import { search } from '../../core/analysis/search/search.ts';

export const command: CliCommand = {
  name: 'actor',
  summary: 'Who is behind an access key, ARN or session: the chain to the origin and everything it did',
  usage: 'trailscope actor --case FILE KEY|ARN|SESSION [--json]',
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, { case: { type: 'string' }, json: { type: 'boolean', default: false } });
    const casePath = requireString(values.case, '--case FILE');
    if (positionals.length !== 1) throw new UsageError('give one access key, ARN or session name');
    const db = openForQuery(casePath);
    try {
      // One run, not a panel refreshing: the window scans (denied bursts, sweeps) are worth their cost here.
      const report = actorReport(db, positionals[0], { findings: 'all' });
      if (!report) {
        io.stderr.write(formatUnknownId('actor', positionals[0], 'access key, ARN or session that acted', search(db, positionals[0], 8)));
        return EXIT_FAILURE;
      }
      io.stdout.write(values.json ? JSON.stringify(report) + '\n' : formatActorReport(report));
      return EXIT_OK;
    } finally {
      db.close();
    }
  },
};
