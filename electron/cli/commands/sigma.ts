// trailscope sigma --case FILE (--load DIR | --remove DIR | --list) [--json]: Sigma rule folders stored
// in the case. A loaded folder's rules run with every `trailscope findings` and in the app (where
// `findings --rules DIR` runs a folder once without storing it).
import { EXIT_OK, UsageError, type CliCommand } from '../command.ts';
import { parseFlags, requireString } from '../parse-flags.ts';
import { openCaseForNotes } from '../annotation-target.ts';
import { openForQuery } from '../../core/analysis/open-for-query.ts';
import { loadSigmaIntoCase, removeSigmaFolder, sigmaFolders, SigmaFolderError } from '../../core/analysis/findings/sigma/case-sigma.ts';
import type { SigmaFolder } from '../../../shared/api/finding-decisions.ts';
import { safe } from '../../core/export/terminal-safe.ts';

function describe(f: SigmaFolder): string {
  const lines = [`${safe(f.folder)}: ${f.rules.length} rules loaded, ${f.rejected.length} not loaded (${f.loadedAt})`];
  for (const r of f.rejected) lines.push(`    ${safe(r.file)}: ${safe(r.reason)}`);
  return lines.join('\n') + '\n';
}

export const command: CliCommand = {
  name: 'sigma',
  summary: 'Store a folder of Sigma rules in the case (run by findings and the app from then on); --list, --remove DIR',
  usage: 'trailscope sigma --case FILE (--load DIR | --remove DIR | --list) [--json]',
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      case: { type: 'string' }, load: { type: 'string' }, remove: { type: 'string' }, list: { type: 'boolean', default: false }, json: { type: 'boolean', default: false },
    });
    const casePath = requireString(values.case, '--case FILE');
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    if ([values.load !== undefined, values.remove !== undefined, values.list].filter(Boolean).length !== 1) throw new UsageError('give one of --load DIR, --remove DIR or --list');
    const db = values.list ? openForQuery(casePath) : openCaseForNotes(casePath);
    try {
      if (values.list) {
        const list = sigmaFolders(db);
        io.stdout.write(values.json ? JSON.stringify(list) + '\n' : list.map(describe).join('') + `${list.length} folder${list.length === 1 ? '' : 's'}\n`);
      } else if (values.remove !== undefined) {
        io.stdout.write(removeSigmaFolder(db, values.remove) ? `removed ${safe(values.remove)}\n` : `no folder ${safe(values.remove)} in the case (--list names them)\n`);
      } else {
        let f: SigmaFolder;
        try {
          f = loadSigmaIntoCase(db, values.load!);
        } catch (e) {
          if (e instanceof SigmaFolderError) throw new UsageError(`--load: ${e.message}`);
          throw e;
        }
        io.stdout.write(values.json ? JSON.stringify(f) + '\n' : describe(f));
      }
      return EXIT_OK;
    } finally {
      db.close();
    }
  },
};
