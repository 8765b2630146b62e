// The hot queries must stay index lookups (through the events view: a string filter is a strings_value
// lookup followed by a range of the matching event_rows index): a plan that turns into a scan is a 1,000x slowdown at a
// million events, long before a functional test would notice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRecords, memoryCase } from '../../../test-support/case-fixtures.ts';
import { encodeCursor, pageScope, pageSql } from './timeline/timeline-query.ts';
import { timeOrder } from './event-order.ts';
import type { TimelineFilter } from '../../../shared/engine-types.ts';
import { NEW_TWIN, newEventKeys } from './refresh-derived.ts';
import { distinctOnIndex } from '../db/distinct-on-index.ts';
import { BY_IDENTIFIER, SESSION_IPS } from './attribution/actor-report.ts';
import { EARLIER_ATTEMPT } from '../ingest/sources-by-content.ts';
import { KEYS_HOLDING } from './search/search.ts';
import { HOUR_CALLS } from './graph/overview.ts';
import { ROLLUPS_OF_ORIGINS } from './findings/origin-rollups.ts';
import { FIRST_CALLS_OF_IDENTITY } from './findings/rules/baseline.ts';
import { STORED_BY_ID } from './findings/stored-words.ts';
import { CHANGING_CALLS } from './history/changing-calls.ts';

function plan(sql: string, ...args: unknown[]): string {
  const db = memoryCase();
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('\n');
}

test('who-changed reads one resource\'s events through the event_resources primary key', () => {
  // event_resources is a view over ids (migration 0128): the resource's id is a strings_value seek, then a range of the links' key.
  const p = plan(`SELECT e.id FROM event_resources r JOIN events e ON e.id = r.event
    WHERE r.resource_id = ? AND r.touch IN ('created','modified','deleted','attached','detached') ORDER BY e.event_time, e.event_id, e.id`, 'sg-1');
  assert.match(p, /SEARCH s_resource USING COVERING INDEX strings_value \(value=\?\)/);
  assert.match(p, /SEARCH r USING PRIMARY KEY \(resource=\?\)/);
  assert.match(p, /SEARCH e USING INTEGER PRIMARY KEY/);
  assert.doesNotMatch(p, /SCAN/);
  // An event's resources (timeline rows, event detail) come off the index by event.
  assert.match(plan('SELECT resource_id FROM event_resources WHERE event = ? ORDER BY resource_id LIMIT 5', 1), /SEARCH r USING (COVERING )?INDEX event_resources_event \(event=\?\)/);
});

