// Ids of the graph overview's own nodes (electron/core/analysis/graph/overview.ts), never a resource's
// or principal's id: the renderer lays them out in columns by these prefixes.
export const SERVICE_PREFIX = 'service:';
export const KIND_PREFIX = 'kinds:';
export const MORE_PREFIX = 'more:';
