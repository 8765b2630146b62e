// End to end in browser mode with Debian's Chromium: the investigator's path through the demo
// incident, import through the UI, hostile record data kept inert, and the token gate.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startFixture, openApp, withScreenshot, keepScreenshot, XSS_AGENT, XSS_EVENT_NAME, type Fixture, SKIP_WITHOUT_CHROMIUM } from './support.ts';
import { centrePixels } from './canvas-pixels.ts';
import { realSample } from '../test-support/real-data.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const skip = SKIP_WITHOUT_CHROMIUM;
let f: Fixture;

before(async () => {
  if (!skip) f = await startFixture();
});
after(async () => {
  await f?.close();
});

test('search the planted security group: its history says production, and shows the actor, source IP and the rule opened to 0.0.0.0/0', { skip }, async () => {
  const page = await openApp(f);
  await withScreenshot(page, 'history', async () => {
    const { openPort, attacker } = f.incident;
    await page.getByLabel('Search').fill(openPort.groupId);
    await page.getByRole('button', { name: 'Find' }).click();
    const history = page.getByRole('region', { name: 'History' });
    const change = history.getByRole('listitem').filter({ hasText: 'AuthorizeSecurityGroupIngress' });
    await change.first().waitFor();
    await assert.doesNotReject(change.getByText(openPort.sessionArn).first().waitFor({ timeout: 5000 }));
    await assert.doesNotReject(change.getByText(attacker.ip).first().waitFor({ timeout: 5000 }));
    const rule = change.getByRole('list', { name: 'Rule changes' });
    assert.match(await rule.innerText(), new RegExp(`port ${openPort.fromPort} from 0\\.0\\.0\\.0/0`));
    assert.match(await change.innerText(), new RegExp(`user/${f.incident.leakedKey.userName}`), 'resolved to the leaked key owner');
    // Before who changed it: that it is production, by its tags.
    assert.match(await history.getByLabel('Tags').innerText(), /^production \(Environment=production\) Tags when the evidence ends: .*Environment=production/);
    await keepScreenshot(page, 'history');
  });
  await page.close();
});

test('select the rule change in the timeline: its actor is highlighted in the graph', { skip }, async () => {
  const page = await openApp(f);
  await withScreenshot(page, 'timeline-highlight', async () => {
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.getByLabel('Event name').fill('AuthorizeSecurityGroupIngress');
    await timeline.getByRole('button', { name: 'Apply' }).click();
    const events = timeline.getByRole('listbox', { name: 'Events' });
    const row = events.getByRole('option').filter({ hasText: f.incident.attacker.ip });
    await row.first().click();
    const graph = page.getByRole('region', { name: 'Graph' });
    await graph.getByText(new RegExp(`Highlighted in graph: .*${f.incident.assumeRole.sessionName}`)).waitFor({ timeout: 5000 });
    const details = page.getByRole('region', { name: 'Details' });
    await details.getByText(f.incident.openPort.eventId).first().waitFor();
    // Keyboard: the list moves with the arrow keys.
    await events.focus();
    await page.keyboard.press('Home');
    assert.equal(await events.getByRole('option', { selected: true }).count(), 1);
  });
  await page.close();
});

test('an event whose user agent is HTML renders as text and runs nothing', { skip }, async () => {
  const page = await openApp(f);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await withScreenshot(page, 'xss', async () => {
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.getByLabel('Event name').fill(XSS_EVENT_NAME);
    await timeline.getByRole('button', { name: 'Apply' }).click();
    const row = timeline.getByRole('listbox', { name: 'Events' }).getByRole('option').filter({ hasText: XSS_AGENT });
    await row.first().click();
    const details = page.getByRole('region', { name: 'Details' });
    await details.getByText(XSS_AGENT, { exact: true }).waitFor();
    assert.match(await details.locator('pre').innerText(), /<script>alert\(2\)<\/script>/);
    assert.equal(await page.locator('img[src="x"], svg[onload], script:not([src])').count(), 0, 'no element was created from record data');
    await page.waitForTimeout(300);
    assert.deepEqual(dialogs, []);
  });
  await page.close();
});

