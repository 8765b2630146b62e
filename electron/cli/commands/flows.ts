// trailscope flows --case FILE [--eni ID] [--ip IP] [--port N] [--from T] [--to T] [--window MIN] [--json]
import { EXIT_OK, UsageError, type CliCommand } from '../command.ts';
import { parseFlags, requireString } from '../parse-flags.ts';
import { openForQuery } from '../../core/analysis/open-for-query.ts';
import { flows } from '../../core/analysis/flows/flows-query.ts';
import { formatFlows } from '../../core/export/format-flows.ts';
import { safe } from '../../core/export/terminal-safe.ts';
import type { FlowsResult, RemoteAccessChain } from '../../../shared/engine-types.ts';

export const command: CliCommand = {
  name: 'flows',
  summary: 'Flow conversations, and each remote-access flow traced to the rule, the call that added it and its actor',
  usage: 'trailscope flows --case FILE [--eni ID] [--ip IP] [--port N] [--from T] [--to T] [--window MINUTES] [--json]',
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      case: { type: 'string' }, eni: { type: 'string' }, ip: { type: 'string' }, port: { type: 'string' }, from: { type: 'string' },
      to: { type: 'string' }, window: { type: 'string' }, json: { type: 'boolean', default: false },
    });
    const casePath = requireString(values.case, '--case FILE');
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new UsageError('--port must be 0 to 65535');
    const windowMinutes = values.window === undefined ? undefined : Number(values.window);
    if (windowMinutes !== undefined && !(windowMinutes > 0)) throw new UsageError('--window must be a positive number of minutes');
    const db = openForQuery(casePath);
    try {
      const result = flows(db, { eni: values.eni, ip: values.ip, port, from: values.from, to: values.to, windowMinutes });
      io.stdout.write(values.json ? JSON.stringify(result) + '\n' : withGroupLines(formatFlows(result), result));
      return EXIT_OK;
    } finally {
      db.close();
    }
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
