// Ids of the graph overview's own nodes (electron/core/analysis/graph/overview.ts), never a resource's
// or principal's id: the renderer lays them out in columns by these prefixes.
export const SERVICE_PREFIX = 'service:';
export const KIND_PREFIX = 'kinds:';
export const MORE_PREFIX = 'more:';

/**
 * Above this many nodes in the account (sessions and keys counted, the overview's `total`) the whole
 * account is never drawn node by node: the app opens on the folded overview, and a click opens a
 * neighbourhood. The server's layout worker does not lay such an account out (nobody would see it).
 */
export const OVERVIEW_ABOVE = 2000;
