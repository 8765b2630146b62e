// "Did anyone change my network ACLs?" in the real workbench (browser mode, Debian Chromium): an ACL
// from its describe-network-acls snapshot, then an entry replaced to let SSH in from the world. Its
// History shows the call, who made it and the entry before and after; the finding names the subnet it
// guards and whether it was closed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SKIP_WITHOUT_CHROMIUM as skip, keepScreenshot, searchFor, serveInputs, withScreenshot } from './support.ts';
import { A, rec, user } from '../test-support/auto-scaling-records.ts';

const ACL = 'acl-0e1d2c3b4a5968778';
const SUBNET = 'subnet-0a1b2c3d4e5f60718';

test('a network ACL\'s History: the replaced entry before and after, by whom; the finding says what it guards', { skip }, async (t) => {
  const served = await serveInputs('network-acl', (dir) => {
    const acls = join(dir, 'describe-network-acls.json');
    writeFileSync(acls, JSON.stringify({ NetworkAcls: [{
      NetworkAclId: ACL, VpcId: 'vpc-0a1b2c3d4e5f60718', IsDefault: false, OwnerId: A, Tags: [{ Key: 'Name', Value: 'prod-private' }],
      Associations: [{ NetworkAclAssociationId: 'aclassoc-0a1b2c3d', NetworkAclId: ACL, SubnetId: SUBNET }],
      Entries: [{ RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: false, CidrBlock: '10.0.0.0/16', PortRange: { From: 22, To: 22 } }],
    }] }));
    const trail = join(dir, 'trail.json');
    // A day after the snapshot, which stands for the ACL before the call.
    writeFileSync(trail, JSON.stringify({ Records: [rec('2030-01-02T10:00:00Z', 'ec2.amazonaws.com', 'ReplaceNetworkAclEntry', user('mallory'),
      { networkAclId: ACL, ruleNumber: 100, egress: false, ruleAction: 'allow', aclProtocol: '6', portRange: { from: 22, to: 22 }, cidrBlock: '0.0.0.0/0' },
      { _return: true })] }));
    return [acls, trail];
  });
  t.after(() => served.close());
  const page = await served.browser.newPage({ viewport: { width: 1500, height: 950 } });
  await page.goto(served.server.url);
  await withScreenshot(page, 'network-acl', async () => {
    await searchFor(page, ACL);
    const history = page.getByRole('region', { name: 'History' });
    const replaced = history.locator('li.history-item').filter({ hasText: 'ReplaceNetworkAclEntry' });
    await replaced.waitFor({ timeout: 30_000 });
    const text = await replaced.innerText();
    assert.match(text, /replaced inbound rule 100 with allow tcp\/22 from 0\.0\.0\.0\/0/);
    assert.match(text, /user\/mallory/);
    const cidr = replaced.getByRole('table', { name: 'Before and after' }).getByRole('row').filter({ hasText: 'cidr' });
    // The History shows a field's values as JSON text, as for every resource's diff.
    assert.deepEqual((await cidr.locator('td').allInnerTexts()).map((x) => x.trim()), ['"10.0.0.0/16"', '"0.0.0.0/0"']);
    await keepScreenshot(page, 'network-acl-history');

    await page.getByRole('tab', { name: /Findings/ }).click();
    const finding = page.getByText(/Network ACL opened to the internet: acl-0e1d2c3b4a5968778 inbound rule 100/).first();
    await finding.waitFor({ timeout: 30_000 });
  });
  await page.close();
});
