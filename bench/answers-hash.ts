// Hash over the answers attribution feeds (actor reports, findings, who-changed, the timeline's origin
// column) and those the links, credentials and resources feed (the graph, its neighbourhoods and paths,
// search, an event's resources), to check a storage change answers the same.
// Usage: node --import tsx bench/answers-hash.ts CASE
import { createHash } from 'node:crypto';
import { openCase } from '../electron/core/db/open-case.ts';
import { actorReport } from '../electron/core/analysis/attribution/actor-report.ts';
import { findings } from '../electron/core/analysis/findings/findings.ts';
import { whoChanged } from '../electron/core/analysis/history/who-changed.ts';
import { timelineRows } from '../electron/core/analysis/timeline/timeline-query.ts';
import { graphAt } from '../electron/core/analysis/graph/graph-at.ts';
import { graphOverview } from '../electron/core/analysis/graph/overview.ts';
import { neighbourhood } from '../electron/core/analysis/graph/neighbourhood.ts';
import { findPaths } from '../electron/core/analysis/graph/paths.ts';
import { search } from '../electron/core/analysis/search/search.ts';
import { eventDetail } from '../electron/core/api/answers/event-detail.ts';

const db = openCase(process.argv[2]!, { cacheMiB: 128 });
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
for (const page of timelineRows(db, {})) for (const r of page) { origins.update(`${r.id}|${r.origin}|${r.originKind}|${JSON.stringify(r.resources)}\n`); n++; }
all.update(part(`timeline origin, resources (${n})`, origins.digest('hex')));
// Resources of every kind and the keys, roles and callers of the credentials, a sample of each.
const nodes = [
  ...(db.prepare(`SELECT id FROM (SELECT id, type, row_number() OVER (PARTITION BY type ORDER BY id) AS i FROM resources) WHERE i <= 5 ORDER BY id`).pluck().all() as string[]),
  ...(db.prepare(`SELECT DISTINCT role_arn FROM credentials WHERE role_arn IS NOT NULL ORDER BY 1 LIMIT 20`).pluck().all() as string[]),
  ...(db.prepare(`SELECT DISTINCT caller_arn FROM credentials WHERE caller_arn IS NOT NULL ORDER BY 1 LIMIT 20`).pluck().all() as string[]),
  ...(db.prepare(`SELECT DISTINCT caller_key FROM credentials WHERE caller_key IS NOT NULL ORDER BY 1 LIMIT 20`).pluck().all() as string[]),
];
all.update(part(`neighbourhoods (${nodes.length})`, nodes.map((id) => neighbourhood(db, { nodeId: id }))));
all.update(part('graph, overview', [graphAt(db), graphOverview(db)]));
const ends = nodes.filter((_, i) => i % 7 === 0).slice(0, 12);
all.update(part(`paths (${ends.length ** 2})`, ends.flatMap((from) => ends.map((to) => findPaths(db, { from, to })))));
// Whole ids, their starts and middles (an access key by a few of its characters), names and words.
const terms = nodes.flatMap((id) => [id, id.slice(0, 8), id.slice(4, 10), id.slice(-6)]);
all.update(part(`search (${terms.length})`, terms.map((q) => search(db, q))));
const events = db.prepare(`SELECT id FROM event_rows WHERE id % 499 = 1 ORDER BY id`).pluck().all() as number[];
all.update(part(`event details (${events.length})`, events.map((id) => eventDetail(db, { id }))));
console.log('ALL'.padEnd(28), all.digest('hex').slice(0, 16));
db.close();
