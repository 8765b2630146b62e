// What the graph's canvas paints, read back in the page (e2e specs only: the DOM types it needs are
// the e2e project's, and support.ts is also compiled with the benchmarks).
import type { Page } from 'playwright-core';

/**
 * The pixels of the graph canvas's middle square (`size` wide) on every layer cytoscape draws, as
 * [dx, dy, r, g, b, a] from the centre: what a node centred in the view is painted with.
 */
export async function centrePixels(page: Page, size = 24): Promise<number[][]> {
  const canvas = page.getByRole('region', { name: 'Graph' }).getByRole('img', { name: /^Graph of/ });
  return canvas.evaluate((el: HTMLElement, side: number) => {
    const out: number[][] = [];
    for (const c of el.querySelectorAll('canvas')) {
      const d = c.getContext('2d')!.getImageData(Math.floor(c.width / 2) - side / 2, Math.floor(c.height / 2) - side / 2, side, side).data;
      for (let i = 0; i < d.length; i += 4) out.push([(i / 4) % side - side / 2, Math.floor(i / 4 / side) - side / 2, d[i], d[i + 1], d[i + 2], d[i + 3]]);
    }
    return out;
  }, size);
}
