// trailscope findings --case FILE [--actor X] [--from T] [--to T] [--rules DIR] [--suppressed] [--offset N] [--limit N] [--json]:
// incidents and their findings (built-in rules, the Sigma rules stored in the case by `trailscope
// sigma`, plus those of DIR for this run), with blind windows, highest score first. Suppressed findings
// (`trailscope suppress`) are hidden and counted; --suppressed lists them last. The findings are the
// case's stored ones (findings:list), a page at a time; a case that has none yet (made by an older
// version) gets them computed and stored by this first ask, hence the case is opened for writing.
import { statSync } from 'node:fs';
import { EXIT_OK, UsageError, type CliCommand } from '../command.ts';
import { accountsFlag, parseFlags, requireString, timeFlag, wholeNumber } from '../parse-flags.ts';
import { withCase } from '../case-service.ts';
import { openForQuery } from '../../core/analysis/open-for-query.ts';
import { listFindingsWith, type FindingsQuery } from '../../core/analysis/findings/findings-list.ts';
import { loadSigmaFolder } from '../../core/analysis/findings/sigma/load-sigma.ts';
import { FINDINGS_PAGE_MAX } from '../../../shared/api/bounds.ts';
import { formatFindings } from '../format/format-findings.ts';

export const command: CliCommand = {
  name: 'findings',
  summary: 'Incidents and findings: exposure, escalation, persistence, evasion, exfiltration, impact, new addresses; Sigma rules with --rules',
  usage: 'trailscope findings --case FILE [--actor KEY|ARN|ORIGIN] [--account ID[,ID…]]… [--from TIME] [--to TIME] [--rules SIGMA_DIR] [--suppressed] [--offset N] [--limit N] [--json]',
  calls: ['findings:list'],
  mirrors: { calls: ['findings:list', 'case:blindWindows'], why: 'runs the Sigma rules of a folder given on the command line for this run only (--rules)' },
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      case: { type: 'string' }, actor: { type: 'string' }, account: { type: 'string', multiple: true }, from: { type: 'string' }, to: { type: 'string' }, rules: { type: 'string' }, suppressed: { type: 'boolean', default: false },
      offset: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean', default: false },
    });
    const casePath = requireString(values.case, '--case FILE');
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    // The terminal reads incidents whole (a page of them); --json keeps the list's own order, oldest first.
    const ask: FindingsQuery = {
      actor: values.actor, accounts: accountsFlag(values.account), from: timeFlag(values.from, '--from'), to: timeFlag(values.to, '--to'), includeSuppressed: values.suppressed,
      offset: wholeNumber(values.offset, '--offset', 0, 10_000_000), limit: wholeNumber(values.limit, '--limit', 1, FINDINGS_PAGE_MAX), order: values.json ? 'time' : 'incident',
    };
    let r;
    if (values.rules !== undefined) {
      let isDir = false;
      try {
        isDir = statSync(values.rules).isDirectory();
      } catch {
        isDir = false;
      }
      if (!isDir) throw new UsageError(`--rules: '${values.rules}' is not a folder`);
      const extra = loadSigmaFolder(values.rules);
      const db = openForQuery(casePath);
      try {
        r = listFindingsWith(db, ask, extra);
      } finally {
        db.close();
      }
    } else {
      r = await withCase(casePath, { writes: true }, (invoke) => invoke('findings:list', ask));
    }
    io.stdout.write(values.json ? JSON.stringify(r) + '\n' : formatFindings(r));
    return EXIT_OK;
  },
};
