// End to end in browser mode: the investigation record from the app. Star, tag and comment on the
// hostile event (the comment is hostile too), find it in Notes, keep the view in the URL (reload,
// back), save it and open it from `trailscope serve --open`, verify the evidence and download the
// report (HTML redacted, PDF) with none of it ever becoming markup in the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import type { Page } from 'playwright-core';
import { startFixture, openApp, withScreenshot, keepScreenshot, ROOT, type Fixture, SKIP_WITHOUT_CHROMIUM } from './support.ts';
import { runTrailscope } from '../test-support/run-cli.ts';
import type { SavedView } from '../shared/api/types.ts';

const skip = SKIP_WITHOUT_CHROMIUM;
const HOSTILE_IP = '203.0.113.66';
const HOSTILE_COMMENT = '<img src=x onerror="window.__pwned=1"> attacker tagged the instance';
const HOSTILE_EVENT_ID = '0f5c6a1e-1d2b-4c3d-9e8f-0000000000aa';
const QUERY = `sourceIPAddress:${HOSTILE_IP}`;
let f: Fixture;

before(async () => {
  if (!skip) f = await startFixture();
});
after(async () => {
  await f?.close();
});

async function narrowToHostileEvent(page: Page) {
  const timeline = page.getByRole('region', { name: 'Timeline' });
  await timeline.getByLabel('Query').fill(QUERY);
  await timeline.getByRole('button', { name: 'Apply' }).click();
  await timeline.getByRole('status').getByText(/^1 event\b/).waitFor();
  await timeline.getByRole('listbox', { name: 'Events' }).getByRole('option').first().filter({ hasText: HOSTILE_IP }).click();
  return timeline;
}

test('star, tag and comment an event: marks on its row, a hostile comment stays text, Notes finds it; the URL keeps the view', { skip }, async () => {
  const page = await openApp(f);
  await withScreenshot(page, 'annotate', async () => {
    const timeline = await narrowToHostileEvent(page);
    // Its file is not listed by any CloudTrail digest.
    await page.getByRole('region', { name: 'Details' }).getByText('unverified (no digest lists it)').waitFor();
    const box = page.getByRole('region', { name: 'Details' }).getByRole('region', { name: 'Annotations' });
    await box.getByRole('button', { name: '☆ Star' }).click();
    await box.getByRole('button', { name: '★ Starred' }).waitFor();
    await box.getByLabel('Tag').fill('Suspicious');
    await box.getByRole('button', { name: 'Add tag' }).click();
    await box.getByRole('button', { name: 'Remove tag suspicious' }).waitFor();
    await box.getByLabel('Comment').fill(HOSTILE_COMMENT);
    await box.getByRole('button', { name: 'Add comment' }).click();
    await box.getByRole('list', { name: 'Comments' }).getByText(HOSTILE_COMMENT, { exact: true }).waitFor();

    // The row shows the star and the tag.
    const row = timeline.getByRole('listbox', { name: 'Events' }).getByRole('option').first();
    await row.getByRole('button', { name: 'Unstar this event' }).waitFor();
    assert.match(await row.innerText(), /#suspicious/);
    // The comment is text: no element was made of it and its handler never ran.
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);

    // Notes: a word of the comment finds it, and it leads back to the event.
    await page.waitForTimeout(500);
    await page.getByRole('tab', { name: 'Notes' }).click();
    const notes = page.getByRole('region', { name: 'Notes' });
    await notes.getByLabel('Notes containing').fill('ONERROR');
    await notes.getByRole('button', { name: 'Show' }).click();
    await notes.getByRole('status').getByText('1 annotation found').waitFor();
    assert.match(await notes.getByRole('listitem').innerText(), /attacker tagged the instance/);
    assert.match(page.url(), /tab=notes/);
    assert.match(page.url(), /q=sourceIPAddress%3A203\.0\.113\.66/);

    // Back: the previous view (the Selection tab); a reload keeps the query and the selected event.
    await page.goBack();
    await page.getByRole('tab', { name: 'Selection', selected: true }).waitFor();
    await page.reload();
    await page.getByText(/Graph ready/).waitFor({ timeout: 30_000 });
    assert.equal(await timeline.getByLabel('Query').inputValue(), QUERY);
    await timeline.getByRole('status').getByText(/^1 event\b/).waitFor();
    await page.getByRole('region', { name: 'Details' }).getByText(HOSTILE_EVENT_ID).first().waitFor();
    await keepScreenshot(page, 'annotate');
  });
  await page.close();
});

