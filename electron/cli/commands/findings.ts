// trailscope findings --case FILE [--actor X] [--from T] [--to T] [--rules DIR] [--suppressed] [--json]:
// incidents and their findings (built-in rules, the Sigma rules stored in the case by `trailscope
// sigma`, plus those of DIR for this run), with blind windows, highest score first. Suppressed findings
// (`trailscope suppress`) are hidden and counted; --suppressed lists them last.
import { statSync } from 'node:fs';
import { EXIT_OK, UsageError, type CliCommand } from '../command.ts';
import { accountsFlag, parseFlags, requireString } from '../parse-flags.ts';
import { openForQuery } from '../../core/analysis/open-for-query.ts';
import { parseTime } from '../../core/analysis/prepared.ts';
import { findings } from '../../core/analysis/findings/findings.ts';
import { loadSigmaFolder } from '../../core/analysis/findings/sigma/load-sigma.ts';
import { formatFindings } from '../format/format-findings.ts';

export const command: CliCommand = {
  name: 'findings',
  summary: 'Incidents and findings: exposure, escalation, persistence, evasion, exfiltration, impact, new addresses; Sigma rules with --rules',
  usage: 'trailscope findings --case FILE [--actor KEY|ARN|ORIGIN] [--account ID[,ID…]]… [--from TIME] [--to TIME] [--rules SIGMA_DIR] [--suppressed] [--json]',
  calls: [],
  mirrors: { calls: ['findings:list', 'case:blindWindows'], why: 'runs the Sigma rules of a folder given on the command line for this run only' },
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      case: { type: 'string' }, actor: { type: 'string' }, account: { type: 'string', multiple: true }, from: { type: 'string' }, to: { type: 'string' }, rules: { type: 'string' }, suppressed: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
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
    let extra;
    if (values.rules !== undefined) {
      let isDir = false;
      try {
        isDir = statSync(values.rules).isDirectory();
      } catch {
        isDir = false;
      }
      if (!isDir) throw new UsageError(`--rules: '${values.rules}' is not a folder`);
      extra = loadSigmaFolder(values.rules);
    }
    const accounts = accountsFlag(values.account);
    const db = openForQuery(casePath);
    try {
      const r = findings(db, { actor: values.actor, accounts, from: values.from, to: values.to, includeSuppressed: values.suppressed }, extra);
      io.stdout.write(values.json ? JSON.stringify(r) + '\n' : formatFindings(r));
      return EXIT_OK;
    } finally {
      db.close();
    }
  },
};
