// The Actor panel shows what other records tell of an origin (browser mode, Debian Chromium): a SAML
// session's subject with the issuer that vouched for it, and an Identity Center user id with the user
// name a sign-in record pairs with it (records: test-support/attribution-records.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SKIP_WITHOUT_CHROMIUM as skip, keepScreenshot, serveInputs, withScreenshot } from './support.ts';
import { B, USER_ID, accountA, accountB } from '../test-support/attribution-records.ts';

test('Actor panel: the subject with its issuer, the cross-account caller from the other trail, the user id with its name', { skip }, async (t) => {
  const served = await serveInputs('attribution', (dir) => {
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ Records: accountA }));
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ Records: accountB }));
    return [join(dir, 'a.json'), join(dir, 'b.json')];
  });
  t.after(() => served.close());
  const page = await served.browser.newPage({ viewport: { width: 1500, height: 950 } });
  await page.goto(served.server.url);
  await withScreenshot(page, 'attribution', async () => {
    const ask = async (query: string) => {
      await page.getByRole('searchbox', { name: 'Search' }).fill(query);
      await page.getByRole('button', { name: 'Find' }).click();
    };
    const actor = page.getByRole('region', { name: 'Actor' });
    await ask('ASIA2DANA0000000KEY1');
    await actor.getByRole('heading', { name: 'Actor: dana@example.org from issuer http://www.okta.com/exk1a2b3c4d5e6f7g8h9' }).waitFor({ timeout: 30_000 });
    const chain = actor.getByRole('list', { name: 'Actor chain' }).getByRole('listitem');
    assert.equal(await chain.last().getByLabel('Issuer').innerText(), 'http://www.okta.com/exk1a2b3c4d5e6f7g8h9');
    await keepScreenshot(page, 'attribution-saml');
    await ask('ASIA2AUDIT000000KEY1');
    await actor.getByRole('heading', { name: `Actor: user/carol` }).waitFor();
    assert.match(await actor.getByRole('list', { name: 'Actor chain' }).innerText(), new RegExp(`arn:aws:iam::${B}:user/carol`));
    await ask(USER_ID);
    await actor.getByRole('heading', { name: 'Actor: erin (identity-store user 906787d1c8…)' }).waitFor();
    assert.equal(await actor.getByRole('list', { name: 'Actor chain' }).getByLabel('User name').innerText(), 'erin');
  });
  await page.close();
});
