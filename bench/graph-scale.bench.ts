// The graph on a million events (issue 13): the generated account with credential churn and WITHOUT
// configuration snapshots (bench/graph-cases.ts), typical (~50 calls a key) and worst (a new key for
// every call), opened in headless Chromium without a GPU. Per workload:
// - first view: page load to "Graph ready" (the folded overview) and the elements drawn, then until
//   the calls per service are added; the server's CPU time over the same span (it runs in this process);
// - in the engine: neighbourhood expansions and paths (the leaked key to the terminated instance).
// Both neighbourhoods and paths read only ranges of the nodes involved (no per-connection cache to warm).
// Targets: first view ≤ 2 s, at most a few hundred elements, expansion or path ≤ 500 ms.
// Times come from the marks graph-view.tsx leaves in the page (graph:start … graph:fitted, in the
// page's clock): the server runs in this process, and while it answers a long call synchronously
// (findings on a million events) this process cannot even hear that the page is ready.
// Prepare the cases first (tens of minutes): node --import tsx bench/graph-cases.ts
// Run: npm run bench:graph-scale [-- --events N --workloads realistic,one-key-per-call]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { openWorkbench } from '../electron/core/api/open-workbench.ts';
import { startServer } from '../electron/server/http-server.ts';
import { openCase } from '../electron/core/db/open-case.ts';
import { graphOverview } from '../electron/core/analysis/graph/overview.ts';
import { neighbourhood } from '../electron/core/analysis/graph/neighbourhood.ts';
import { findPaths } from '../electron/core/analysis/graph/paths.ts';
import { ensureRendererBuilt, ROOT, CHROMIUM, BROWSER_ARGS } from '../e2e/support.ts';
import { graphCase } from './graph-cases.ts';
import { WORKLOAD_NAMES, WORKLOADS, type Workload } from './workloads.ts';

const { values } = parseArgs({ options: { events: { type: 'string', default: '1000000' }, workloads: { type: 'string', default: WORKLOAD_NAMES.join(',') } } });
const EVENTS = Number(values.events);
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return Math.round((u.user + u.system) / 1000);
};

/** Engine timings: wall and CPU ms of one call. */
function timed<T>(fn: () => T): [T, { ms: number; cpuMs: number }] {
  const c = process.cpuUsage();
  const t = performance.now();
  const v = fn();
  return [v, { ms: Math.round(performance.now() - t), cpuMs: cpuMs(c) }];
}

async function painted(page: Page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** The page's last graph load, from its marks: ms from navigation to each, and start → fitted. */
async function lastLoad(page: Page): Promise<{ startAt: number; fittedAt: number; fetchMs: number; drawMs: number; totalMs: number; callsAt: number | null }> {
  const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => [m.name, m.startTime] as [string, number]));
  const last = (name: string) => marks.filter(([n]) => n === name).at(-1)?.[1] ?? NaN;
  const [start, fetched, fitted] = [last('graph:start'), last('graph:fetched'), last('graph:fitted')];
  const calls = last('graph:calls');
  return { startAt: Math.round(start), fittedAt: Math.round(fitted), fetchMs: Math.round(fetched - start), drawMs: Math.round(fitted - fetched), totalMs: Math.round(fitted - start), callsAt: Number.isNaN(calls) ? null : Math.round(calls) };
}

ensureRendererBuilt();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
const report: Record<string, unknown> = { events: EVENTS };
try {
  for (const w of values.workloads!.split(',') as Workload[]) {
    const { casePath, dataDir } = await graphCase(w, EVENTS);
    const truth = JSON.parse(readFileSync(join(dataDir, 'incident.json'), 'utf8'));
    const r: Record<string, unknown> = { workload: WORKLOADS[w].label, loadBefore: load() };
    // The app: a fresh workbench (no per-connection caches), the page from scratch.
    const slow: string[] = [];
    const workbench = openWorkbench(casePath, {
      log: (line) => {
        slow.push(line);
        console.error(`  server: ${line}`);
      },
    });
    const step = (what: string) => console.error(`${w}: ${what} (load ${load()})`);
    step('workbench open');
    const server = await startServer({ dispatch: workbench.dispatch, staticDir: join(ROOT, 'dist/renderer') });
    const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    try {
      const cpu0 = process.cpuUsage();
      const t0 = Date.now();
      await page.goto(server.url);
      await page.getByText(/Graph ready/).waitFor({ timeout: 900_000 });
      await painted(page);
      r.harnessSawReadyMs = Date.now() - t0;
      r.firstView = await lastLoad(page);
      step(`first view ${JSON.stringify(r.firstView)}`);
      r.firstViewStatus = await page.getByText(/Graph ready/).innerText();
      const drawn = /Graph ready: (\d+) nodes, (\d+) edges/.exec(String(r.firstViewStatus));
      r.elementsDrawn = drawn ? Number(drawn[1]) + Number(drawn[2]) : null;
      await page.getByText(/call links added/).waitFor({ timeout: 900_000 });
      r.withCallsAt = (await lastLoad(page)).callsAt;
      step(`calls added at ${r.withCallsAt} ms`);
      r.serverCpuMsUntilCalls = cpuMs(cpu0);
      r.withCallsStatus = await page.getByText(/Graph ready/).innerText();
      const db = openCase(casePath, { readonly: true });
      const ranked = graphOverview(db, { calls: false }).nodes.sort((a, b) => b.eventCount - a.eventCount);
      const roles = ranked.filter((n) => n.type === 'role');
      const churned = [...roles].sort((a, b) => Number(b.props?.keys ?? 0) - Number(a.props?.keys ?? 0))[0];
      // The engine alone, on its own connection: expansions (the busiest role, the role with the most
      // keys, the leaked key, the opened group, the attacker's address) and paths, first and again.
      const engine: Record<string, unknown> = {};
      for (const id of [...new Set([roles[0]?.id, churned?.id, truth.leakedKey.accessKeyId, truth.openPort.groupId, `ip/${truth.attacker.ip}`])].filter(Boolean) as string[]) {
        const [g1, first] = timed(() => neighbourhood(db, { nodeId: id }));
        const [, again] = timed(() => neighbourhood(db, { nodeId: id }));
        engine[`neighbourhood ${id}`] = { first, again, nodes: g1.nodes.length, edges: g1.edges.length, truncated: g1.truncated };
        step(`neighbourhood ${id}: ${JSON.stringify(engine[`neighbourhood ${id}`])}`);
      }
      for (const [name, from, to] of [
        ['leaked key → terminated instance', truth.leakedKey.accessKeyId, truth.terminate.instanceId],
        ['attacker address → opened group', truth.attacker.ip, truth.openPort.groupId],
      ] as [string, string, string][]) {
        const [p, t] = timed(() => findPaths(db, { from, to }));
        engine[`path ${name}`] = { ...t, shortestHops: p.shortest?.length ?? null, earliestHops: p.earliest?.length ?? null, truncated: p.truncated };
        step(`path ${name}: ${JSON.stringify(engine[`path ${name}`])}`);
      }
      db.close();
      r.engine = engine;
      r.slowApiCalls = slow.slice(0, 12);
      r.loadAfter = load();
    } finally {
      await page.close();
      await server.close();
      await workbench.close();
    }
    report[w] = r;
    console.log(JSON.stringify({ [w]: r }, null, 2));
  }
} finally {
  await browser.close();
}
