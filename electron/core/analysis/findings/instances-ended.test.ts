// A termination's finding names the instances it ended, production ones first, and is critical when one
// was tagged as production then; one demoted as routine, or that failed, is left as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRecords, memoryCase } from '../../../../test-support/case-fixtures.ts';
import { rec, user } from '../../../../test-support/auto-scaling-records.ts';
import { findings } from './findings.ts';
import { TERMINATED_RULE } from './instances-ended.ts';
import { TAGS_CHECKED } from './instances-in-words.ts';

const WEB = 'i-0a0a0a0a0a0a0a0a1';
const DB = 'i-0b0b0b0b0b0b0b0b2';
const ec2 = (time: string, who: string, name: string, requestParameters: object, responseElements: object | null = null, errorCode?: string) =>
  ({ ...rec(time, 'ec2.amazonaws.com', name, user(who), requestParameters, responseElements), ...(errorCode ? { errorCode } : {}) });
const launch = (time: string, instance: string, name: string, environment: string) => ec2(time, 'alice', 'RunInstances',
  { instancesSet: { items: [{ imageId: 'ami-0abc1234def567890', minCount: 1, maxCount: 1 }] },
    tagSpecificationSet: { items: [{ resourceType: 'instance', tags: [{ key: 'Name', value: name }, { key: 'Environment', value: environment }] }] } },
  { instancesSet: { items: [{ instanceId: instance }] } });
const terminate = (time: string, who: string, ids: string[], errorCode?: string) => ec2(time, who, 'TerminateInstances',
  { instancesSet: { items: ids.map((instanceId) => ({ instanceId })) } },
  errorCode ? null : { instancesSet: { items: ids.map((instanceId) => ({ instanceId, currentState: { code: 32, name: 'shutting-down' }, previousState: { code: 16, name: 'running' } })) } },
  errorCode);

function terminations(records: object[]) {
  const db = memoryCase();
  loadRecords(db, records);
  const out = findings(db).findings.filter((f) => f.rule?.id === TERMINATED_RULE).map((f) => ({ severity: f.severity, detail: f.detail, error: f.errorCode }));
  db.close();
  return out;
}

test('a termination names what it ended, production first, and is critical when one was production then', () => {
  const [ended] = terminations([launch('2024-06-01T08:00:00Z', WEB, 'web-1', 'staging'), launch('2024-06-01T08:01:00Z', DB, 'db-1', 'production'),
    terminate('2024-06-01T10:00:00Z', 'mallory', [WEB, DB])]);
  assert.equal(ended.severity, 'critical');
  assert.match(ended.detail, new RegExp(`^Ended ${DB} \\(db-1\\), ${WEB} \\(web-1\\), 1 of them tagged as production \\(Environment=production\\)\\. Terminating an instance destroys`));

  const [staging] = terminations([launch('2024-06-01T08:00:00Z', WEB, 'web-1', 'staging'), terminate('2024-06-01T10:00:00Z', 'mallory', [WEB])]);
  assert.equal(staging.severity, 'high');
  assert.match(staging.detail, new RegExp(`^Ended ${WEB} \\(web-1\\)\\. Terminating`));
});

test('a termination that failed, or that its identity does routinely, keeps the rule\'s words', () => {
  const [failed] = terminations([launch('2024-06-01T08:00:00Z', DB, 'db-1', 'production'), terminate('2024-06-01T10:00:00Z', 'mallory', [DB], 'UnauthorizedOperation')]);
  assert.equal(failed.error, 'UnauthorizedOperation');
  assert.doesNotMatch(failed.detail, /^Ended/);
  assert.notEqual(failed.severity, 'critical');

  // A deployment pipeline ending instances every day: routine, demoted, left as it was.
  const days = Array.from({ length: 12 }, (_, d) => `2024-06-${String(d + 1).padStart(2, '0')}`);
  const routine = terminations([launch('2024-05-31T08:00:00Z', DB, 'db-1', 'production'), ...days.map((day, d) => terminate(`${day}T10:00:00Z`, 'deployer', [`i-0c0c0c0c0c0c0c${String(d).padStart(3, '0')}`])),
    terminate('2024-06-13T10:00:00Z', 'deployer', [DB])]);
  const last = routine.at(-1)!;
  assert.equal(last.severity, 'low', 'demoted as routine');
  assert.doesNotMatch(last.detail, /^Ended/);
});

test('a call ending more instances than are read for tags says how many were read', () => {
  const fleet = Array.from({ length: 150 }, (_, i) => `i-0d0d0d0d0d0d0${String(i).padStart(4, '0')}`);
  const [ended] = terminations([...fleet.map((id, i) => launch('2024-06-01T08:00:00Z', id, `web-${i}`, 'production')), terminate('2024-06-01T10:00:00Z', 'mallory', fleet)]);
  assert.equal(ended.severity, 'critical');
  assert.match(ended.detail, new RegExp(`^Ended ${fleet[0]} \\(web-0\\), .* and 145 more instances, 100 of them tagged as production \\(Environment=production\\), of the first ${TAGS_CHECKED} whose tags were read\\. `));
});
