// Kept apart from fcose-layout.ts so the page's main bundle can read it without cytoscape-fcose.
/** Above this many nodes the layout is the grouped grid (see fcose-layout.ts). */
export const FCOSE_MAX_NODES = 1000;
