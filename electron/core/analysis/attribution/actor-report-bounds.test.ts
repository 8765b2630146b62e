// An origin of a churned account: a CI user whose every run assumes a role with a new key. Its actor
// report lists the first REPORT_LIST_ITEMS of each list and counts the rest, and its tallies are the
// same whether they are summed from the credentials' roll-ups or from their events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertEvents, memoryCase, type TestEvent } from '../../../../test-support/case-fixtures.ts';
import { refreshDerived } from '../refresh-derived.ts';
import { actorReport } from './actor-report.ts';
import { FACET_QUERIES } from './credential-facets.ts';
import { LIST_FIELD_CHARS, REPORT_LIST_ITEMS } from '../../../../shared/api/bounds.ts';
import { formatActorReport } from '../../../cli/format/format-actor.ts';

const A = '111111111111';
const USER = `arn:aws:iam::${A}:user/ci`;
const ROLE = `arn:aws:iam::${A}:role/deploy`;
const RUNS = 250;
const at = (minute: number) => new Date(Date.UTC(2025, 0, 1) + minute * 60_000).toISOString();
const keyOf = (i: number) => `ASIA${String(i).padStart(12, '0')}`;

function ciCase() {
  const db = memoryCase();
  const events: TestEvent[] = [];
  for (let i = 0; i < RUNS; i++) {
    const session = `run-${i}`;
    const issuedArn = `arn:aws:sts::${A}:assumed-role/deploy/${session}`;
    events.push({ eventId: `assume-${i}`, time: at(2 * i), name: 'AssumeRole', source: 'sts.amazonaws.com', ip: '203.0.113.10', ua: 'aws-cli/2.15.0',
      identity: { type: 'IAMUser', arn: USER, key: 'AKIACI0000000000', userName: 'ci' }, issued: { key: keyOf(i), role: ROLE, session, issuedArn } });
    events.push({ eventId: `call-${i}`, time: at(2 * i + 1), name: 'PutObject', source: 's3.amazonaws.com', ip: `10.0.${Math.floor(i / 200)}.${i % 200}`,
      ua: i % 2 ? 'Boto3/1.34.0' : '', error: i % 50 === 0 ? 'AccessDenied' : undefined,
      identity: { type: 'AssumedRole', arn: issuedArn, key: keyOf(i), issuer: ROLE, session } });
  }
  insertEvents(db, events);
  refreshDerived(db);
  return db;
}

test("an origin's report lists the first of its thousands of keys, sessions and addresses and counts them all", () => {
  const db = ciCase();
  const r = actorReport(db, USER);
  assert.ok(r);
  assert.equal(r.matchedBy, 'origin');
  assert.equal(r.eventCount, 2 * RUNS);
  assert.deepEqual(r.totals, { accessKeys: RUNS + 1, sessions: RUNS, sourceIps: RUNS + 1, userAgents: 2, regions: 1, eventNames: 2, errors: 1 });
  // Keys and sessions in the order first used: the user's own key made the first call.
  assert.equal(r.accessKeys.length, REPORT_LIST_ITEMS);
  assert.deepEqual(r.accessKeys.slice(0, 3), ['AKIACI0000000000', keyOf(0), keyOf(1)]);
  assert.equal(r.sessions.length, REPORT_LIST_ITEMS);
  assert.equal(r.sessions[0], `arn:aws:sts::${A}:assumed-role/deploy/run-0`);
  // Addresses the most called first: the CI runner's, then one per run.
  assert.equal(r.sourceIps.length, REPORT_LIST_ITEMS);
  assert.deepEqual([r.sourceIps[0].value, r.sourceIps[0].count], ['203.0.113.10', RUNS]);
  assert.deepEqual(r.errors.map((e) => [e.value, e.count]), [['AccessDenied', RUNS / 50]]);
  assert.deepEqual(r.eventNames.map((e) => [e.value, e.count, e.errors]), [['AssumeRole', RUNS, 0], ['PutObject', RUNS, RUNS / 50]]);
  // The terminal says how many it leaves out.
  const text = formatActorReport(r);
  assert.match(text, new RegExp(`keys: AKIACI0000000000, ${keyOf(0)}, .* … ${RUNS + 1 - 10} more`));
  assert.match(text, new RegExp(`source IPs:\\n(.*\\n){15}    … ${RUNS + 1 - 15} more`));
  db.close();
});

test("a report's tallies are the same from the credentials' roll-ups and from their events", () => {
  const db = ciCase();
  // A few credentials of many calls beside the many of one: both kinds of roll-up rows (stored, and read from a lone event).
  insertEvents(db, Array.from({ length: 30 }, (_, i): TestEvent => ({
    eventId: `busy-${i}`, time: at(1000 + i), name: i % 3 ? 'GetObject' : 'ListBuckets', source: 's3.amazonaws.com', ip: i % 4 ? '198.51.100.7' : '',
    ua: 'aws-cli/2.15.0', region: i % 5 ? 'us-east-1' : 'eu-west-1', error: i % 7 ? undefined : 'ThrottlingException',
    identity: { type: 'IAMUser', arn: USER, key: 'AKIACI0000000000', userName: 'ci' },
  })));
  refreshDerived(db);
  const ids = JSON.stringify(db.prepare('SELECT id FROM actor_rows').pluck().all());
  // Every value of each facet, then the first five of each: the same rows and totals either way.
  for (const listed of [1_000_000, 5]) {
    const fromRollups = db.prepare(FACET_QUERIES.fromRollups).all({ ids, listed });
    assert.ok(fromRollups.length > (listed > RUNS ? RUNS : 0));
    assert.deepEqual(db.prepare(FACET_QUERIES.fromEvents).all({ ids, listed }), fromRollups);
  }
  db.close();
});

test('agents padded past what a list shows are listed by their start and their true size, each counted apart, the same both ways', () => {
  const db = memoryCase();
  const padded = (n: number) => `aws-cli/2.15.0 ${'\u{1F600}'.repeat(3)} padded-${n} ${'x'.repeat(300_000)}`;
  insertEvents(db, [1, 2, 2, 3, 3, 3].map((n, i): TestEvent => ({
    eventId: `pad-${i}`, time: at(i), name: 'ListBuckets', source: 's3.amazonaws.com', ip: '198.51.100.66', ua: padded(n),
    identity: { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/mallory`, key: 'AKIAMALLORY000000001', userName: 'mallory' },
  })));
  refreshDerived(db);
  const r = actorReport(db, `arn:aws:iam::${A}:user/mallory`);
  assert.ok(r);
  assert.deepEqual(r.userAgents.map((u) => u.count), [3, 2, 1]);
  for (const [i, n] of [3, 2, 1].entries()) {
    const shown = r.userAgents[i].value;
    const note = `… (${Buffer.byteLength(padded(n)).toLocaleString('en-US')} bytes)`;
    assert.ok(shown.length <= LIST_FIELD_CHARS && shown.endsWith(note), shown.slice(-60));
    assert.ok(padded(n).startsWith(shown.slice(0, -note.length)), 'the start of the agent as it is');
  }
  const ids = JSON.stringify(db.prepare('SELECT id FROM actor_rows').pluck().all());
  assert.deepEqual(db.prepare(FACET_QUERIES.fromEvents).all({ ids, listed: 10 }), db.prepare(FACET_QUERIES.fromRollups).all({ ids, listed: 10 }));
  db.close();
});
