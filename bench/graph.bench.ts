// Graph at scale in headless Chromium without a GPU: 2,000 nodes and 4,000 edges, from page load to
// "Graph ready" with a cold layout (fcose draft in a web worker) and a warm one (positions cached in
// the case). Past 300 nodes the first view is capped (or around a focus), so each run then presses
// "Whole account" and times the 2,000 nodes drawn; on those the warm run times a zoom and a search.
// "Ready" is the status line saying so AND the next two animation frames painted (the first draw of
// the canvas is part of the cost). The cold run is a case that has never been opened: the server
// lays it out in a worker thread when it opens the case, while the page loads.
// Run: npm run bench:graph
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';
import { openCase } from '../electron/core/db/open-case.ts';
import { openWorkbench } from '../electron/core/api/open-workbench.ts';
import { startServer } from '../electron/server/http-server.ts';
import { ensureRendererBuilt, ROOT, CHROMIUM, BROWSER_ARGS } from '../e2e/support.ts';

const NODES = Number(process.env.NODES ?? 2000);
const EDGES = Number(process.env.EDGES ?? 4000);

function buildCase(path: string): void {
  const db = openCase(path);
  const types = ['instance', 'security-group', 'network-interface', 'user', 'role', 'access-key'];
  const vpcs = 4;
  const subnets = 16;
  const insertRes = db.prepare('INSERT INTO resources (id, type, account_id, region, name) VALUES (?, ?, ?, ?, ?)');
  const insertEdge = db.prepare("INSERT OR IGNORE INTO edges (src, dst, kind, origin) VALUES (?, ?, ?, 'snapshot')");
  // A deterministic PRNG so runs compare.
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  db.transaction(() => {
    for (let v = 0; v < vpcs; v++) insertRes.run(`vpc-${v}`, 'vpc', '111122223333', 'us-east-1', `vpc-${v}`);
    for (let s = 0; s < subnets; s++) {
      insertRes.run(`subnet-${s}`, 'subnet', '111122223333', 'us-east-1', `subnet-${s}`);
      insertEdge.run(`subnet-${s}`, `vpc-${s % vpcs}`, 'subnet-vpc');
    }
    const ids: string[] = [];
    for (let i = 0; ids.length < NODES - vpcs - subnets; i++) {
      const type = types[i % types.length];
      const id = `${type}-${i}`;
      insertRes.run(id, type, '111122223333', 'us-east-1', id);
      if (type === 'instance' || type === 'network-interface') insertEdge.run(id, `subnet-${i % subnets}`, type === 'instance' ? 'instance-subnet' : 'eni-subnet');
      ids.push(id);
    }
    let edges = 0;
    while (edges < EDGES) {
      const a = ids[Math.floor(rand() * ids.length)];
      // Mostly local links (as in a real account), some long ones.
      const b = ids[rand() < 0.8 ? Math.min(ids.length - 1, ids.indexOf(a) + 1 + Math.floor(rand() * 30)) : Math.floor(rand() * ids.length)];
      if (a === b) continue;
      edges += insertEdge.run(a, b, 'related').changes;
    }
  })();
  db.close();
}

const dir = mkdtempSync(join(tmpdir(), 'ts-graph-bench-'));
const casePath = join(dir, 'bench.case');
ensureRendererBuilt();
buildCase(casePath);
const slow: string[] = [];
const workbench = openWorkbench(casePath, { log: (line) => slow.push(line) });
const server = await startServer({ dispatch: workbench.dispatch, staticDir: join(ROOT, 'dist/renderer') });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
const results: Record<string, number | string> = { nodes: NODES, edges: EDGES };
try {
  for (const run of ['cold', 'warm'] as const) {
    const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    const started = Date.now();
    await page.goto(server.url);
    await page.getByText(/Graph ready/).waitFor({ timeout: 120_000 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    results[`${run}ReadyMs`] = Date.now() - started;
    // Where the time went, from the marks graph-view.tsx leaves (ms since navigation start).
    results[`${run}Marks`] = await page.evaluate(() =>
      performance
        .getEntriesByType('mark')
        .filter((m) => m.name.startsWith('graph:'))
        .map((m) => `${m.name.slice(6)} ${Math.round(m.startTime)}`)
        .join(', '),
    );
    // The final layout (the server's, replacing the provisional grid on a never-opened case).
    await page.getByText(/Graph ready: .*(cached layout|grouped layout|layout from the case|layout \d+ ms)/).waitFor({ timeout: 120_000 });
    results[`${run}FinalLayoutMs`] = Date.now() - started;
    results[`${run}Status`] = await page.getByText(/Graph ready/).innerText();
    // Everything: the view a user asks for with "Whole account" (graph-view.tsx's FOCUS_ABOVE caps the first one).
    const t = Date.now();
    await page.getByRole('button', { name: 'Whole account' }).click();
    await page.getByText(new RegExp(`Graph ready: ${NODES} nodes`)).waitFor({ timeout: 120_000 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    results[`${run}WholeAccountMs`] = Date.now() - t;
    results[`${run}WholeAccountStatus`] = await page.getByText(/Graph ready/).innerText();
    results[`${run}WholeAccountMarks`] = await page.evaluate((since) =>
      performance.getEntriesByType('mark').filter((m) => m.name.startsWith('graph:') && m.startTime >= since)
        .map((m) => `${m.name.slice(6)} +${Math.round(m.startTime - since)}`).join(', '), await page.evaluate(() => performance.now()) - (Date.now() - t));
    if (run === 'warm') {
      const canvas = page.getByRole('region', { name: 'Graph' }).locator('canvas').last();
      const box = await canvas.boundingBox();
      await page.mouse.move(box!.x + box!.width / 2, box!.y + box!.height / 2);
      const t0 = Date.now();
      for (let i = 0; i < 5; i++) await page.mouse.wheel(0, -200);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      results.zoom5StepsMs = Date.now() - t0;
      const t1 = Date.now();
      await page.getByLabel('Search').fill('instance-600');
      await page.getByRole('button', { name: 'Find' }).click();
      await page.getByText('Highlighted in graph: instance-600').waitFor();
      results.searchToHighlightMs = Date.now() - t1;
    }
    await page.close();
  }
  results.slowApiCalls = slow.join('; ');
  console.log(JSON.stringify(results, null, 2));
} finally {
  await browser.close();
  await server.close();
  await workbench.close();
  rmSync(dir, { recursive: true, force: true });
}
