// trailscope suppress --case FILE (--rule ID [--actor ORIGIN] | --finding ID) --reason TEXT [--author NAME]
//                     | --remove N | --list [--json]
// The investigator's suppressions, stored in the case: `trailscope findings` and the app hide what
// they cover (`findings --suppressed` lists them).
import { EXIT_OK, UsageError, type CliCommand } from '../command.ts';
import { parseFlags, requireString } from '../parse-flags.ts';
import { withCase } from '../case-service.ts';
import type { FindingSuppression } from '../../../shared/api/finding-decisions.ts';
import type { CallInput } from '../../../shared/api/index.ts';
import { safe } from '../../core/export/terminal-safe.ts';

function line(s: FindingSuppression): string {
  const what = s.scope === 'finding' ? `finding ${safe(s.target)} marked as expected` : s.scope === 'rule' ? `rule ${safe(s.ruleId)}` : `rule ${safe(s.ruleId)} for ${safe(s.target)}`;
  return `#${s.id}  ${what}  by ${safe(s.author)} at ${s.at}: ${safe(s.reason)}\n`;
}

export const command: CliCommand = {
  name: 'suppress',
  summary: 'Suppress a rule (everywhere or for one actor) or mark a finding as expected, with a reason; --list, --remove N',
  usage: 'trailscope suppress --case FILE (--rule ID [--actor ORIGIN] | --finding ID) --reason TEXT [--author NAME] | --remove N | --list [--json]',
  calls: ['findings:suppress', 'findings:unsuppress', 'findings:suppressions'],
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      case: { type: 'string' }, rule: { type: 'string' }, actor: { type: 'string' }, finding: { type: 'string' }, reason: { type: 'string' },
      author: { type: 'string' }, remove: { type: 'string' }, list: { type: 'boolean', default: false }, json: { type: 'boolean', default: false },
    });
    const casePath = requireString(values.case, '--case FILE');
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const modes = [values.list, values.remove !== undefined, values.rule !== undefined || values.finding !== undefined].filter(Boolean).length;
    if (modes !== 1) throw new UsageError('give one of --rule ID, --finding ID, --remove N or --list');
    if (values.list) {
      const list = await withCase(casePath, {}, (invoke) => invoke('findings:suppressions', {}));
      if (values.json) io.stdout.write(JSON.stringify(list) + '\n');
      else {
        for (const s of list) io.stdout.write(line(s));
        io.stdout.write(`${list.length} suppression${list.length === 1 ? '' : 's'}\n`);
      }
      return EXIT_OK;
    }
    if (values.remove !== undefined) {
      const id = Number(values.remove);
      if (!Number.isSafeInteger(id) || id < 1) throw new UsageError(`--remove: not a suppression number: '${values.remove}'`);
      const { removed } = await withCase(casePath, { writes: true }, (invoke) => invoke('findings:unsuppress', { id }));
      io.stdout.write(removed ? `removed #${id}\n` : `no suppression #${id}\n`);
      return EXIT_OK;
    }
    if (values.rule !== undefined && values.finding !== undefined) throw new UsageError('give --rule or --finding, not both');
    if (values.finding !== undefined && values.actor !== undefined) throw new UsageError('--actor goes with --rule');
    const reason = requireString(values.reason, '--reason TEXT');
    let ask: CallInput<'findings:suppress'>;
    if (values.finding !== undefined) {
      // A finding id is `rule@eventID` (see finding-ids.ts): the rule is recorded with it.
      const at = values.finding.lastIndexOf('@');
      if (at < 1) throw new UsageError(`--finding: '${values.finding}' is not a finding id (rule@eventID, as trailscope findings prints it)`);
      ask = { scope: 'finding', ruleId: values.finding.slice(0, at), target: values.finding, reason };
    } else {
      ask = { scope: values.actor !== undefined ? 'rule-actor' : 'rule', ruleId: values.rule!, target: values.actor, reason };
    }
    const s = await withCase(casePath, { writes: true, author: values.author }, (invoke) => invoke('findings:suppress', ask));
    io.stdout.write(values.json ? JSON.stringify(s) + '\n' : `suppressed ${line(s)}`);
    return EXIT_OK;
  },
};
