// `trailscope who-changed` says a resource's tags when the evidence ends, and that it is production,
// before its changes: the question an investigator asks of an instance first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase } from '../../core/db/open-case.ts';
import { loadRecords } from '../../../test-support/case-fixtures.ts';
import { INSTANCE, rec, user } from '../../../test-support/auto-scaling-records.ts';
import { runTrailscope } from '../../../test-support/run-cli.ts';

test('who-changed of an instance retagged as production names its tags and says production', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-tags-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const casePath = join(dir, 'c.case');
  const db = openCase(casePath);
  const ec2 = (time: string, name: string, requestParameters: object, responseElements: object) => rec(time, 'ec2.amazonaws.com', name, user('alice'), requestParameters, responseElements);
  loadRecords(db, [
    ec2('2024-06-01T10:00:00Z', 'RunInstances', { tagSpecificationSet: { items: [{ resourceType: 'instance', tags: [{ key: 'Name', value: 'db-1' }, { key: 'Environment', value: 'staging' }] }] } },
      { instancesSet: { items: [{ instanceId: INSTANCE }] } }),
    ec2('2024-06-02T10:00:00Z', 'CreateTags', { resourcesSet: { items: [{ resourceId: INSTANCE }] }, tagSet: { items: [{ key: 'Environment', value: 'prod-eu\u001b[31m' }] } }, { _return: true }),
  ]);
  db.close();
  const { code, out } = await runTrailscope(['who-changed', '--case', casePath, INSTANCE]);
  assert.equal(code, 0);
  assert.match(out, new RegExp(`^Changes to ${INSTANCE} \\(instance\\) "db-1": 2\\n {2}tags when the evidence ends: Name=db-1, Environment=prod-eu\\\\u001b\\[31m {2}PRODUCTION \\(Environment=prod-eu\\\\u001b\\[31m\\)\\n`));
  assert.ok(!out.includes('\u001b'), 'a tag\'s control characters never reach the terminal');
  assert.match(out, /change: {2}tagged Environment=prod-eu/);
});
