// Viewport work that must stay cheap on a 2,000-node graph without a GPU.
// cy.fit() asks every element for its bounding box, which measures 2,000 text labels (~700 ms in
// headless Chromium); the leaves' positions are already known, so the fit is computed from them.
// Labels are only worth their cost when they are readable: below LABEL_ZOOM they are switched off
// (one class toggled in a batch when the zoom crosses the threshold), so the zoomed-out overview
// neither measures nor draws text. Highlighted and selected nodes keep theirs (see node-styles.ts).
import type { Core } from 'cytoscape';

const NODE_SIZE = 22;
/** Rendered font size 9 px × zoom: below this zoom labels would be smaller than ~6 px anyway. */
export const LABEL_ZOOM = 0.7;

export function fitToNodes(cy: Core, padding = 30, ids?: Set<string>): void {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  cy.nodes().forEach((n) => {
    if (n.isParent() || (ids && !ids.has(n.id())) || n.hasClass('folded')) return;
    const p = n.position();
    if (p.x < x1) x1 = p.x;
    if (p.y < y1) y1 = p.y;
    if (p.x > x2) x2 = p.x;
    if (p.y > y2) y2 = p.y;
  });
  if (!Number.isFinite(x1)) return;
  // The legend and the minimap stand over the canvas's right edge: the graph is fitted beside them,
  // or the overview's last column (the kinds of resource) lay under them.
  const w = cy.width() - overlaidOnTheRight(cy);
  const h = cy.height();
  const bw = x2 - x1 + NODE_SIZE * 2;
  const bh = y2 - y1 + NODE_SIZE * 2;
  const zoom = Math.min(cy.maxZoom(), Math.max(cy.minZoom(), Math.min((w - 2 * padding) / bw, (h - 2 * padding) / bh)));
  cy.viewport({ zoom, pan: { x: w / 2 - zoom * (x1 + x2) / 2, y: h / 2 - zoom * (y1 + y2) / 2 } });
}

/** The height over the width of the part of the canvas a fit uses (beside the overlays): the shape the overview is laid out to. */
export function fittedAspect(cy: Core): number {
  return cy.height() / (cy.width() - overlaidOnTheRight(cy));
}

/** How far the panel's overlays (OVERLAYS) reach into the canvas from its right edge, in pixels. */
const OVERLAYS = '.legend, .graph-minimap';
function overlaidOnTheRight(cy: Core): number {
  const canvas = cy.container();
  if (!canvas?.parentElement) return 0;
  const right = canvas.getBoundingClientRect().right;
  let reach = 0;
  for (const el of canvas.parentElement.querySelectorAll(OVERLAYS)) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.left < right) reach = Math.max(reach, right - box.left);
  }
  // Never more than half the canvas: a narrow window keeps the graph first.
  return Math.min(reach, cy.width() / 2);
}

/** A view this small (the overview, a neighbourhood) keeps its labels at any zoom: they are what it says. */
export const ALWAYS_LABEL_UP_TO = 150;

/** Keeps the `labelled` class on nodes exactly when the zoom makes labels readable (or the view is small). */
export function syncLabels(cy: Core, force = false): void {
  const want = cy.zoom() >= LABEL_ZOOM || cy.nodes().length <= ALWAYS_LABEL_UP_TO;
  const scratch = cy.scratch('_trailscope') as { labelled?: boolean } | undefined;
  if (!force && scratch?.labelled === want) return;
  cy.scratch('_trailscope', { labelled: want });
  cy.batch(() => {
    if (want) cy.nodes().addClass('labelled');
    else cy.nodes('.labelled').removeClass('labelled');
  });
}