test('the timeline sorts newest first and its columns resize; the order is kept in the URL', { skip }, async () => {
  const page = await openApp(f);
  await withScreenshot(page, 'sort-resize', async () => {
    const timeline = page.getByRole('region', { name: 'Timeline' });
    const firstTime = () => timeline.getByRole('listbox', { name: 'Events' }).getByRole('option').first().locator('.t').innerText();
    const oldest = await firstTime();
    await timeline.getByRole('button', { name: /oldest first, press to reverse/ }).click();
    await timeline.getByRole('button', { name: /newest first, press to reverse/ }).waitFor();
    await page.waitForFunction((before) => {
      const t = document.querySelector('.timeline-row .t')?.textContent ?? '';
      return t !== '' && t > before;
    }, oldest);
    assert.ok((await firstTime()) > oldest, 'the newest event comes first');
    assert.match(page.url(), /order=desc/);

    // Another column: A to Z by event name (case aside), kept in the URL; the status says the order.
    await timeline.getByTitle('Sort by event').click();
    await timeline.getByTitle(/Sorted by event: A to Z/).waitFor();
    await timeline.getByRole('status').getByText(/sorted by event/).waitFor();
    const names = await page.locator('.timeline-row .n').evaluateAll((els) => els.slice(0, 12).map((e) => e.lastChild?.textContent ?? ''));
    assert.ok(names.length >= 5, names.join(','));
    const folded = names.map((n) => n.toLowerCase());
    assert.deepEqual(folded, [...folded].sort(), `rows in event-name order: ${names.join(', ')}`);
    assert.match(page.url(), /sort=eventName/);
    await timeline.getByTitle(/Sorted by event: A to Z/).click();
    await timeline.getByTitle(/Sorted by event: Z to A/).click();
    await timeline.getByRole('button', { name: /Sort by time: oldest first, press to reverse/ }).waitFor();
    assert.doesNotMatch(page.url(), /sort=/);

    const separator = timeline.getByRole('separator', { name: 'Width of column 3' });
    const cell = page.locator('.timeline-head > span').nth(2);
    const before = (await cell.boundingBox())!.width;
    await separator.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    const after = (await cell.boundingBox())!.width;
    assert.ok(after >= before + 40, `the column widened from ${before} to ${after}`);
    const row = (await page.locator('.timeline-row .n').first().boundingBox())!.width;
    assert.ok(Math.abs(row - after) < 2, 'the rows follow the head');
  });
  await page.close();
});

