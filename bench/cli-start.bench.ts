// npm run bench:cli: how long the `trailscope` command takes, process start included, as a user runs
// it: `trailscope --help` (target 250 ms) and `who-changed` on the 1,000,000-event case of the typical
// workload (target 400 ms), from the built bundle (dist/cli) and, for comparison, from the sources
// through tsx. The first run is reported apart (right after a build nothing is cached yet); then the
// median (typical) and the slowest (worst) of --runs, and with hyperfine installed the mean CPU time
// of a run, which a machine busy with other work inflates far less than wall time. Rebuilds the
// bundle when it is stale; ingests the case (minutes) when bench:ingest has not left it in bench/out/.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freshBundle, ROOT } from '../bin/fresh-bundle.js';
import { casePath, existingData, generated } from './workloads.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, events: { type: 'string', default: '1000000' } } });
const runs = Number(values.runs);
const events = Number(values.events);
const CLI = join(ROOT, 'bin/trailscope.js');

if (!freshBundle('cli', 'trailscope.mjs')) {
  console.log('building the CLI bundle (npm run build:cli)…');
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'tools/build/bundles.ts'), 'cli'], { stdio: 'inherit' });
}
const data = existingData('realistic', events) ?? (await generated('realistic', events)).dir;
const target = casePath('realistic', events);
if (!existsSync(target)) {
  console.log(`ingesting ${events.toLocaleString('en-US')} events into ${target} (minutes)…`);
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/ingest-one.ts'), '--data', data, '--case', target], { stdio: ['ignore', 'ignore', 'inherit'] });
}
const group = JSON.parse(readFileSync(join(data, 'incident.json'), 'utf8')).openPort.groupId as string;

/** Wall time of one run, from spawn to exit, in ms. */
function once(argv: string[], env: NodeJS.ProcessEnv): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 24 });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
  return ms;
}

/** hyperfine, when installed, also reports the CPU time each run took: the figure that holds on a busy machine. */
const hyperfine = spawnSync('hyperfine', ['--version']).status === 0;

function measure(name: string, target: number | null, argv: string[], env: NodeJS.ProcessEnv = {}, n = runs): void {
  const first = once(argv, env);
  let times: number[];
  let cpu = '';
  if (hyperfine) {
    const dir = mkdtempSync(join(tmpdir(), 'trailscope-bench-cli-'));
    const json = join(dir, 'runs.json');
    const r = spawnSync('hyperfine', ['-N', '--runs', String(n), '--export-json', json, [process.execPath, ...argv].map((a) => `'${a}'`).join(' ')], { env: { ...process.env, ...env }, stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`hyperfine failed on ${argv.join(' ')}`);
    const result = JSON.parse(readFileSync(json, 'utf8')).results[0];
    rmSync(dir, { recursive: true, force: true });
    times = (result.times as number[]).map((t) => t * 1000).sort((a, b) => a - b);
    cpu = `  CPU ${((result.user + result.system) * 1000).toFixed(0).padStart(4)} ms`;
  } else {
    times = Array.from({ length: n }, () => once(argv, env)).sort((a, b) => a - b);
  }
  const median = times[Math.floor(times.length / 2)];
  const worst = times[times.length - 1];
  const verdict = target === null ? '' : `  target ${target} ms ${median <= target ? 'ok' : 'MISSED'}${worst <= target ? '' : ' (worst over)'}`;
  console.log(`${name.padEnd(48)} first ${first.toFixed(0).padStart(5)} ms  median ${median.toFixed(0).padStart(5)} ms  worst ${worst.toFixed(0).padStart(5)} ms${cpu}${verdict}`);
}

const who = ['who-changed', '--case', target, group];
const million = events.toLocaleString('en-US');
console.log(`\nprocess start included, ${runs} runs each (from sources: 3)`);
measure('node -e 0 (Node itself, for scale)', null, ['-e', '0']);
measure('trailscope --help (bundle)', 250, [CLI, '--help']);
measure(`trailscope who-changed, ${million} events (bundle)`, 400, [CLI, ...who]);
measure('trailscope --help (sources, tsx)', null, [CLI, '--help'], { TRAILSCOPE_FROM_SOURCES: '1' }, 3);
measure(`trailscope who-changed, ${million} events (sources)`, null, [CLI, ...who], { TRAILSCOPE_FROM_SOURCES: '1' }, 3);
