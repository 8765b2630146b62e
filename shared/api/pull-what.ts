// What a live pull can collect; kept apart from the zod schemas so the renderer imports no zod.
export const PULL_WHAT = ['cloudtrail', 'flows', 'config'] as const;