test('import a folder of real samples through the UI: progress and counts', { skip }, async () => {
  const page = await openApp(f);
  await withScreenshot(page, 'import', async () => {
    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import into this case' });
    await dialog.getByLabel(/Files or folders on the server/).fill(realSample('stratus-red-team'));
    await dialog.getByRole('button', { name: 'Start import' }).click();
    await dialog.getByRole('progressbar').waitFor();
    const status = dialog.getByRole('status');
    await status.getByText(/Import finished/).waitFor({ timeout: 60_000 });
    const text = await status.innerText();
    const m = /(\d+) of (\d+) files, ([\d,]+) events/.exec(text);
    assert.ok(m, text);
    assert.equal(m[1], m[2]);
    assert.ok(Number(m[3].replaceAll(',', '')) > 0, text);
  });
  await page.close();
});

test('an import that cannot read everything says which files, which records and why, and stores the rest', { skip }, async () => {
  const dir = mkdtempSync(join(f.dir, 'partial-'));
  const record = (id: string) => JSON.stringify({
    eventVersion: '1.08', eventTime: '2026-11-02T10:00:00Z', eventSource: 'ec2.amazonaws.com', eventName: 'DescribeVpcs', awsRegion: 'us-east-1',
    eventID: id, recipientAccountId: '111122223333', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/import-check', accountId: '111122223333' },
  });
  // A record cut in the middle between two good ones, and a file that is no evidence at all.
  writeFileSync(join(dir, 'export.jsonl'), [record('import-check-1'), `{"eventName": "${XSS_AGENT}`, record('import-check-2')].join('\n'));
  writeFileSync(join(dir, 'readme.txt'), 'handed over with the export\n');
  const page = await openApp(f);
  await withScreenshot(page, 'import-partial', async () => {
    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import into this case' });
    await dialog.getByLabel(/Files or folders on the server/).fill(dir);
    await dialog.getByRole('button', { name: 'Start import' }).click();
    const status = dialog.getByRole('status');
    await status.getByText(/Import finished/).waitFor({ timeout: 60_000 });
    assert.match(await status.innerText(), /2 events, .*1 file rejected, 1 record rejected in 1 other file/);

    const rejected = dialog.getByRole('table', { name: 'Rejected files' }).getByRole('row').filter({ hasText: 'readme.txt' });
    assert.equal(await rejected.count(), 1);
    const partly = dialog.getByRole('table', { name: 'Files with rejected records' }).getByRole('row').filter({ hasText: 'export.jsonl' });
    assert.deepEqual((await partly.getByRole('cell').allInnerTexts()).slice(1, 3), ['2', '1']);
    assert.match(await partly.getByRole('listitem').first().innerText(), /^line 2: invalid JSON/);
    // The cut record's text is never shown, as text or as markup.
    assert.equal(await dialog.locator('img').count(), 0);
    assert.ok(!(await dialog.innerText()).includes('onerror'));
    await keepScreenshot(page, 'import-partial');

    // Later, the Evidence tab says the same of the case: which inputs it holds in part, and why.
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('tab', { name: 'Evidence' }).click();
    const panel = page.getByRole('region', { name: 'Evidence' });
    await panel.getByRole('status', { name: 'Inputs read' }).getByText(/not read whole: .*rejected/).waitFor();
    assert.equal(await panel.getByRole('table', { name: 'Rejected files' }).getByRole('row').filter({ hasText: 'readme.txt' }).count(), 1);
    const later = panel.getByRole('table', { name: 'Files with rejected records' }).getByRole('row').filter({ hasText: 'export.jsonl' });
    assert.deepEqual((await later.getByRole('cell').allInnerTexts()).slice(1, 3), ['2', '1']);
    assert.match(await later.getByRole('listitem').first().innerText(), /^line 2: invalid JSON/);
    assert.ok(!(await panel.innerText()).includes('onerror'));
    await keepScreenshot(page, 'evidence-inputs');
  });
  await page.close();
});

test('moving the point-in-time slider reloads the graph once, when the hand stops', { skip }, async () => {
  const page = await openApp(f);
  await withScreenshot(page, 'slider', async () => {
    const graphCalls: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/graph%3Aat') || r.url().includes('/api/graph:at')) graphCalls.push(r.postData() ?? '');
    });
    const slider = page.getByRole('slider', { name: 'Point in time' });
    await slider.focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press('PageDown');
    const graph = page.getByRole('region', { name: 'Graph' });
    await graph.getByRole('img', { name: /as of \d{4}-\d\d-\d\d/ }).waitFor({ timeout: 5000 });
    await graph.getByText(/Graph ready/).waitFor();
    await page.waitForTimeout(500);
    assert.equal(graphCalls.length, 1, `one reload, got ${graphCalls.length}`);
    assert.match(graphCalls[0], /"at":"\d{4}-/);
  });
  await page.close();
});

