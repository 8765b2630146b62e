// Two investigators handed the same evidence see the same case, whatever order their files were read
// in: readers hand files to the writer as they finish, so row ids, and the order a table gives its rows
// in, follow the reading. What a user sees of the resources, the graph (its nodes, their names, places
// and order, which addresses stand out past the cap), the overview, a neighbourhood, the findings, the
// timeline (events of one second among them: CloudTrail's times have no finer part) and who changed
// each security group must not. (Actors: analysis/attribution/ingest-order.test.ts.)
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
import { timelinePage, timelineRows } from '../analysis/timeline/timeline-query.ts';
import { timelineSortedPage } from '../analysis/timeline/timeline-sorted.ts';
import { whoChanged } from '../analysis/history/who-changed.ts';
import type { CaseDb } from '../db/open-case.ts';
import type { TimelineRow } from '../../../shared/engine-types.ts';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { trailFile } from '../../../test-support/trail-file.ts';
import { encoderFor, type TimelineFormat } from '../export/timeline-formats.ts';

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
    timeline: JSON.stringify(shown([...timelineRows(db, {})].flat())),
    // The timeline exported as JSON, as the CLI and the app write it.
    timelineJson: exported(db, 'json'),
    // Pages of a few rows, so cursors fall between events of one second.
    timelinePages: JSON.stringify(shown(pagesOf(db, 7))),
    // The tied second sorted by name: two of its calls share one.
    sortedByName: JSON.stringify(shown(timelineSortedPage(db, { filter: { from: TIED_TIME, to: TIED_TIME }, by: 'eventName', descending: false }, 0).rows)),
    whoChanged: JSON.stringify(securityGroups(db).map((g) => whoChanged(db, g).items.map((i) => ({ ...i, before: version(i.before), after: version(i.after) })))),
  };
}

const TIED_GROUP = 'sg-0a1b2c3d4e5f60718';
const TIED_TIME = '2025-03-10T03:00:07Z';

/**
 * A group opened and closed by three calls in one second, each in a file of its own (two regions' trails
 * and a copy handed over apart), beside calls of other people in that second: which rule stood after each
 * call, and the timeline's order, are the reading's to decide unless the case decides them.
 */
function tiedFiles(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const user = (name: string) => ({ type: 'IAMUser', arn: `arn:aws:iam::123456789012:user/${name}`, accountId: '123456789012', principalId: `AIDA${name.toUpperCase().padEnd(17, '0')}`, userName: name });
  const call = (eventID: string, eventName: string, who: string, extra: object) => ({
    eventVersion: '1.09', eventID, eventTime: TIED_TIME, eventSource: 'ec2.amazonaws.com', eventName, awsRegion: 'us-east-1', recipientAccountId: '123456789012',
    sourceIPAddress: '203.0.113.9', userAgent: 'aws-cli/2.15.0', userIdentity: user(who), ...extra,
  });
  const rule = (port: number) => ({ groupId: TIED_GROUP, ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: port, toPort: port, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] } });
  const files = [
    [call('9c1f0e52-7d4e-4a8e-9a55-0c1e5d8b7a01', 'AuthorizeSecurityGroupIngress', 'mallory', { requestParameters: rule(22) }),
      call('3e7a1b2c-0000-4000-8000-000000000004', 'DescribeInstances', 'alice', { readOnly: true })],
    [call('1a2b3c4d-0000-4000-8000-000000000002', 'RevokeSecurityGroupIngress', 'mallory', { requestParameters: rule(22) }),
      call('fe01dc02-0000-4000-8000-000000000005', 'DescribeSecurityGroups', 'bob', { readOnly: true })],
    [call('5d6e7f80-0000-4000-8000-000000000003', 'AuthorizeSecurityGroupIngress', 'mallory', { requestParameters: rule(3389) }),
      call('00aa11bb-0000-4000-8000-000000000006', 'DescribeVolumes', 'alice', { readOnly: true })],
  ];
  return files.map((records, i) => trailFile(dir, `tied-${i}.json`, records));
}

/** Timeline rows as the user reads them: without the row id, which is the case's own numbering. */
function shown(rows: TimelineRow[]): Omit<TimelineRow, 'id'>[] {
  return rows.map(({ id: _id, ...row }) => row);
}

function exported(db: CaseDb, format: TimelineFormat): string {
  const encoder = encoderFor(format);
  const rows = [...timelineRows(db, {})].flat();
  return encoder.header + rows.map((r, i) => encoder.row(r, i)).join('') + encoder.footer(rows.length);
}

function pagesOf(db: CaseDb, limit: number): TimelineRow[] {
  const rows: TimelineRow[] = [];
  let cursor: string | null = null;
  do {
    const page = timelinePage(db, { limit, cursor });
    rows.push(...page.rows);
    cursor = page.nextCursor;
  } while (cursor);
  return rows;
}

function securityGroups(db: CaseDb): string[] {
  return db.prepare(`SELECT id FROM resources WHERE type = 'security-group' ORDER BY id`).pluck().all() as string[];
}

/** A configuration version as shown: its row id left out. */
function version(v: { versionId: number } | null) {
  if (!v) return null;
  const { versionId: _versionId, ...shownPart } = v;
  return shownPart;
}

/** Events that share their second with another event read from another file: the ties whose order the reading decided. */
function tiesAcrossFiles(db: CaseDb): number {
  return db.prepare(`SELECT count(*) FROM (SELECT event_time FROM event_rows GROUP BY event_time HAVING count(DISTINCT source_id) > 1)`).pluck().get() as number;
}

test('the same evidence read in opposite orders gives the same resources, graph, overview, neighbourhoods, findings, timeline and changes', async () => {
  // Many short sessions, snapshots and flow logs: names, places and counts come from many files.
  await generateAccount({ out: gen, events: 3000, flows: 400, seed: 41, shape: { callsPerKey: 5 } });
  const files = [...filesUnder(gen).filter((f) => !f.endsWith('incident.json') && !f.endsWith('summary.json')), ...tiedFiles(join(gen, 'handed-over'))];
  assert.ok(files.some((f) => f.includes('/CloudTrail/')) && files.some((f) => f.includes('/vpcflowlogs/')) && files.some((f) => f.includes('/config/')), 'every kind of evidence');
  // One reader each: the order read is the order given.
  await ingestPaths(forward.db, files, { readers: 1 });
  await ingestPaths(reverse.db, [...files].reverse(), { readers: 1 });
  const a = seen(forward.db);
  const b = seen(reverse.db);
  assert.ok(JSON.parse(a.graph).nodes.length > 50 && JSON.parse(a.graph).truncated === false, 'a graph of the whole account');
  assert.ok(tiesAcrossFiles(forward.db) >= 1, 'a second holding events of several files');
  assert.equal(whoChanged(forward.db, TIED_GROUP).items.length, 3, 'the tied group\'s three changes');
  assert.equal(JSON.parse(a.sortedByName).length, 6, 'the tied second\'s six calls');
  assert.equal(a.timelinePages, a.timeline, 'pages of seven rows give the whole timeline');
  assert.ok(JSON.parse(a.whoChanged).flat().length > 5, 'security groups changed');
  for (const part of Object.keys(a)) assert.equal(b[part], a[part], `${part} differ`);
});
