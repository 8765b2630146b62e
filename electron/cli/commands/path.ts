// trailscope path --case FILE FROM TO [--max-hops N] [--json]: how FROM reached TO — the shortest and
// the earliest observed paths, each hop with its time and the event that shows it.
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliCommand } from '../command.ts';
import { parseFlags, requireString } from '../parse-flags.ts';
import { openForQuery } from '../../core/analysis/open-for-query.ts';
import { findPaths } from '../../core/analysis/graph/paths.ts';
import { formatPaths } from '../../core/export/format-paths.ts';
import { formatUnknownId } from '../../core/export/format-unknown.ts';
import { search } from '../../core/analysis/search/search.ts';

export const command: CliCommand = {
  name: 'path',
  summary: 'How one node reached another: shortest and earliest paths through keys, sessions, AssumeRole, calls and configuration',
  usage: 'trailscope path --case FILE FROM TO [--max-hops N] [--json]',
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, { case: { type: 'string' }, 'max-hops': { type: 'string' }, json: { type: 'boolean', default: false } });
    const casePath = requireString(values.case, '--case FILE');
    if (positionals.length !== 2) throw new UsageError('give two ids: FROM and TO (a person, key, session, address or resource)');
    const maxHops = values['max-hops'] === undefined ? undefined : Number(values['max-hops']);
    if (maxHops !== undefined && !(Number.isInteger(maxHops) && maxHops >= 1 && maxHops <= 12)) throw new UsageError('--max-hops takes a whole number from 1 to 12');
    const db = openForQuery(casePath);
    try {
      const r = findPaths(db, { from: positionals[0], to: positionals[1], maxHops });
      if (r.unknown.length) {
        for (const id of r.unknown) io.stderr.write(formatUnknownId('path', id, 'resource, principal, key or address', search(db, id, 8)));
        return EXIT_FAILURE;
      }
      io.stdout.write(values.json ? JSON.stringify(r) + '\n' : formatPaths(r));
      return r.shortest || r.earliest ? EXIT_OK : EXIT_FAILURE;
    } finally {
      db.close();
    }
  },
};
