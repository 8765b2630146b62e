// Builds the esbuild bundles Trailscope runs from, each with its worker threads beside it:
//   cli      dist/cli/trailscope.mjs (+ chunks), the `trailscope` command: ES modules split at the
//            dynamic imports, so a command loads only what it uses (the AWS SDK only for `pull`).
//   desktop  dist/electron/{main,preload}.cjs, CommonJS as Electron's main and sandboxed preload load it.
// Runs on `npm install` / `npm ci` (the `prepare` script) and `npm run build:cli` / `build:electron`.
// Each output folder gets a build-info.json listing the project files that went in: bin/fresh-bundle.js
// runs a bundle only while none of them has changed since. better-sqlite3 stays external (Node-API:
// the one binary in node_modules serves Node and Electron alike).
// node --import tsx tools/build/bundles.ts [cli] [desktop] [--outdir DIR (one target)] [--on-install]
// --on-install (the `prepare` script): a build that fails is a warning, not a failed install; the
// launchers then run the sources, and tools/build/bundles.test.ts fails loudly where it matters.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { builtinModules } from 'node:module';
import type { BuildOptions, Metafile, Plugin } from 'esbuild';
import { WORKER_SOURCES } from '../../electron/core/runtime-files.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export type Target = 'cli' | 'desktop';
export const OUTDIRS: Record<Target, string> = { cli: 'dist/cli', desktop: 'dist/electron' };
/** Lists the project files a bundle was built from, and when; bin/fresh-bundle.js reads it. */
export const BUILD_INFO = 'build-info.json';

const workerEntries = Object.fromEntries(Object.entries(WORKER_SOURCES).map(([name, source]) => [`${name}-worker`, source]));

/**
 * Node's built-ins through require() in the ES module bundle. An ES `import` of a built-in builds a
 * module facade that reads every export, and reading node:http's lazy ones loads undici: a quarter of
 * a second at each start for a fetch nothing here uses. require() hands over the object as it is.
 */
const builtinsByRequire: Plugin = {
  name: 'builtins-by-require',
  setup(b) {
    const names = new Set(builtinModules);
    b.onResolve({ filter: /^[a-z_:/0-9]+$/ }, (a) => {
      if (!names.has(a.path.replace(/^node:/, ''))) return undefined;
      // The stand-in's own require() is Node's (external); every other import goes to the stand-in.
      return a.namespace === 'builtin' ? { path: a.path, external: true } : { path: a.path, namespace: 'builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (a) => ({ contents: `module.exports = require(${JSON.stringify(a.path)});`, loader: 'js' }));
  },
};

function options(target: Target, outdir: string): BuildOptions {
  const common: BuildOptions = { bundle: true, platform: 'node', target: 'node22', sourcemap: false, logLevel: 'warning', absWorkingDir: ROOT, outdir, metafile: true };
  if (target === 'cli') {
    return {
      ...common,
      entryPoints: { trailscope: 'electron/cli/main.ts', ...workerEntries },
      format: 'esm',
      splitting: true,
      outExtension: { '.js': '.mjs' },
      // playwright-core finds its own files relative to itself: it runs from node_modules (the PDF report).
      external: ['better-sqlite3', 'playwright-core'],
      plugins: [builtinsByRequire],
      // Bundled CommonJS packages (the AWS SDK, yauzl) call require(); ES modules have none of their own.
      banner: { js: "import { createRequire as __tsCreateRequire } from 'node:module'; const require = __tsCreateRequire(import.meta.url);" },
    };
  }
  return {
    ...common,
    entryPoints: { main: 'electron/main/main.ts', preload: 'electron/preload/preload.ts', ...workerEntries },
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    external: ['electron', 'better-sqlite3', 'playwright-core'],
    // CommonJS has no import.meta: give each bundle its own file URL, which runtime-files.ts reads to find the workers.
    define: { 'import.meta': '__tsImportMeta' },
    banner: { js: "const __tsImportMeta = { url: require('node:url').pathToFileURL(__filename).href };" },
  };
}

/** Builds one target into its folder (or `outdir`), replacing what was there. */
export async function buildBundle(target: Target, outdir = OUTDIRS[target]): Promise<{ outdir: string; inputs: string[]; metafile: Metafile }> {
  const { build } = await import('esbuild');
  const dir = resolve(ROOT, outdir);
  // Gone first, written last: a launcher never takes a half-written folder for a built one.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const builtAt = Date.now();
  const result = await build(options(target, dir));
  const inputs = projectInputs(result.metafile!);
  writeFileSync(join(dir, BUILD_INFO), JSON.stringify({ target, builtAt, inputs }, null, 1) + '\n');
  return { outdir: dir, inputs, metafile: result.metafile! };
}

/**
 * Bundles a script (a benchmark's measured run) exactly as the CLI is bundled, its workers beside it,
 * so it measures the code `trailscope` runs rather than tsx's compilation of the sources (which wraps
 * every closure to keep its name: about a tenth more CPU on an ingest). Returns the script's path.
 */
export async function buildScript(entry: string, outdir: string): Promise<string> {
  const { build } = await import('esbuild');
  const dir = resolve(ROOT, outdir);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const name = basename(entry).replace(/\.ts$/, '');
  await build({ ...options('cli', dir), entryPoints: { [name]: entry, ...workerEntries } });
  return join(dir, `${name}.mjs`);
}

/** The repository's own files that went into a build (dependencies change only through npm install, which rebuilds). */
function projectInputs(meta: Metafile): string[] {
  // Inputs from other namespaces (builtin:node:fs) are not files.
  const files = Object.keys(meta.inputs).filter((f) => !f.includes(':') && !f.startsWith('..') && !f.includes('node_modules/'));
  return [...new Set([...files, 'package.json'])].map((f) => relative(ROOT, resolve(ROOT, f))).sort();
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { outdir: { type: 'string' }, 'on-install': { type: 'boolean', default: false } } });
  const targets = (positionals.length ? positionals : ['cli', 'desktop']) as Target[];
  for (const t of targets) if (!(t in OUTDIRS)) throw new Error(`unknown target ${t} (cli, desktop)`);
  if (values.outdir && targets.length !== 1) throw new Error('--outdir takes one target');
  try {
    await import('esbuild');
  } catch {
    // An install without dev dependencies: the launchers run the sources through tsx instead.
    console.error('esbuild is not installed: no bundles built; trailscope runs from its sources.');
    return;
  }
  for (const target of targets) {
    try {
      const { outdir, inputs } = await buildBundle(target, values.outdir);
      console.log(`built ${relative(ROOT, outdir)} (${target}, from ${inputs.length} project files)`);
    } catch (err) {
      if (!values['on-install']) throw err;
      console.error(`could not build the ${target} bundle (${err instanceof Error ? err.message : String(err)}): trailscope runs from its sources.`);
    }
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
