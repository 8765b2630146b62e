// Paths and neighbourhood expansion at scale: a generated account of EVENTS CloudTrail events (default
// 200,000) ingested WITHOUT configuration snapshots (events and flows only), then the investigator's
// questions timed in the engine: the leaked key to the terminated instance, the attacker address to
// the group it opened, a person to the backdoor key, and the neighbourhood of the busiest nodes.
// Target (issue 13): each path or expansion in at most 500 ms. Run: npm run bench:graph-paths
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { generateAccount } from '../tools/gen/generate.ts';
import { openCase } from '../electron/core/db/open-case.ts';
import { ingestPaths } from '../electron/core/ingest/pipeline.ts';
import { findPaths } from '../electron/core/analysis/graph/paths.ts';
import { neighbourhood } from '../electron/core/analysis/graph/neighbourhood.ts';

const EVENTS = Number(process.env.EVENTS ?? 200_000);
const dir = mkdtempSync(join(tmpdir(), 'ts-paths-bench-'));
try {
  const t0 = performance.now();
  await generateAccount({ out: join(dir, 'data'), events: EVENTS, flows: Math.round(EVENTS / 4), users: 200, instances: 120, hours: 72, seed: 3 });
  const truth = JSON.parse(readFileSync(join(dir, 'data', 'incident.json'), 'utf8'));
  const db = openCase(join(dir, 'bench.case'));
  await ingestPaths(db, [join(dir, 'data', 'AWSLogs')]);
  const prepMs = performance.now() - t0;
  const time = <T>(fn: () => T): [T, number] => {
    const s = performance.now();
    const v = fn();
    return [v, Math.round(performance.now() - s)];
  };
  const results: Record<string, unknown> = { events: EVENTS, snapshots: false, prepareMs: Math.round(prepMs) };
  const pairs: [string, string, string][] = [
    ['leaked key → terminated instance', truth.leakedKey.accessKeyId, truth.terminate.instanceId],
    ['attacker address → opened group', truth.attacker.ip, truth.openPort.groupId],
    ['ci-deployer → backdoor key', truth.leakedKey.userArn, truth.persistence.newAccessKeyId],
    ['scanner → leaked user (no path)', truth.portScan.srcIp, truth.leakedKey.userArn],
  ];
  for (const [name, from, to] of pairs) {
    const [r, ms] = time(() => findPaths(db, { from, to }));
    results[name] = { ms, shortestHops: r.shortest?.length ?? null, earliestHops: r.earliest?.length ?? null, explored: r.explored, truncated: r.truncated };
  }
  const busiest = db.prepare('SELECT arn FROM principals ORDER BY event_count DESC LIMIT 3').pluck().all() as string[];
  for (const id of [...busiest, truth.openPort.groupId, truth.leakedKey.accessKeyId]) {
    const [g, ms] = time(() => neighbourhood(db, { nodeId: id }));
    results[`neighbourhood ${id}`] = { ms, nodes: g.nodes.length, edges: g.edges.length };
  }
  db.close();
  console.log(JSON.stringify(results, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
