// Runs one pull in its own process so a test can kill it with SIGKILL mid-way. Endpoint and
// credentials come from the environment (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID…), as for a user.
// Test support only. Usage: node --import tsx pull-child.ts CASE SINCE UNTIL REGIONS WHAT
import { openCase } from '../../electron/core/db/open-case.ts';
import { pullAccount } from '../../electron/core/pull/index.ts';
import type { CollectorGroup } from '../../electron/core/pull/types.ts';

const [casePath, since, until, regions, what] = process.argv.slice(2);
const db = openCase(casePath);
const report = await pullAccount(db, {
  regions: regions.split(','),
  since: new Date(since),
  until: new Date(until),
  what: what.split(',') as CollectorGroup[],
  retry: { baseMs: 20, capMs: 200 },
});
db.close();
process.stdout.write(JSON.stringify(report.collectors.map((c) => [c.collector, c.region, c.status])) + '\n');
