// npm run bench:query: on the 1,000,000-event case of the typical workload (bench/workloads.ts), the
// median, p95 and worst of who-changed for a security group, actor for an access key, the timeline's
// first page with each single filter, and the graph at T. Targets: who-changed and actor ≤ 10 ms
// median, timeline page ≤ 50 ms, graph ≤ 500 ms. The case is the one bench:ingest leaves under
// bench/out/ (ingested here if it is missing: minutes); --events N for another size.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openCase, type CaseDb } from '../electron/core/db/open-case.ts';
import { refreshDerived } from '../electron/core/analysis/refresh-derived.ts';
import { whoChanged } from '../electron/core/analysis/history/who-changed.ts';
import { actorReport } from '../electron/core/analysis/attribution/actor-report.ts';
import { timelinePage } from '../electron/core/analysis/timeline/timeline-query.ts';
import { graphAt } from '../electron/core/analysis/graph/graph-at.ts';
import type { TimelineFilter } from '../shared/engine-types.ts';
import { findings } from '../electron/core/analysis/findings/findings.ts';
import { storeFindings } from '../electron/core/analysis/findings/stored-findings.ts';
import { casePath as workloadCase, existingData, generated } from './workloads.ts';
import { emptyDerivedTables } from './derived-tables.ts';

const { values } = parseArgs({ options: { events: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '50' } } });
const events = Number(values.events);
const runs = Number(values.runs);
const data = existingData('realistic', events) ?? (await generated('realistic', events)).dir;
const casePath = workloadCase('realistic', events);
if (!existsSync(casePath)) {
  console.log(`ingesting ${events.toLocaleString('en-US')} events into ${casePath} (minutes)…`);
  execFileSync(process.execPath, ['--import', 'tsx', new URL('./ingest-one.ts', import.meta.url).pathname, '--data', data, '--case', casePath], { stdio: ['ignore', 'ignore', 'inherit'] });
}

const truth = JSON.parse(readFileSync(join(data, 'incident.json'), 'utf8'));

// refreshDerived from scratch on the whole case: the cost the first ingest pays.
{
  const db = openCase(casePath);
  emptyDerivedTables(db);
  const t = performance.now();
  const stats = refreshDerived(db);
  console.log(`refreshDerived over ${stats.events} events (${stats.newActors} actors): ${((performance.now() - t) / 1000).toFixed(2)} s`);
  const t2 = performance.now();
  refreshDerived(db);
  console.log(`refreshDerived with nothing new: ${(performance.now() - t2).toFixed(1)} ms`);
  // The stored findings as an ingest leaves them (an actor report takes the words of its openings from them: stored-words.ts).
  const t3 = performance.now();
  const parts = storeFindings(db);
  console.log(`stored findings brought up to date: ${parts.length ? parts.map((p) => `${p.part} ${p.findings} findings`).join(', ') : 'already'} in ${(performance.now() - t3).toFixed(0)} ms`);
  db.close();
}

const db = openCase(casePath, { readonly: true });

function measure(name: string, target: number, fn: (db: CaseDb) => unknown): void {
  fn(db); // warm: statements prepared, pages cached
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn(db);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const p95 = times[Math.min(times.length - 1, Math.floor(times.length * 0.95))];
  const worst = times[times.length - 1];
  console.log(`${name.padEnd(44)} median ${median.toFixed(2).padStart(8)} ms  p95 ${p95.toFixed(2).padStart(8)} ms  worst ${worst.toFixed(2).padStart(8)} ms  target ${target} ms ${median <= target ? 'ok' : 'MISSED'}`);
}

console.log(`\n${events} events, ${runs} runs each`);
measure(`who-changed ${truth.openPort.groupId}`, 10, (d) => whoChanged(d, truth.openPort.groupId));
measure(`actor ${truth.leakedKey.accessKeyId}`, 10, (d) => actorReport(d, truth.leakedKey.accessKeyId));
measure(`actor ${truth.stolenInstanceCredentials.accessKeyId}`, 10, (d) => actorReport(d, truth.stolenInstanceCredentials.accessKeyId));
const filters: [string, TimelineFilter][] = [
  ['none', {}],
  ['actor (key)', { actor: truth.leakedKey.accessKeyId }],
  ['actor (origin)', { actor: truth.leakedKey.userArn }],
  ['resource', { resource: truth.openPort.groupId }],
  ['event', { eventName: 'AuthorizeSecurityGroupIngress' }],
  ['ip', { ip: truth.attacker.ip }],
  ['from', { from: truth.firstUse.time }],
  ['to', { to: truth.firstUse.time }],
  ['errors', { errorsOnly: true }],
  ['text', { text: truth.attacker.ip }],
  // The worst case of a search: a word a quarter of the events hold, every one of their rows found before the page is sorted.
  ['text, a common word', { text: 'ec2.amazonaws.com' }],
];
for (const [name, f] of filters) measure(`timeline first page, ${name}`, 50, (d) => timelinePage(d, f));
{
  // The first graph on a connection builds the bucketed counts (graph-counts.ts); later ones reuse them.
  const fresh = openCase(casePath, { readonly: true });
  const t = performance.now();
  const g = graphAt(fresh, { at: truth.openPort.time });
  console.log(`graph at T, first call on a new connection: ${(performance.now() - t).toFixed(0)} ms (${g.nodes.length} nodes, ${g.edges.length} edges)`);
  fresh.close();
}
measure('graph at T (whole account)', 500, (d) => graphAt(d, { at: truth.openPort.time }));
measure('graph, whole case (no T)', 500, (d) => graphAt(d, {}));
{
  // Findings read the whole case (every denied call, every read-only call per window): once, as the CLI runs it.
  const t = performance.now();
  const r = findings(db);
  console.log(`findings over the whole case: ${(performance.now() - t).toFixed(0)} ms (${r.findings.length} findings)`);
}
db.close();
