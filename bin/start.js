#!/usr/bin/env node
// `npm start`: opens Trailscope on the bundled demo case. Builds what is missing or older than its
// sources, builds the demo case once (in the user's cache directory), then starts the desktop app
// where the Electron binary is installed, or says it is not and serves the same app in the browser instead.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, readFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';
import { freshBundle } from './fresh-bundle.js';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 15)) {
  process.stderr.write(`Trailscope needs Node.js 22.15 or newer (this is ${process.version}).\n`);
  process.exit(2);
}
register();

const root = fileURLToPath(new URL('..', import.meta.url));
const say = (line) => process.stderr.write(`${line}\n`);

function run(args, what) {
  say(`Building ${what}…`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    say(`Could not build ${what}.`);
    process.exit(1);
  }
}

/** The Electron binary if it is installed. */
function installedElectron() {
  const pathFile = join(root, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

/**
 * The Electron binary, downloading it once if it is missing (electron 45 fetches its runtime on first
 * use rather than at npm install). Offline the download fails within seconds and we fall back to
 * browser mode; a stalled network is cut off after two minutes. ELECTRON_SKIP_BINARY_DOWNLOAD=1 skips it.
 */
function electronBinary() {
  const installed = installedElectron();
  if (installed || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return installed;
  const installer = join(root, 'node_modules/electron/install.js');
  if (!existsSync(installer)) return null;
  say('Downloading the Electron runtime (once)…');
  const r = spawnSync(process.execPath, [installer], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
  if (r.status !== 0) {
    const why = r.error ? r.error.message : String(r.stderr ?? '').trim().split('\n')[0];
    say(`Could not download the Electron runtime (${why || 'no reason given'}).`);
    return null;
  }
  return installedElectron();
}

function cacheDir() {
  if (process.env.TRAILSCOPE_HOME) return process.env.TRAILSCOPE_HOME;
  const base = process.env.XDG_CACHE_HOME || (process.platform === 'darwin' ? join(homedir(), 'Library/Caches') : process.platform === 'win32' ? process.env.LOCALAPPDATA || join(homedir(), 'AppData/Local') : join(homedir(), '.cache'));
  return join(base, 'trailscope');
}

async function ensureDemoCase() {
  const dir = cacheDir();
  const casePath = join(dir, 'demo.case');
  if (existsSync(casePath)) return casePath;
  mkdirSync(dir, { recursive: true });
  const { openCase } = await import('../electron/core/db/open-case.ts');
  const { ingestPaths } = await import('../electron/core/ingest/pipeline.ts');
  const bundled = join(root, 'assets/demo');
  let inputs = existsSync(bundled) ? readdirSync(bundled).filter((n) => !/^(README|incident)/i.test(n)).map((n) => join(bundled, n)) : [];
  if (!inputs.length) {
    // No bundled data in this checkout: generate the same kind of account with the project's generator.
    const { generateAccount } = await import('../tools/gen/generate.ts');
    const out = join(dir, 'demo-data');
    rmSync(out, { recursive: true, force: true });
    say('Generating the demo account…');
    await generateAccount({ events: 20000, flows: 5000, out });
    rmSync(join(out, 'incident.json'), { force: true });
    inputs = [out];
  }
  say('Building the demo case (once)…');
  const partial = `${casePath}.building`;
  rmSync(partial, { force: true });
  const db = openCase(partial);
  const summary = await ingestPaths(db, inputs);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  renameSync(partial, casePath);
  say(`Demo case ready: ${summary.events} events, ${summary.flows} flow records (${casePath})`);
  return casePath;
}

if (!existsSync(join(root, 'dist/renderer/index.html'))) run([join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.config.ts'], 'the renderer');
const casePath = process.argv[2] ?? (await ensureDemoCase());
const electron = electronBinary();
if (electron) {
  if (!freshBundle('electron', 'main.cjs')) run(['--import', 'tsx', join(root, 'tools/build/bundles.ts'), 'desktop'], 'the desktop app');
  say('Opening the desktop app…');
  const child = spawn(electron, [join(root, 'dist/electron/main.cjs')], { stdio: 'inherit', env: { ...process.env, TRAILSCOPE_CASE: casePath } });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  say('The Electron desktop runtime is not available on this machine, so Trailscope starts in browser mode instead: open the URL below.');
  const cli = freshBundle('cli', 'trailscope.mjs');
  const { main } = await import(cli ? pathToFileURL(cli).href : '../electron/cli/main.ts');
  process.argv = [process.argv[0], process.argv[1], 'serve', '--case', casePath];
  await main();
}
