// The Actor panel on an origin of a churned account (browser mode, Debian Chromium): a CI user whose
// every run assumes a role with a new key. The panel lists the first of its keys, sessions and
// addresses and says how many more there are, rather than drawing every one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SKIP_WITHOUT_CHROMIUM as skip, keepScreenshot, serveInputs, withScreenshot } from './support.ts';
import { REPORT_LIST_ITEMS } from '../shared/api/bounds.ts';

const A = '111122223333';
const USER = `arn:aws:iam::${A}:user/ci`;
const RUNS = REPORT_LIST_ITEMS + 30;

/** Each run: the CI user's AssumeRole (the CloudTrail reference's shape), then one call with the key it got, from an address of its own. */
function records(): object[] {
  const out: object[] = [];
  for (let i = 0; i < RUNS; i++) {
    const key = `ASIA${String(i).padStart(16, '0')}`;
    const session = `run-${i}`;
    const at = (s: number) => new Date(Date.UTC(2025, 2, 1) + (2 * i + s) * 60_000).toISOString().replace('.000Z', 'Z');
    const base = { eventVersion: '1.09', awsRegion: 'us-east-1', userAgent: 'aws-cli/2.15.0', recipientAccountId: A };
    out.push({ ...base, eventID: `00000000-0000-4000-8000-${String(2 * i).padStart(12, '0')}`, eventTime: at(0), eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole', sourceIPAddress: '203.0.113.10',
      userIdentity: { type: 'IAMUser', principalId: 'AIDACIUSER0000000001', arn: USER, accountId: A, accessKeyId: 'AKIACIUSER0000000001', userName: 'ci' },
      requestParameters: { roleArn: `arn:aws:iam::${A}:role/deploy`, roleSessionName: session },
      responseElements: { credentials: { accessKeyId: key, expiration: 'Mar 1, 2025, 11:00:00 PM' },
        assumedRoleUser: { assumedRoleId: `AROADEPLOY0000000001:${session}`, arn: `arn:aws:sts::${A}:assumed-role/deploy/${session}` } } });
    out.push({ ...base, eventID: `00000000-0000-4000-8000-${String(2 * i + 1).padStart(12, '0')}`, eventTime: at(1), eventSource: 's3.amazonaws.com',
      eventName: 'PutObject', sourceIPAddress: `10.0.${Math.floor(i / 200)}.${i % 200}`,
      userIdentity: { type: 'AssumedRole', principalId: `AROADEPLOY0000000001:${session}`, arn: `arn:aws:sts::${A}:assumed-role/deploy/${session}`,
        accountId: A, accessKeyId: key, sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${A}:role/deploy`, accountId: A } } } });
  }
  return out;
}

test("Actor panel: an origin's thousands of keys and addresses are listed to a bound, with how many more there are", { skip }, async (t) => {
  const served = await serveInputs('actor-lists', (dir) => {
    writeFileSync(join(dir, 'ci.json'), JSON.stringify({ Records: records() }));
    return [join(dir, 'ci.json')];
  });
  t.after(() => served.close());
  const page = await served.browser.newPage({ viewport: { width: 1500, height: 950 } });
  await page.goto(served.server.url);
  await withScreenshot(page, 'actor-lists', async () => {
    await page.getByRole('searchbox', { name: 'Search' }).fill(USER);
    await page.getByRole('button', { name: 'Find' }).click();
    const actor = page.getByRole('region', { name: 'Actor' });
    await actor.getByRole('heading', { name: 'Actor: user/ci' }).waitFor({ timeout: 30_000 });
    const more = RUNS + 1 - REPORT_LIST_ITEMS;
    // The user's own key and the runs' keys, the first REPORT_LIST_ITEMS of them as links.
    assert.equal(await actor.getByRole('button', { name: /^ASIA|^AKIA/ }).count(), REPORT_LIST_ITEMS);
    await actor.getByText(`… and ${more} more keys`).waitFor();
    await actor.getByText(`… and ${RUNS - REPORT_LIST_ITEMS} more sessions`).waitFor();
    const ips = actor.getByRole('table', { name: 'Source IP addresses' });
    assert.equal(await ips.locator('tbody tr').count(), REPORT_LIST_ITEMS);
    // The CI runner's address first: the most called.
    assert.match(await ips.locator('tbody tr').first().innerText(), /^203\.0\.113\.10/);
    assert.match(await ips.locator('tfoot').innerText(), new RegExp(`… and ${more} more not listed`));
    await keepScreenshot(page, 'actor-lists');
  });
  await page.close();
});
