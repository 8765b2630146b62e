// npm run bench:flows: the questions a responder asks of the VPC flow records of a case, on the
// generator's million records (the case `bench:ingest` builds, or built here the same way): the
// graph's public peers for the whole case and at a moment, a node's peers, the conversations of the
// whole case, of an interface, of an address and of an hour, the remote-access chains and the port
// scans (the stored findings' flows part reads them at every ingest). CPU of the process per question
// over a fresh connection each run (nothing cached between runs), the median and the worst of the runs.
// The port scans again on two worst cases of as many records (scanners.ts): a million pairs of
// addresses, each knocking once, and 800 scans, past what a run makes findings of; and every record
// between two addresses of its own. With the part's peak RSS. And the part on the account the flow
// logs of most accounts describe: AWS's default format (version 2: no direction, flags, VPC or instance)
// and no configuration, its trail beside them (defaultFormatCase).
// Options: --records 1000000  --runs 3
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { openCase } from '../electron/core/db/open-case.ts';
import { ingestPaths } from '../electron/core/ingest/pipeline.ts';
import { countsAt } from '../electron/core/analysis/graph/graph-counts.ts';
import { peersOf } from '../electron/core/analysis/graph/node-counts.ts';
import { flowConversations, remoteAccessChains } from '../electron/core/analysis/flows/flows-query.ts';
import { isPublicAddress } from '../electron/core/analysis/attribution/instance-addresses.ts';
import { portScans } from '../electron/core/analysis/findings/port-scans.ts';
import { generated, OUT } from './workloads.ts';
import { defaultFormatCase, scannersCase, uniqueAddressesCase } from './scanners.ts';

const { values } = parseArgs({ options: { records: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '3' } } });
const records = Number(values.records);
const runs = Number(values.runs);

/** The flow files of a generated account. */
function flowFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.includes('/vpcflowlogs/')) out.push(p);
    }
  };
  walk(join(dir, 'AWSLogs'));
  return out;
}

const path = join(OUT, `flows-${records}.case`);
if (!existsSync(path)) {
  const { dir } = await generated('realistic', 10_000, records);
  const db = openCase(path, { cacheMiB: 128 });
  await ingestPaths(db, flowFiles(dir));
  db.close();
}

const probe = openCase(path, { cacheMiB: 128 });
const [lo, hi] = probe.prepare('SELECT min(first_start), max(last_start) FROM flow_blocks').raw().get() as [number, number];
const stored = probe.prepare('SELECT sum(records) FROM flow_blocks').pluck().get() as number;
// The busiest interface, and the public address in the most records.
const eni = probe.prepare(`SELECT interface_id FROM flow_interface_buckets GROUP BY interface_id ORDER BY count(*) DESC, interface_id LIMIT 1`).pluck().get() as string;
const address = (probe.prepare(`SELECT address FROM flow_addresses GROUP BY address ORDER BY sum(as_source + as_destination) DESC LIMIT 1000`).pluck().all() as string[])
  .find((a) => isPublicAddress(a))!;
probe.close();
const mid = Math.floor((lo + hi) / 2) + 123_457;
const iso = (t: number) => new Date(t).toISOString();

const QUESTIONS: [label: string, ask: (db: ReturnType<typeof openCase>) => unknown][] = [
  ['graph peers, whole case', (db) => countsAt(db, null).peers.length],
  ['graph peers at a moment (after the whole case)', (db) => countsAt(db, mid).peers.length],
  ["an interface's peers (node)", (db) => peersOf(db, eni, mid).rows.length],
  ["an address's peers (node)", (db) => peersOf(db, `ip/${address}`, hi).rows.length],
  ['conversations, whole case', (db) => flowConversations(db, {}).length],
  ["an interface's conversations", (db) => flowConversations(db, { eni }).length],
  ["an address's conversations", (db) => flowConversations(db, { ip: address }).length],
  ["an hour's conversations", (db) => flowConversations(db, { from: iso(mid), to: iso(mid + 3_600_000) }).length],
  ['remote-access chains, whole case', (db) => remoteAccessChains(db, {}).length],
  ['port scans (findings), whole case', (db) => portScans(db, new Map()).findings.length],
];

console.log(`Flow questions on ${stored.toLocaleString('en-US')} records (${path}), ${runs} runs each, CPU ms (median / worst):`);
const cpu: number[][] = QUESTIONS.map(() => []);
for (let run = 0; run < runs; run++) {
  // A fresh connection per run: the graph's counts are cached per connection.
  const db = openCase(path, { cacheMiB: 128 });
  QUESTIONS.forEach(([, ask], i) => {
    const before = process.cpuUsage();
    ask(db);
    const used = process.cpuUsage(before);
    cpu[i].push((used.user + used.system) / 1000);
  });
  db.close();
}
QUESTIONS.forEach(([label], i) => {
  const sorted = [...cpu[i]].sort((a, b) => a - b);
  console.log(`  ${label.padEnd(48)} ${sorted[Math.floor(sorted.length / 2)].toFixed(0).padStart(6)} / ${sorted[sorted.length - 1].toFixed(0).padStart(6)} ms`);
});
console.log(`(load ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);

// The port scans' worst case: the stored findings' flows part recomputed on it by bench:findings-compute,
// in a process of its own (its CPU and peak RSS are the part's alone).
for (const [label, worst] of [['many pairs and scans', await scannersCase(records)], ['every record between addresses of its own', await uniqueAddressesCase(records)],
  ['the default format without configuration', await defaultFormatCase(records)]]) {
  process.stdout.write(`The flows part, ${label}: ${execFileSync(process.execPath, [...process.execArgv, new URL('./findings-compute.bench.ts', import.meta.url).pathname, '--case', worst, '--part', 'flows'], { encoding: 'utf8' })}`);
}
