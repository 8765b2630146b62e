// trailscope path --case FILE FROM TO [--max-hops N] [--json]: how FROM reached TO — the shortest and
// the earliest observed paths, each hop with its time and the event that shows it.
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliCommand } from '../command.ts';
import { parseFlags, requireString, wholeNumber } from '../parse-flags.ts';
import { closeMatches, withCase } from '../case-service.ts';
import { formatPaths } from '../format/format-paths.ts';
import { formatUnknownId } from '../format/format-unknown.ts';

export const command: CliCommand = {
  name: 'path',
  summary: 'How one node reached another: shortest and earliest paths through keys, sessions, AssumeRole, calls and configuration',
  usage: 'trailscope path --case FILE FROM TO [--max-hops N] [--json]',
  calls: ['graph:paths', 'graph:search'],
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, { case: { type: 'string' }, 'max-hops': { type: 'string' }, json: { type: 'boolean', default: false } });
    const casePath = requireString(values.case, '--case FILE');
    if (positionals.length !== 2) throw new UsageError('give two ids: FROM and TO (a person, key, session, address or resource)');
    const maxHops = wholeNumber(values['max-hops'], '--max-hops', 1, 12);
    return withCase(casePath, {}, async (invoke) => {
      const r = await invoke('graph:paths', { from: positionals[0], to: positionals[1], maxHops });
      if (r.unknown.length) {
        for (const id of r.unknown) io.stderr.write(formatUnknownId('path', id, 'resource, principal, key or address', await closeMatches(invoke, id)));
        return EXIT_FAILURE;
      }
      io.stdout.write(values.json ? JSON.stringify(r) + '\n' : formatPaths(r));
      return r.shortest || r.earliest ? EXIT_OK : EXIT_FAILURE;
    });
  },
};
