// AWS's own verdicts and AWS Config's history in the real workbench (browser mode, Debian Chromium): a
// GuardDuty finding is listed among the findings with its detector and how it was linked, and leads to
// the call it names; a security group's history shows the versions AWS Config recorded, marked where
// the events disagree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SKIP_WITHOUT_CHROMIUM as skip, keepScreenshot, serveInputs, withScreenshot } from './support.ts';

const A = '111122223333';
const GROUP = 'sg-0a1b2c3d4e5f60718';
const LIST_KEYS = '0d6c2a1e-0000-4000-8000-0000000000c1';
const alice = { type: 'IAMUser', principalId: 'AIDAQ4ALICEUSER7Q2ZK', arn: `arn:aws:iam::${A}:user/alice`, accountId: A, accessKeyId: 'AKIAQ4ALICEKEY7Q2ZKP', userName: 'alice' };

function call(eventID: string, eventTime: string, eventName: string, eventSource: string, requestParameters: unknown = null) {
  return { eventVersion: '1.09', eventID, eventTime, eventSource, eventName, awsRegion: 'eu-west-1', sourceIPAddress: '198.51.100.23', userAgent: 'aws-cli/2.15.0', recipientAccountId: A, userIdentity: alice, requestParameters };
}

test('a GuardDuty finding leads to the call it names; AWS Config versions are marked against the events', { skip }, async (t) => {
  const ingress = (port: number, cidr: string) => ({ groupId: GROUP, ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: port, toPort: port, ipRanges: { items: [{ cidrIp: cidr }] } }] } });
  const served = await serveInputs('detectors', (dir) => {
    const trail = join(dir, 'trail.json');
    writeFileSync(trail, JSON.stringify({ Records: [
      call(LIST_KEYS, '2024-06-03T10:10:00Z', 'ListAccessKeys', 'iam.amazonaws.com'),
      call('0d6c2a1e-0000-4000-8000-00000000a001', '2024-06-03T10:15:00Z', 'AuthorizeSecurityGroupIngress', 'ec2.amazonaws.com', ingress(22, '0.0.0.0/0')),
      call('0d6c2a1e-0000-4000-8000-00000000a002', '2024-06-03T10:40:00Z', 'AuthorizeSecurityGroupIngress', 'ec2.amazonaws.com', ingress(8080, '10.0.0.0/8')),
    ] }));
    const gd = join(dir, 'guardduty.json');
    copyFileSync(join(ROOT, 'electron/core/ingest/parse/detectors/fixtures/guardduty-eventbridge.json'), gd);
    const history = join(dir, 'config-history.json.gz');
    copyFileSync(join(ROOT, 'electron/core/ingest/normalize/config/fixtures/111122223333_Config_eu-west-1_ConfigHistory_AWS-EC2-SecurityGroup_20240603T090000Z_20240603T120000Z_1.json.gz'), history);
    return [trail, gd, history];
  });
  t.after(() => served.close());
  const { server, browser } = served;
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  await page.goto(server.url);
  await withScreenshot(page, 'detectors', async () => {
    await page.getByRole('tab', { name: /^Findings/ }).click();
    const findings = page.getByRole('region', { name: 'Findings' });
    // Findings are grouped into incidents; a medium one starts closed.
    const incident = findings.locator('li.incident').filter({ hasText: 'Unusual discovery APIs were invoked by user alice.' }).first();
    await incident.waitFor({ timeout: 30_000 });
    if (!(await incident.locator('details').first().getAttribute('open').then((v) => v !== null))) await incident.locator('summary').first().click();
    const finding = incident.locator('li.finding').filter({ hasText: 'Unusual discovery APIs were invoked by user alice.' }).first();
    await finding.waitFor({ timeout: 30_000 });
    const text = await finding.innerText();
    assert.match(text, /GuardDuty/);
    assert.match(text, /ListAccessKeys calls by or from AKIAQ4ALICEKEY7Q2ZKP/);
    await keepScreenshot(page, 'detectors-findings');
    await finding.getByRole('button', { name: `Select event ListAccessKeys ${LIST_KEYS}` }).click();
    await page.getByRole('region', { name: 'Details' }).getByText(LIST_KEYS).first().waitFor();

    await page.getByLabel('Search').fill(GROUP);
    await page.getByRole('button', { name: 'Find' }).click();
    const recorded = page.getByRole('region', { name: 'History' }).getByRole('list', { name: 'AWS Config versions' });
    await recorded.waitFor({ timeout: 30_000 });
    const versions = await recorded.getByRole('listitem').allInnerTexts();
    assert.equal(versions.length, 3);
    assert.match(versions[0], /baseline/);
    assert.match(versions[1], /agrees/);
    assert.match(versions[2], /differs[\s\S]*3389 from 0\.0\.0\.0\/0 that the events do not add/);
    await keepScreenshot(page, 'detectors-history');
  });
  await page.close();
});