test('a saved view is listed by `trailscope views` and opened by the link `trailscope serve --open` prints', { skip }, async () => {
  const page = await openApp(f);
  await withScreenshot(page, 'saved-view', async () => {
    await narrowToHostileEvent(page);
    await page.getByRole('combobox', { name: 'Views' }).selectOption({ label: 'Save this view…' });
    await page.getByLabel('View name').fill('hostile address');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').getByText('Saved view hostile address').waitFor();
    const listed = await runTrailscope(['views', '--case', f.casePath, '--json']);
    assert.equal(listed.code, 0, listed.err);
    const view = (JSON.parse(listed.out) as SavedView[]).find((v) => v.name === 'hostile address');
    assert.ok(view && view.state.includes('q=sourceIPAddress'), listed.out);
    // Opened from the menu after the filters were cleared: the query comes back.
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForFunction(() => !window.location.hash.includes('q='));
    await page.getByRole('combobox', { name: 'Views' }).selectOption({ label: 'hostile address' });
    await timeline.getByRole('status').getByText(/^1 event\b/).waitFor();
    assert.equal(await timeline.getByLabel('Query').inputValue(), QUERY);
  });
  await page.close();

  const serve = spawn(process.execPath, [join(ROOT, 'bin/trailscope.js'), 'serve', '--case', f.casePath, '--port', '0', '--open', 'hostile address'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      serve.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      serve.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Open (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      serve.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${err.slice(-2000)}`)));
    });
    assert.match(url, /\?token=[\w-]+#.*q=sourceIPAddress/);
    const linked = await f.browser.newPage({ viewport: { width: 1500, height: 950 } });
    await withScreenshot(linked, 'serve-open', async () => {
      await linked.goto(url);
      const timeline = linked.getByRole('region', { name: 'Timeline' });
      await timeline.getByRole('status').getByText(/^1 event\b/).waitFor({ timeout: 30_000 });
      assert.equal(await timeline.getByLabel('Query').inputValue(), QUERY);
      assert.doesNotMatch(linked.url(), /token=/, 'the token leaves the address bar, the view stays');
      assert.match(linked.url(), /#.*q=sourceIPAddress/);
    });
    await linked.close();
  } finally {
    serve.kill();
  }
});

test('Evidence: verify from the app, then download the report: redacted HTML without the account or address, and a PDF', { skip }, async () => {
  // Its own marks (not the first test's): a starred event and a note the report must carry.
  assert.ok((await f.workbench.dispatch('notes:add', { target: 'event', targetId: HOSTILE_EVENT_ID, kind: 'star' })).ok);
  assert.ok((await f.workbench.dispatch('notes:add', { target: 'event', targetId: HOSTILE_EVENT_ID, kind: 'note', value: 'Report note: seen from the hostile address' })).ok);
  const page = await openApp(f);
  await withScreenshot(page, 'evidence', async () => {
    await page.getByRole('tab', { name: 'Evidence' }).click();
    const panel = page.getByRole('region', { name: 'Evidence' });
    await panel.getByRole('button', { name: 'Verify evidence' }).click();
    await panel.getByRole('status').getByText(/sources; \d+ digests/).waitFor({ timeout: 30_000 });
    // A folder carries no S3 metadata: its digests are an unsigned copy, each one said so in the Digests table.
    await panel.getByRole('status').getByText(/digests \(unsigned copy\).*digest signatures: 0 verified, 0 invalid, \d+ unsigned copies/).waitFor();
    await panel.getByText(/^Digests \(\d+\)$/).click();
    const firstDigest = panel.getByRole('table', { name: 'Digest signatures' }).getByRole('row').nth(1);
    assert.match((await firstDigest.textContent()) ?? '', /CloudTrail-Digest.*unsigned copy$/);

    await panel.getByRole('checkbox', { name: /Redact/ }).check();
    const [html] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Build report' }).click()]);
    assert.match(html.suggestedFilename(), /^e2e-report-redacted\.html$/);
    const text = readFileSync((await html.path())!, 'utf8');
    assert.match(text, /<html/i);
    assert.doesNotMatch(text, /<script/i, 'no script in the report');
    assert.match(text, /Report note: seen from the hostile address/);
    assert.ok(text.includes('Report note') && !text.includes('111122223333') && !text.includes(HOSTILE_IP), 'the redacted report names neither the account nor the address');
    await panel.getByRole('status').getByText(/Report saved as e2e-report-redacted\.html/).waitFor();

    await panel.getByRole('checkbox', { name: /Redact/ }).uncheck();
    await panel.getByLabel('Format').selectOption('pdf');
    const [pdf] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), panel.getByRole('button', { name: 'Build report' }).click()]);
    const pdfPath = (await pdf.path())!;
    assert.equal(readFileSync(pdfPath).subarray(0, 5).toString(), '%PDF-');
    // Table cells wrap their text across lines: compared without white space.
    const pdfText = execFileSync('pdftotext', [pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    assert.ok(pdfText.includes('Reportnote:seenfromthehostileaddress'), 'the note is in the PDF');
    assert.ok(pdfText.includes(HOSTILE_IP), 'the starred event, unredacted');
    await keepScreenshot(page, 'evidence');
  });
  await page.close();
});
