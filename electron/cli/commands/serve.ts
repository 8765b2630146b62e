// trailscope serve --case FILE [--port N] [--open VIEW]: browser mode. The built renderer and the API
// on 127.0.0.1 only, behind a random token carried by the printed URL; --open prints the link to a
// saved view (its state in the URL's fragment, which the page restores).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliCommand } from '../command.ts';
import { parseFlags, requireString } from '../parse-flags.ts';
import { openWorkbench } from '../../core/api/open-workbench.ts';
import { startServer } from '../../server/http-server.ts';
import { safe } from '../../core/export/terminal-safe.ts';
import { RENDERER_DIR } from '../../core/runtime-files.ts';
import { openForQuery } from '../../core/analysis/open-for-query.ts';
import { getView, listViews } from '../../core/views/saved-views.ts';

export const command: CliCommand = {
  name: 'serve',
  summary: 'Open a case in the browser: the workbench on 127.0.0.1 behind a one-time token',
  usage: 'trailscope serve --case FILE [--port N] [--renderer DIR] [--open VIEW]',
  // The app itself: every call of the contract, over the loopback server.
  calls: [],
  async run(argv, io) {
    const { values } = parseFlags(argv, { case: { type: 'string' }, port: { type: 'string' }, renderer: { type: 'string' }, open: { type: 'string' } });
    const casePath = resolve(requireString(values.case, '--case FILE'));
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, not '${values.port}'`);
    let fragment = '';
    if (values.open !== undefined) {
      const db = openForQuery(casePath);
      try {
        const view = getView(db, values.open);
        if (!view) {
          const names = listViews(db).map((v) => safe(v.name));
          io.stderr.write(`trailscope serve: no saved view called ${safe(values.open)}${names.length ? ` (saved views: ${names.join(', ')})` : ' (the case has no saved views)'}\n`);
          return EXIT_FAILURE;
        }
        fragment = view.state ? `#${view.state}` : '';
      } finally {
        db.close();
      }
    }
    const staticDir = resolve(values.renderer ?? RENDERER_DIR);
    if (!existsSync(resolve(staticDir, 'index.html'))) {
      io.stderr.write(`trailscope serve: the renderer is not built (${safe(staticDir)}); run \`npm run build:renderer\` first\n`);
      return EXIT_FAILURE;
    }
    const log = (line: string) => io.stderr.write(`${line}\n`);
    const workbench = openWorkbench(casePath, { log });
    const server = await startServer({ dispatch: workbench.dispatch, staticDir, port, log });
    io.stdout.write(`Trailscope is serving ${safe(casePath)}\nOpen ${server.url}${fragment}\n(Ctrl-C to stop)\n`);
    await new Promise<void>((done) => {
      if (io.signal.aborted) return done();
      io.signal.addEventListener('abort', () => done(), { once: true });
    });
    await server.close();
    await workbench.close();
    return EXIT_OK;
  },
};
