// The search box's server cost on a large case (issue 10, item 6: an answer in 300 ms on a million
// events): `graph:search` through the service, as the CLI and the app make it, each query on a fresh
// read-only connection (cold: nothing prepared or cached by SQLite) and then again on the same one
// (warm). CPU time of this process (process.cpuUsage) beside the wall time, and the load average.
// Queries: the workbench benchmark's four (a prefix with many hits, the leaked key, the attacker's
// address, a user name) and substrings: a fragment inside keys, inside role names, one nothing holds
// (every table searched to the end), a two-character one. Then `case:info` (the header's counts,
// accounts and regions) the same way. Figures only.
// Run: node --import tsx bench/search.bench.ts --case path.case [--runs N] [--query q ...]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { openWorkbench } from '../electron/core/api/open-workbench.ts';

const { values } = parseArgs({
  options: { case: { type: 'string' }, runs: { type: 'string', default: '3' }, query: { type: 'string', multiple: true } },
});
if (!values.case) throw new Error('usage: bench/search.bench.ts --case path.case [--runs N] [--query q ...]');
const RUNS = Math.max(1, Number(values.runs));
const QUERIES = values.query ?? ['i-0', 'AKIAXUHP6T4OB2BCVHBI', '185.220.101.34', 'ci-deployer', 'XG4W3E', 'prod-web', 'instance-role/i-0ce', 'no-such-thing-zq', 's3'];
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

async function once(query: string | null, times: number): Promise<{ cpu: number[]; wall: number[]; hits: number; first: string[] }> {
  const workbench = openWorkbench(values.case!, { cli: { writes: false } });
  const cpu: number[] = [];
  const wall: number[] = [];
  let hits = 0;
  let first: string[] = [];
  try {
    for (let i = 0; i < times; i++) {
      const c = process.cpuUsage();
      const t = performance.now();
      if (query === null) {
        const info = await workbench.invoke('case:info', {});
        wall.push(performance.now() - t);
        cpu.push(cpuMs(c));
        first = [`${info.resources} resources`, `accounts ${info.accounts.join(' ')}`, `regions ${info.regions.join(' ')}`];
        continue;
      }
      const answer = await workbench.invoke('graph:search', { query, limit: 20 });
      wall.push(performance.now() - t);
      cpu.push(cpuMs(c));
      hits = answer.length;
      first = answer.slice(0, 3).map((h) => h.id);
    }
  } finally {
    await workbench.close();
  }
  return { cpu, wall, hits, first };
}

console.log(`case ${values.case}, load before ${load()}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
for (const q of [...QUERIES, null]) {
  const cold: number[] = [];
  const coldWall: number[] = [];
  const warm: number[] = [];
  let last = { hits: 0, first: [] as string[] };
  for (let r = 0; r < RUNS; r++) {
    const run = await once(q, 2);
    cold.push(run.cpu[0]);
    coldWall.push(run.wall[0]);
    warm.push(run.cpu[1]);
    last = run;
  }
  console.log(`${(q === null ? 'case:info' : JSON.stringify(q)).padEnd(24)} cold CPU ${median(cold).toFixed(1)} ms (worst ${Math.max(...cold).toFixed(1)}, wall ${median(coldWall).toFixed(1)}), warm CPU ${median(warm).toFixed(1)} ms; ${q === null ? '' : `${last.hits} hits, first `}${last.first.join(' ')}`);
}
console.log(`load after ${load()}`);
