// The order of severities, most severe first: what sorts findings and picks the worst of a group, in the
// engine and in the workbench alike.
import type { FindingSeverity } from './engine-types.ts';

export const SEVERITY_ORDER: Readonly<Record<FindingSeverity, number>> = { critical: 0, high: 1, medium: 2, low: 3 };
