// A handed-over export with two records dated far from the rest (a time zeroed to 1970, a year typed
// as 9999), in the real workbench (browser mode, Debian Chromium): the histogram draws the day the
// other records fall in and says what it leaves out, the list still holds both at its ends, and
// "Draw them" widens the window to every record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SKIP_WITHOUT_CHROMIUM as skip, keepScreenshot, serveInputs, withScreenshot } from './support.ts';
import { writeFarDatedExport } from '../test-support/far-dated-export.ts';

test('records dated far from the rest are listed and counted, not drawn, until asked', { skip }, async (t) => {
  const { server, browser, close } = await serveInputs('far', (dir) => {
    const file = join(dir, 'export.json');
    writeFarDatedExport(file);
    return [file];
  });
  t.after(close);
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  await page.goto(server.url);
  await withScreenshot(page, 'far-dates', async () => {
    const timeline = page.getByRole('region', { name: 'Timeline' });
    const note = timeline.getByRole('note').filter({ hasText: 'Not drawn' });
    await note.waitFor({ timeout: 30_000 });
    assert.match(await note.innerText(), /Not drawn: 1 event dated long before all the others and 1 long after; the list shows them at its ends/);
    const density = timeline.getByRole('img', { name: /Event density/ });
    const drawn = (await density.getAttribute('aria-label')) ?? '';
    assert.match(drawn, /^Event density: 60 events from /, 'the bars hold the day');
    assert.doesNotMatch(drawn, /1970|9999/, 'and span it alone');
    await timeline.getByRole('status').filter({ hasText: '62 events' }).waitFor();

    // The list holds both, first and last.
    const rows = timeline.getByRole('listbox', { name: 'Events' }).getByRole('option');
    await rows.filter({ hasText: 'DeleteTrail' }).first().waitFor();
    assert.match(await rows.first().innerText(), /DeleteTrail/);
    await timeline.getByRole('listbox', { name: 'Events' }).evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await rows.filter({ hasText: 'DeleteFlowLogs' }).first().waitFor({ timeout: 30_000 });

    await keepScreenshot(page, 'far-dates-not-drawn');
    await note.getByRole('button', { name: 'Draw them' }).click();
    await note.waitFor({ state: 'detached' });
    await timeline.getByRole('img', { name: /Event density: 62 events from / }).waitFor();
    await timeline.getByRole('status').filter({ hasText: '62 events' }).waitFor();
    await keepScreenshot(page, 'far-dates-drawn');
  });
  await page.close();
});
