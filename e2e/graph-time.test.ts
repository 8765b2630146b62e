// End to end in browser mode: the graph's time (issue 13). The slider lands on an event and the arrows
// step from event to event; History reads as of the graph's time (a change after it greyed and marked);
// Details say which moment they describe; ids carry copy buttons.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { NearestEvents } from '../shared/engine-types.ts';
import { startFixture, openApp, withScreenshot, type Fixture, SKIP_WITHOUT_CHROMIUM } from './support.ts';

const skip = SKIP_WITHOUT_CHROMIUM;
let f: Fixture;
// The open-port change's time, beyond the shared Incident type.
type Truth = { openPort: { time: string; groupId: string } };

before(async () => {
  if (skip) return;
  f = await startFixture();
});
after(async () => {
  await f?.close();
});

/** The graph's time as the slider's output shows it (UTC, "YYYY-MM-DD HH:MM:SSZ"), as an ISO time. */
async function graphTime(page: Page): Promise<string> {
  const text = await page.getByRole('toolbar', { name: 'Graph controls' }).locator('.time-slider output').innerText();
  return text.replace(' ', 'T');
}

/** The events either side of a moment, from the case (the same call the slider makes). */
async function nearest(iso: string): Promise<NearestEvents> {
  const r = (await f.workbench.dispatch('graph:nearestEvent', { at: iso })) as { ok: true; value: NearestEvents } | { ok: false };
  assert.ok(r.ok);
  return r.value;
}

async function isEventTime(iso: string): Promise<boolean> {
  const r = { ok: true, value: await nearest(iso) };
  return r.ok && r.value.nearest !== null && Date.parse(r.value.nearest) === Date.parse(iso);
}

test('the slider lands on an event, and Previous / Next event step from one event to the next', { skip }, async () => {
  const page = await openApp(f);
  await withScreenshot(page, 'graph-time-slider', async () => {
    const graph = page.getByRole('region', { name: 'Graph' });
    const slider = page.getByRole('slider', { name: 'Point in time' });
    await slider.focus();
    for (let i = 0; i < 7; i++) await page.keyboard.press('PageDown');
    await graph.getByRole('img', { name: /as of \d{4}-\d\d-\d\d/ }).waitFor({ timeout: 5000 });
    await graph.getByText(/Graph ready/).waitFor();
    const landed = await graphTime(page);
    assert.ok(await isEventTime(landed), `${landed} is the time of an event`);
    await page.getByRole('button', { name: 'Next event' }).click();
    await page.waitForFunction((t) => !document.querySelector('.time-slider output')?.textContent?.includes(t), landed.replace('T', ' '));
    const next = await graphTime(page);
    assert.ok(Date.parse(next) > Date.parse(landed) && (await isEventTime(next)), `${next} is the next event after ${landed}`);
    const between = await nearest(new Date(Date.parse(landed) + 1).toISOString());
    assert.equal(Date.parse(between.after!), Date.parse(next), 'no event skipped');
    await page.getByRole('button', { name: 'Previous event' }).click();
    await page.waitForFunction((t) => document.querySelector('.time-slider output')?.textContent === t, landed.replace('T', ' '));
  });
  await page.close();
});

test('History as of the graph\'s time: the open-port change after it is greyed and marked; Details say the moment', { skip }, async () => {
  const truth = f.incident as unknown as Truth;
  const page = await openApp(f);
  await withScreenshot(page, 'graph-time-history', async () => {
    await page.getByLabel('Search').fill(truth.openPort.groupId);
    await page.getByRole('button', { name: 'Find' }).click();
    const history = page.getByRole('region', { name: 'History' });
    const change = history.getByRole('listitem').filter({ hasText: 'AuthorizeSecurityGroupIngress' }).first();
    await change.waitFor({ timeout: 10_000 });
    assert.equal(await change.getByText("after the graph's time").count(), 0, 'at the latest time nothing is after it');
    await history.getByRole('button', { name: `Copy id ${truth.openPort.groupId}` }).waitFor();
    // A minute before the change.
    const before = new Date(Date.parse(truth.openPort.time) - 60_000).toISOString().slice(0, 16).replace('T', ' ');
    await page.getByLabel('Go to time').fill(before);
    await page.getByRole('button', { name: 'Go' }).click();
    await change.getByText("after the graph's time").waitFor({ timeout: 5000 });
    assert.match(await history.innerText(), /as of 2\d{3}-\d\d-\d\d \d\d:\d\d.*later change/);
    const details = page.getByRole('region', { name: 'Details' });
    assert.match(await details.innerText(), new RegExp(`As of\\s+${before.replace(/[-:]/g, '.')}`));
  });
  await page.close();
});
