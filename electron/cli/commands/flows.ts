// trailscope flows --case FILE [--eni ID] [--ip IP] [--port N] [--from T] [--to T] [--window MIN] [--json]
import { EXIT_OK, UsageError, type CliCommand } from '../command.ts';
import { parseFlags, requireString } from '../parse-flags.ts';
import { openForQuery } from '../../core/analysis/open-for-query.ts';
import { flows } from '../../core/analysis/flows/flows-query.ts';
import { formatFlows } from '../../core/export/format-flows.ts';

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
      io.stdout.write(values.json ? JSON.stringify(result) + '\n' : formatFlows(result));
      return EXIT_OK;
    } finally {
      db.close();
    }
  },
};
