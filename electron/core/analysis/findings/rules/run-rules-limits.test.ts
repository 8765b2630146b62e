// A Sigma rule that matches more events than a rule keeps: its findings are those of the earliest
// events, whatever order the case's records were written in, and the findings list says the rest were
// left out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { insertEvents, memoryCase, type TestEvent } from '../../../../../test-support/case-fixtures.ts';
import { sigmaRule } from '../sigma/load-sigma.ts';
import { MAX_HITS_PER_RULE, runEventRules } from './run-rules.ts';
import { MAX_FINDINGS_PER_RULE } from '../findings-per-rule.ts';

const EVERY_STOP = 'title: every stop\nid: every-stop\nlevel: medium\nlogsource: {product: aws, service: cloudtrail}\ndetection: {s: {eventName: StopInstances}, condition: s}\n';
const START = Date.parse('2024-01-01T00:00:00Z');
/** Two hours apart, so no two hits merge into one finding. */
const GAP = 2 * 3600_000;

test('a rule matching more events than it keeps lists the earliest, however the records were written', () => {
  const db = memoryCase();
  const n = MAX_HITS_PER_RULE + 5;
  const events: TestEvent[] = Array.from({ length: n }, (_, k) => ({
    eventId: `stop-${String(k).padStart(6, '0')}`, time: new Date(START + k * GAP).toISOString(), name: 'StopInstances',
    identity: { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/ops', key: 'AKIAOPS0000000000000' },
  }));
  // The newest first, as an ingest of this month's logs before last year's writes them.
  insertEvents(db, events.reverse());
  const run = runEventRules(db, [sigmaRule(EVERY_STOP, 'every-stop.yml')], new Map());
  assert.deepEqual(run.notes.filter((x) => x.includes('matching events')), [`every stop (every-stop): more than 20,000 matching events; the earliest 20,000 are listed`]);
  assert.equal(run.findings.length, MAX_FINDINGS_PER_RULE);
  const firsts = run.findings.map((f) => f.firstTime).sort();
  assert.equal(firsts[0], new Date(START).toISOString(), 'the earliest call is among them');
  assert.equal(firsts.at(-1), new Date(START + (MAX_FINDINGS_PER_RULE - 1) * GAP).toISOString());
});