test('the roles a caller or a caller\'s key asked keys for are ranges of the partial credential indexes', () => {
  for (const by of ['caller_arn', 'caller_key']) {
    const p = plan(`SELECT role_arn, count(*) AS n, min(issued_at) AS t FROM credential_rows
      WHERE ${by} = (SELECT id FROM strings WHERE value = ?) AND role_arn IS NOT NULL AND (issued_at IS NULL OR issued_at >= ?) GROUP BY role_arn`, 'x', 0);
    assert.match(p, by === 'caller_arn' ? /COVERING INDEX credentials_caller_role \(caller_arn=\?/ : /COVERING INDEX credentials_caller_key_role \(caller_key=\?/);
    assert.doesNotMatch(p, /TEMP B-TREE/);
  }
  // Through the credentials view, a key's row is a strings_value seek then the key id's index, a session's a strings_value seek then credentials_issued_arn.
  const key = plan('SELECT kind, role_arn FROM credentials WHERE access_key_id = ?', 'ASIA');
  assert.match(key, /SEARCH s_access_key_id USING COVERING INDEX strings_value \(value=\?\)/);
  assert.match(key, /SEARCH c USING INDEX sqlite_autoindex_credential_rows_1 \(access_key_id=\?\)/);
  assert.doesNotMatch(key, /SCAN/);
  const session = plan('SELECT kind FROM credentials c WHERE c.issued_arn = ? ORDER BY c.issued_at, c.rowid', 'arn:aws:sts::1:assumed-role/r/s');
  assert.match(session, /SEARCH s_issued_arn USING COVERING INDEX strings_value \(value=\?\)/);
  assert.match(session, /SEARCH c USING INDEX credentials_issued_arn \(issued_arn=\?\)/);
});

test('actor lookups by key use the actors key index and roll-ups use their primary key', () => {
  assert.match(plan('SELECT * FROM actors a JOIN origins o ON o.id = a.origin WHERE a.actor_key = ?', 'AKIA'), /SEARCH a USING INDEX actors_key \(actor_key=\?\)/);
  // actor_facets is a view: stored roll-ups by primary key, a single-event actor's from its row and its event.
  const facets = plan(`SELECT facet, value, sum(count) FROM actor_facets WHERE actor IN (SELECT value FROM json_each(?)) GROUP BY facet, value`, '[1]');
  assert.match(facets, /SEARCH actor_facet_rows USING PRIMARY KEY \(actor=\?\)/);
  assert.match(facets, /SEARCH a USING INTEGER PRIMARY KEY \(rowid=\?\)/);
  assert.doesNotMatch(facets, /SCAN (a|e|actor_facet_rows)\b/);
});

test("an actor's identifiers (principal id, sourceIdentity, Identity Center user) are index reads, not a scan of every actor row", () => {
  const p = plan(BY_IDENTIFIER, { q: 'AROAEXAMPLE:session' });
  for (const index of ['actors_principal', 'actors_source_identity', 'actors_on_behalf_of']) assert.match(p, new RegExp(`USING (COVERING )?INDEX ${index}`));
  assert.doesNotMatch(p, /SCAN (r|actor_rows)\b/);
});

test('timeline pages walk a time-ordered index, sorting only the events of each time by eventID', () => {
  const db = memoryCase();
  loadRecords(db, [{
    eventVersion: '1.08', eventID: 'e1', eventTime: '2025-01-01T00:00:00Z', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances',
    awsRegion: 'us-east-1', recipientAccountId: '111111111111', sourceIPAddress: '203.0.113.1',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/ann', accountId: '111111111111', accessKeyId: 'AKIA2ANN000000000001' },
  }]);
  const origin = db.prepare('SELECT ident FROM origins LIMIT 1').pluck().get() as string;
  const pagePlan = (filter: TimelineFilter) => {
    const scope = pageScope(db, filter)!;
    return (db.prepare(`EXPLAIN QUERY PLAN ${pageSql(scope, timeOrder(scope.t, scope.idCol), 201, 0, 200)}`).all(...scope.args) as { detail: string }[])
      .map((r) => r.detail).join('\n');
  };
  const cursor = encodeCursor(Date.parse('2025-01-01T00:00:00Z'), 1);
  const cases: [TimelineFilter, RegExp][] = [
    [{}, /SEARCH e USING INDEX event_rows_time \(event_time>\?\)/],
    [{ cursor }, /SEARCH e USING INDEX event_rows_time \(event_time>\?\)/],
    [{ actor: origin }, /SEARCH ea USING COVERING INDEX event_actors_origin_time \(origin=\? AND event_time>\?\)/],
    [{ actor: origin, cursor }, /SEARCH ea USING COVERING INDEX event_actors_origin_time \(origin=\? AND event_time>\?\)/],
    [{ actor: 'AKIA2ANN000000000001' }, /event_rows_key_time \(access_key_id=\? AND event_time>\?\)/],
    [{ eventName: 'RunInstances' }, /event_rows_name_time \(event_name=\? AND event_time>\?\)/],
    [{ accounts: ['111111111111'] }, /event_rows_account_time \(account_id=\? AND event_time>\?\)/],
    [{ errorsOnly: true }, /event_rows_errors_time \(event_time>\?\)/],
    [{ includeReadOnly: false }, /event_rows_writes_time \(event_time>\?\)/],
    [{ from: '2025-01-01T00:00:00Z', to: '2025-01-02T00:00:00Z' }, /event_rows_time \(event_time>\? AND event_time<\?\)/],
  ];
  for (const [filter, index] of cases) {
    const p = pagePlan(filter);
    assert.match(p, index, JSON.stringify(filter));
    // The ties of one time, never the whole match.
    assert.match(p, /USE TEMP B-TREE FOR (LAST 2 TERMS|RIGHT PART) OF ORDER BY/, JSON.stringify(filter));
    assert.doesNotMatch(p, /SCAN e\b/, JSON.stringify(filter));
  }
});

test('an account filter reads the account\'s range of events', () => {
  const one = plan(`SELECT e.id FROM events e WHERE e.account_id = ? ORDER BY e.event_time, e.id LIMIT 201`, '111111111111');
  assert.match(one, /event_rows_account_time \(account_id=\?\)/);
  assert.doesNotMatch(one, /TEMP B-TREE/);
  const two = plan(`SELECT e.id FROM events e WHERE e.account_id IN (?, ?) ORDER BY e.event_time, e.id LIMIT 201`, '111111111111', '222222222222');
  assert.match(two, /event_rows_account_time \(account_id=\?\)/);
});

test('the check for a cross-account twin after an ingest reads only the new rows, and each candidate\'s copies by name and time', () => {
  const p = plan(NEW_TWIN, 1, 1);
  assert.match(p, /SEARCH r USING INTEGER PRIMARY KEY \(rowid>\?\)/);
  assert.match(p, /SEARCH o .*event_rows_name_time \(event_name=\? AND event_time=\?/);
  assert.doesNotMatch(p, /SCAN/);
});

test('the graph overview counts issued keys and resource kinds from covering indexes, not the tables', () => {
  const keys = plan(`SELECT role_arn, caller_arn, count(*) AS n FROM credential_rows
    WHERE role_arn IS NOT NULL AND (issued_at IS NULL OR issued_at <= ?) GROUP BY role_arn, caller_arn`, 0);
  assert.match(keys, /COVERING INDEX credentials_role_caller/);
  assert.doesNotMatch(keys, /TEMP B-TREE/);
  assert.match(plan(`SELECT caller_arn, issued_arn, count(*) AS n FROM credential_rows WHERE role_arn IS NULL AND (issued_at IS NULL OR issued_at <= ?) GROUP BY 1, 2`, 0),
    /SEARCH credential_rows USING INDEX credentials_role_caller \(role_arn=\?\)/);
  const kinds = plan(`SELECT type, account_id, region, count(*) AS n FROM resources WHERE first_seen IS NULL OR first_seen <= ? GROUP BY 1, 2, 3`, 0);
  assert.match(kinds, /COVERING INDEX resources_kind/);
  assert.doesNotMatch(kinds, /TEMP B-TREE/);
});

test('an actor report\'s findings read index ranges: its identities\' first calls, the case\'s regions by seeks', () => {
  const names = plan(FIRST_CALLS_OF_IDENTITY, { names: '["GetSecretValue"]', role: 0, origin: 1 });
  assert.match(names, /SEARCH f USING PRIMARY KEY \(role=\? AND origin=\? AND name=\?\)/);
  assert.doesNotMatch(names, /SCAN (f|s|identity_first_calls)\b/);
  const regions = plan(`SELECT value FROM strings WHERE id IN (${distinctOnIndex({ table: 'event_rows', column: 'aws_region' })})
    UNION SELECT value FROM strings WHERE id IN (${distinctOnIndex({ table: 'actor_facet_rows', column: 'value', where: "facet = 'region'" })})`);
  assert.match(regions, /SEARCH event_rows USING COVERING INDEX event_rows_region \(aws_region>\?\)/);
  assert.match(regions, /SEARCH actor_facet_rows USING COVERING INDEX actor_facets_value \(facet=\? AND value>\?\)/);
  assert.doesNotMatch(regions, /SCAN (event_rows|actor_facet_rows)\b/);
});

test('an earlier attempt at a file is one entry of the partial index by content and path, however many files share the content', () => {
  const p = plan(EARLIER_ATTEMPT, { hash: Buffer.from('e3b0c442', 'hex'), folder: '/evidence/', name: 'empty.json' });
  assert.match(p, /SEARCH source_rows USING INDEX sources_attempts \(hash=\? AND folder=\? AND name=\?\)/);
  assert.doesNotMatch(p, /SCAN|TEMP B-TREE/);
});

test("a search for a piece of a key reads the keys' range of the strings index alone", () => {
  assert.match(plan(KEYS_HOLDING, '*0117*', 50), /^SEARCH strings USING COVERING INDEX strings_value \(value>\? AND value<\?\)$/);
});

test("the new events' keys: the key index whole for a first refresh, a range of row ids for a later one", () => {
  assert.match(plan(newEventKeys(true), 0), /^(SCAN|SEARCH) event_rows USING COVERING INDEX event_rows_key_time\b/);
  const later = plan(newEventKeys(false), 0);
  assert.match(later, /SEARCH event_rows USING INTEGER PRIMARY KEY \(rowid>\?\)/);
  assert.doesNotMatch(later, /event_rows_key_time/);
});

test('the calls of a moment\'s own hour are a range of the time index, not a scan of every event', () => {
  const p = plan(HOUR_CALLS, 0, 1);
  assert.match(p, /SEARCH event_rows USING INDEX event_rows_time \(event_time>\? AND event_time<\?\)/, p);
  assert.doesNotMatch(p, /SCAN/);
});

test('an actor report reads its credentials\' addresses and its origins\' roll-ups by key, not every roll-up of the case', () => {
  const ips = plan(SESSION_IPS, { ids: '[1,2]' });
  assert.match(ips, /SCAN j VIRTUAL TABLE/);
  assert.match(ips, /SEARCH f USING PRIMARY KEY \(actor=\? AND facet=\?\)/);
  assert.doesNotMatch(ips, /actor_facets_value|SCAN (a|f|e)\b/);
  const origins = plan(ROLLUPS_OF_ORIGINS, '[1,2]');
  assert.match(origins, /SEARCH r USING PRIMARY KEY \(origin=\?/);
  assert.doesNotMatch(origins, /SCAN r\b/);
});

test('a stored finding is found by its id, and a resource\'s changing calls are a range of its links, not a read of every event', () => {
  const stored = plan(STORED_BY_ID, 'r@e', 'r@e#', 'r@e#\uffff');
  assert.match(stored, /SEARCH stored_findings USING INDEX stored_findings_id \(finding_id=\?\)/);
  assert.doesNotMatch(stored, /stored_findings_part|SCAN/);
  const calls = plan(CHANGING_CALLS, 'i-1', 0, '["CreateTags"]', 50);
  assert.match(calls, /SEARCH r USING PRIMARY KEY \(resource=\? AND event_time<\?\)/);
  assert.match(calls, /SEARCH e USING INTEGER PRIMARY KEY/);
  assert.doesNotMatch(calls, /SCAN (r|e)\b/);
});
