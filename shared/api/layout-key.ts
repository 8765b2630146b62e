// Kept apart from schemas.ts so the renderer can use it without pulling zod into its bundle.
/** The cached layout of the whole graph (positions stay put across filters and time). */
export const GRAPH_LAYOUT_KEY = 'graph:v1';