test('the app loads without Content-Security-Policy violations', { skip }, async () => {
  const page = await f.browser.newPage({ viewport: { width: 1500, height: 950 } });
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.goto(f.server.url);
  await page.getByText(/Graph ready: .*(cached layout|grouped layout|layout from the case|layout \d+ ms)/).waitFor({ timeout: 30_000 });
  await page.getByRole('listbox', { name: 'Events' }).getByRole('option').first().waitFor();
  assert.deepEqual(violations, []);
  await page.close();
});

test('node types carry icons: the legend shows them and the graph paints them on the nodes', { skip }, async () => {
  const page = await openApp(f);
  await withScreenshot(page, 'icons', async () => {
    const graph = page.getByRole('region', { name: 'Graph' });
    const legend = graph.getByRole('list', { name: 'Legend' });
    for (const name of ['Security group', 'EC2 instance', 'IAM user', 'Role session']) {
      const icon = legend.getByRole('img', { name: `${name} icon` });
      // The swatch's icon is an SVG data URI the browser decodes (a broken one has no size).
      const size = await icon.evaluate(async (el) => {
        const m = /url\("(data:image\/svg\+xml,[^"]+)"\)/.exec(getComputedStyle(el).backgroundImage);
        if (!m) return 0;
        const img = new Image();
        img.src = m[1];
        await img.decode();
        return img.naturalWidth;
      });
      assert.ok(size > 0, `${name}: legend icon decodes`);
    }
    // Centre the planted security group (a red octagon) and look at the canvas there: its white
    // shield outline is drawn over the red fill, out to about 10 px from the centre (the generic
    // icon of an untyped node is a small ring within 5 px; without icons there is no white at all).
    await graph.getByText(/Graph ready: .*(cached layout|grouped layout|layout from the case|layout \d+ ms)/).waitFor({ timeout: 30_000 });
    await page.getByLabel('Search').fill(f.incident.openPort.groupId);
    await page.getByRole('button', { name: 'Find' }).click();
    await graph.getByText(/Highlighted in graph: .*\(Security group\)/).waitFor();
    await page.waitForTimeout(600); // the 200 ms centring animation, and its last frame painted
    const white = (await centrePixels(page)).filter(([x, y, r, g, b, a]) => Math.max(Math.abs(x), Math.abs(y)) >= 6 && a > 200 && r > 230 && g > 230 && b > 230).length;
    assert.ok(white > 10, `the shield icon is painted on the node (${white} white pixels around its centre)`);
    await keepScreenshot(page, 'icons');
  });
  await page.close();
});

test('files dropped on the page in browser mode: the page stays, and says where dropping works', { skip }, async () => {
  const page = await openApp(f);
  await withScreenshot(page, 'drop', async () => {
    const before = page.url();
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['{"Records":[]}'], 'trail.json', { type: 'application/json' }));
      window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await page.getByRole('status').filter({ hasText: 'Drop files or folders to import them into this case' }).waitFor();
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['{"Records":[]}'], 'trail.json', { type: 'application/json' }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await page.getByRole('alert').filter({ hasText: /Dropping files works in the desktop app/ }).waitFor();
    assert.equal(page.url(), before);
    assert.equal(await page.getByText('Drop files or folders to import them into this case').count(), 0);
    await keepScreenshot(page, 'drop');
  });
  await page.close();
});

test('the server refuses requests without the token or from another origin', { skip }, async () => {
  const base = `http://127.0.0.1:${f.server.port}`;
  assert.equal((await fetch(`${base}/`)).status, 401);
  assert.equal((await fetch(`${base}/api/case:info`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status, 401);
  const foreign = await fetch(`${base}/api/case:info`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-trailscope-token': f.server.token, origin: 'http://evil.example' },
    body: '{}',
  });
  assert.equal(foreign.status, 403);
  // And from a page: the app's own origin without the token is refused as well.
  const page = await f.browser.newPage();
  await page.goto(`${base}/?token=${f.server.token}`);
  const status = await page.evaluate(async () => (await fetch('/api/case:info', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status);
  assert.equal(status, 401);
  await page.close();
});
