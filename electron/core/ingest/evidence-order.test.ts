// Two investigators handed the same evidence see the same case, whatever order their files were read
// in: readers hand files to the writer as they finish, so row ids, and the order a table gives its rows
// in, follow the reading. What a user sees of the resources, the graph (its nodes, their names, places
// and order, which addresses stand out past the cap), the overview, a neighbourhood and the findings
// must not. (Actors: analysis/attribution/ingest-order.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateAccount } from '../../../tools/gen/generate.ts';
import { ingestPaths } from './pipeline.ts';
import { generatedWithCases } from '../../../test-support/generated-cases.ts';
import { filesUnder } from '../../../test-support/files-under.ts';
import { graphAt } from '../analysis/graph/graph-at.ts';
import { graphOverview } from '../analysis/graph/overview.ts';
import { neighbourhood } from '../analysis/graph/neighbourhood.ts';
import { findings } from '../analysis/findings/findings.ts';
import type { CaseDb } from '../db/open-case.ts';

const { gen, cases: [forward, reverse] } = generatedWithCases('evidence-order', 'evidence-order-forward', 'evidence-order-reverse');

/** Everything a user is shown, as text, order included. */
function seen(db: CaseDb): Record<string, string> {
  const resources = db.prepare(`SELECT id, type, account_id, region, name, arn, first_seen, last_seen FROM resources ORDER BY id`).raw().all();
  // Few addresses past the cap, so ties in their counts decide which stand out.
  const graph = graphAt(db, { ipLimits: { acted: 5, connected: 5 } });
  const busiest = [...graph.nodes].filter((n) => n.type === 'security-group' || n.type === 'instance' || n.type === 'user').slice(0, 6);
  return {
    resources: JSON.stringify(resources),
    graph: JSON.stringify(graph),
    overview: JSON.stringify(graphOverview(db)),
    neighbourhoods: JSON.stringify(busiest.map((n) => neighbourhood(db, { nodeId: n.id, limit: 3 }))),
    findings: JSON.stringify(findings(db)),
  };
}

test('the same evidence read in opposite orders gives the same resources, graph, overview, neighbourhoods and findings', async () => {
  // Many short sessions, snapshots and flow logs: names, places and counts come from many files.
  await generateAccount({ out: gen, events: 3000, flows: 400, seed: 41, shape: { callsPerKey: 5 } });
  const files = filesUnder(gen).filter((f) => !f.endsWith('incident.json') && !f.endsWith('summary.json'));
  assert.ok(files.some((f) => f.includes('/CloudTrail/')) && files.some((f) => f.includes('/vpcflowlogs/')) && files.some((f) => f.includes('/config/')), 'every kind of evidence');
  // One reader each: the order read is the order given.
  await ingestPaths(forward.db, files, { readers: 1 });
  await ingestPaths(reverse.db, [...files].reverse(), { readers: 1 });
  const a = seen(forward.db);
  const b = seen(reverse.db);
  assert.ok(JSON.parse(a.graph).nodes.length > 50 && JSON.parse(a.graph).truncated === false, 'a graph of the whole account');
  for (const part of Object.keys(a)) assert.equal(b[part], a[part], `${part} differ`);
});
