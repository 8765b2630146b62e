// End to end in browser mode: the graph's tools on the planted incident — the path from the leaked key
// to the terminated instance, the right-click menu, and exports that are real PNG and SVG files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startFixture, openApp, searchFor, withScreenshot, keepScreenshot, type Fixture, SKIP_WITHOUT_CHROMIUM } from './support.ts';

const skip = SKIP_WITHOUT_CHROMIUM;
let f: Fixture;
// Fields of incident.json this spec reads beyond the shared Incident type.
type Truth = { leakedKey: { accessKeyId: string }; terminate: { instanceId: string; eventId: string } };
let truth: Truth;

before(async () => {
  if (skip) return;
  f = await startFixture();
  truth = f.incident as unknown as Truth;
});
after(async () => {
  await f?.close();
});

test('paths: from the leaked key to the terminated instance, through AssumeRole and TerminateInstances', { skip }, async () => {
  const page = await openApp(f);
  await withScreenshot(page, 'graph-path', async () => {
    const graph = page.getByRole('region', { name: 'Graph' });
    await searchFor(page, truth.leakedKey.accessKeyId);
    await page.getByRole('button', { name: 'Actions' }).click();
    await graph.getByRole('menu').getByRole('menuitem', { name: 'Paths to…' }).click();
    const panel = graph.getByRole('region', { name: 'Paths' });
    await panel.getByLabel('Path target id').fill(truth.terminate.instanceId);
    await panel.getByRole('button', { name: 'Find paths' }).click();
    const shortest = panel.getByRole('region', { name: 'Shortest path' });
    const last = shortest.getByRole('listitem').last();
    await last.waitFor({ timeout: 10_000 });
    assert.match(await last.innerText(), new RegExp(`TerminateInstances[\\s\\S]*${truth.terminate.eventId}`));
    assert.match(await shortest.getByRole('listitem').first().innerText(), /AssumeRole/);
    await graph.getByRole('status').filter({ hasText: /Paths from .*: shortest 2 hops/ }).waitFor();
    await keepScreenshot(page, 'graph-path');
  });
  await page.close();
});

test('right-click on a node opens its menu; Copy id and Filter the timeline act on that node', { skip }, async () => {
  const page = await openApp(f);
  await withScreenshot(page, 'graph-menu', async () => {
    const graph = page.getByRole('region', { name: 'Graph' });
    const group = f.incident.openPort.groupId;
    await searchFor(page, group);
    await graph.getByText(/Highlighted in graph: .*\(Security group\)/).waitFor();
    // Selecting centres the node (a 200 ms animation, which a busy machine draws later): right-click the
    // middle of the canvas until the node is there and its menu opens (the background has no menu).
    const box = (await graph.getByRole('img', { name: /^Graph of/ }).boundingBox())!;
    const menu = graph.getByRole('menu', { name: `Actions for ${f.incident.openPort.groupName}` });
    for (let tries = 0; tries < 20 && !(await menu.isVisible()); tries++) {
      await page.waitForTimeout(250);
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { button: 'right' });
    }
    await menu.waitFor({ timeout: 5000 });
    const items = await menu.getByRole('menuitem').allInnerTexts();
    for (const want of ['History', 'Actor report', 'Filter the timeline', 'Expand', 'Hide', 'Paths to…', 'Copy id']) assert.ok(items.includes(want), `${want} in ${items}`);
    await menu.getByRole('menuitem', { name: 'Copy id' }).click();
    await graph.getByRole('status').filter({ hasText: new RegExp(`^Copied ${group}$`) }).waitFor();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { button: 'right' });
    await menu.getByRole('menuitem', { name: 'Filter the timeline' }).click();
    await page.getByRole('region', { name: 'Timeline' }).getByRole('button', { name: `Remove node filter ${group}` }).waitFor();
  });
  await page.close();
});

test('export: the PNG has the PNG signature, the SVG parses as XML and the JSON lists nodes and edges', { skip }, async () => {
  const page = await openApp(f);
  await withScreenshot(page, 'graph-export', async () => {
    const save = async (format: string) => {
      await page.locator('summary', { hasText: /^Export$/ }).click();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: format, exact: true }).click()]);
      return readFileSync((await download.path())!);
    };
    const png = await save('PNG');
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.ok(png.length > 1000);
    const svg = (await save('SVG')).toString('utf8');
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return { error: doc.getElementsByTagName('parsererror').length, root: doc.documentElement.nodeName, circles: doc.getElementsByTagName('circle').length, scripts: doc.getElementsByTagName('script').length };
    }, svg);
    assert.equal(parsed.error, 0, 'valid XML');
    assert.equal(parsed.root, 'svg');
    assert.ok(parsed.circles >= 5, `${parsed.circles} nodes drawn`);
    assert.equal(parsed.scripts, 0);
    const json = JSON.parse((await save('JSON')).toString('utf8')) as { nodes: { id: string; position: { x: number } }[]; edges: unknown[] };
    assert.ok(json.nodes.length === parsed.circles + (svg.match(/<rect /g)!.length - 1), 'the same nodes in both');
    assert.ok(json.edges.length > 0);
    assert.ok(json.nodes.every((n) => Number.isFinite(n.position.x)));
  });
  await page.close();
});
