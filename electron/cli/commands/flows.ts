// trailscope flows --case FILE [--eni ID] [--ip IP] [--port N] [--from T] [--to T] [--window MIN] [--json]
import { EXIT_OK, type CliCommand } from '../command.ts';
import { accountsFlag, parseFlags, requireString, timeFlag, wholeNumber } from '../parse-flags.ts';
import { withCase } from '../case-service.ts';
import { formatFlows } from '../format/format-flows.ts';
import { safe } from '../../core/export/terminal-safe.ts';
import type { FlowsResult, RemoteAccessChain } from '../../../shared/engine-types.ts';

export const command: CliCommand = {
  name: 'flows',
  summary: 'Flow conversations, and each remote-access flow traced to the rule, the call that added it and its actor',
  usage: 'trailscope flows --case FILE [--eni ID | --instance ID] [--account ID[,ID…]]… [--ip IP] [--port N] [--from T] [--to T] [--window MINUTES] [--limit N] [--json]',
  calls: ['flows:list', 'flows:chains'],
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      case: { type: 'string' }, eni: { type: 'string' }, account: { type: 'string', multiple: true }, instance: { type: 'string' }, ip: { type: 'string' }, port: { type: 'string' }, from: { type: 'string' },
      to: { type: 'string' }, window: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean', default: false },
    });
    const casePath = requireString(values.case, '--case FILE');
    const ask = {
      eni: values.eni, accounts: accountsFlag(values.account), instance: values.instance, ip: values.ip, from: timeFlag(values.from, '--from'), to: timeFlag(values.to, '--to'),
      port: wholeNumber(values.port, '--port', 0, 65535), windowMinutes: wholeNumber(values.window, '--window', 1, 1440), limit: wholeNumber(values.limit, '--limit', 1, 5000),
    };
    const { list, chains } = await withCase(casePath, {}, async (invoke) => ({ list: await invoke('flows:list', ask), chains: await invoke('flows:chains', ask) }));
    const result: FlowsResult = { conversations: list.conversations, remoteAccess: chains };
    io.stdout.write(values.json ? JSON.stringify(result) + '\n' : withGroupLines(formatFlows(result), result));
    if (list.truncated) io.stderr.write(`only the first ${list.conversations.length} conversations: narrow with --eni, --ip, --port or --from/--to, or raise --limit\n`);
    return EXIT_OK;
  },
};

/** The interface's groups at the flow's moment, and where that is recorded. */
export function groupLine(c: RemoteAccessChain): string | null {
  const g = c.interfaceGroups;
  if (!g) return null;
  if (g.basis === 'none') {
    const best = c.rule ? `; the rule below is on ${safe(c.rule.groupId)}${c.rule.groupName ? ` (${safe(c.rule.groupName)})` : ''}` : '';
    return `  groups: not recorded at that moment${best}`;
  }
  const names = g.groups.map((x) => (x.name ? `${safe(x.groupId)} (${safe(x.name)})` : safe(x.groupId))).join(', ');
  const on = g.recordedOn && g.recordedOn !== g.interfaceId ? ` of ${safe(g.recordedOn)}` : '';
  const why = g.basis === 'event' && g.event ? `set by ${safe(g.event.eventName)} ${safe(g.event.eventId)} at ${g.event.eventTime}${on}` : `configuration snapshot${on}`;
  return `  groups: ${names}, ${why}`;
}

// formatFlows (core/export) does not print the interface's groups yet: each chain's line goes before its
// "rule:" line, chains being printed in order.
function withGroupLines(text: string, result: FlowsResult): string {
  let i = 0;
  return text.split('\n').flatMap((line) => {
    if (!line.startsWith('  rule:   ') || i >= result.remoteAccess.length) return [line];
    const extra = groupLine(result.remoteAccess[i++]);
    return extra ? [extra, line] : [line];
  }).join('\n');
}
