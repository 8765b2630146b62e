// The cases the graph benchmark opens: a workload of bench/workloads.ts generated WITHOUT configuration
// snapshots (the account issue 13 describes: CloudTrail and flow logs only, so every resource the graph
// shows comes from the calls), ingested once and kept under bench/out/. Preparing a million events
// takes tens of minutes (the worst case the longest); run it ahead of the benchmark:
//   node --import tsx bench/graph-cases.ts [--events N] [--workloads realistic,one-key-per-call]
import { execFileSync } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { casePath, generated, WORKLOAD_NAMES, type Workload } from './workloads.ts';

/** The ingested case of a workload without snapshots, and the generator's ground truth directory. */
export async function graphCase(workload: Workload, events: number): Promise<{ casePath: string; dataDir: string }> {
  const { dir } = await generated(workload, events, undefined, { config: false });
  const path = casePath(workload, events, { config: false });
  if (!existsSync(path)) {
    console.error(`ingesting ${events.toLocaleString('en-US')} events of ${workload} into ${path} (minutes)…`);
    // ingest-one writes the case from scratch; a run cut short leaves no half case behind under this
    // name because it is only reused once the process exits cleanly.
    execFileSync(process.execPath, ['--import', 'tsx', new URL('./ingest-one.ts', import.meta.url).pathname, '--data', dir, '--case', `${path}.part`], { stdio: ['ignore', 'ignore', 'inherit'] });
    renameSync(`${path}.part`, path);
  }
  return { casePath: path, dataDir: dir };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { events: { type: 'string', default: '1000000' }, workloads: { type: 'string', default: WORKLOAD_NAMES.join(',') } } });
  for (const w of values.workloads!.split(',') as Workload[]) {
    const t = performance.now();
    const { casePath: path } = await graphCase(w, Number(values.events));
    console.log(`${w}: ${path} ready (${((performance.now() - t) / 1000).toFixed(0)} s)`);
  }
}
