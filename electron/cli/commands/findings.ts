// trailscope findings --case FILE [--actor X] [--from T] [--to T] [--json]: compromise, recon,
// persistence and covering-tracks signals over the case, oldest first.
import { EXIT_OK, UsageError, type CliCommand } from '../command.ts';
import { parseFlags, requireString } from '../parse-flags.ts';
import { openForQuery } from '../../core/analysis/open-for-query.ts';
import { parseTime } from '../../core/analysis/prepared.ts';
import { findings } from '../../core/analysis/findings/findings.ts';
import { formatFindings } from '../../core/export/format-findings.ts';

export const command: CliCommand = {
  name: 'findings',
  summary: 'Signals of compromise: new source IPs/agents/regions per identity, denied bursts, persistence, logging stopped',
  usage: 'trailscope findings --case FILE [--actor KEY|ARN|ORIGIN] [--from TIME] [--to TIME] [--json]',
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      case: { type: 'string' }, actor: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean', default: false },
    });
    const casePath = requireString(values.case, '--case FILE');
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    for (const t of [values.from, values.to]) {
      if (t === undefined) continue;
      try {
        parseTime(t);
      } catch {
        throw new UsageError(`not a time: '${t}'`);
      }
    }
    const db = openForQuery(casePath);
    try {
      const r = findings(db, { actor: values.actor, from: values.from, to: values.to });
      io.stdout.write(values.json ? JSON.stringify(r) + '\n' : formatFindings(r));
      return EXIT_OK;
    } finally {
      db.close();
    }
  },
};
