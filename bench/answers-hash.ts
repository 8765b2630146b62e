// Hash over the answers attribution feeds (actor reports, findings, who-changed, the timeline's origin
// column), to check a storage change answers the same. Usage: node --import tsx bench/answers-hash.ts CASE
import { createHash } from 'node:crypto';
import { openCase } from '../electron/core/db/open-case.ts';
import { actorReport } from '../electron/core/analysis/attribution/actor-report.ts';
import { findings } from '../electron/core/analysis/findings/findings.ts';
import { whoChanged } from '../electron/core/analysis/history/who-changed.ts';
import { timelineRows } from '../electron/core/analysis/timeline/timeline-query.ts';

const db = openCase(process.argv[2]!, { cacheMiB: 128, mmapMiB: 0 });
const part = (label: string, value: unknown) => {
  const h = createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
  console.log(label.padEnd(28), h);
  return h;
};
const all = createHash('sha256');
const keys = db.prepare(`SELECT actor_key FROM actors ORDER BY actor_key`).pluck().all() as string[];
const sample = keys.filter((_, i) => i % 97 === 0);
const idents = db.prepare(`SELECT ident FROM origins ORDER BY ident`).pluck().all() as string[];
const sessions = db.prepare(`SELECT DISTINCT session_name FROM actors WHERE session_name IS NOT NULL ORDER BY 1 LIMIT 50`).pluck().all() as string[];
all.update(part(`actor reports (${sample.length} keys)`, sample.map((k) => actorReport(db, k))));
all.update(part(`actor reports (${idents.length} origins)`, idents.map((k) => actorReport(db, k))));
all.update(part(`actor reports (sessions)`, sessions.map((k) => actorReport(db, k))));
const f = findings(db);
all.update(part(`findings (${f.findings.length})`, f));
const resources = db.prepare(`SELECT DISTINCT resource_id FROM event_resources ORDER BY 1 LIMIT 300`).pluck().all() as string[];
all.update(part(`who-changed (${resources.length})`, resources.map((r) => whoChanged(db, r))));
const origins = createHash('sha256');
let n = 0;
for (const page of timelineRows(db, {})) for (const r of page) { origins.update(`${r.id}|${r.origin}|${r.originKind}\n`); n++; }
all.update(part(`timeline origin (${n})`, origins.digest('hex')));
console.log('ALL'.padEnd(28), all.digest('hex').slice(0, 16));
db.close();
