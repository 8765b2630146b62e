// Severity rings on the graph nodes that findings name (an actor's identity, origin and keys, an
// address, a group or an instance): a class per severity, styled in node-styles.ts under the
// highlight, selection and path looks so those still win.
import type { Core } from 'cytoscape';
import type { FindingSeverity } from '../../../shared/api/types.ts';

const CLASSES = ['finding-critical', 'finding-high', 'finding-medium', 'finding-low'];

/** Applies the rings; returns how many drawn nodes carry one, per severity. */
export function applyFindingRings(cy: Core, nodes: ReadonlyMap<string, FindingSeverity> | undefined): Partial<Record<FindingSeverity, number>> {
  const counts: Partial<Record<FindingSeverity, number>> = {};
  cy.batch(() => {
    cy.nodes(CLASSES.map((c) => `.${c}`).join(', ')).removeClass(CLASSES.join(' '));
    if (!nodes) return;
    for (const [id, severity] of nodes) {
      const n = cy.getElementById(id);
      if (n.empty()) continue;
      n.addClass(`finding-${severity}`);
      counts[severity] = (counts[severity] ?? 0) + 1;
    }
  });
  return counts;
}

export const FINDING_RING_STYLES = [
  { selector: 'node.finding-low', style: { 'border-width': 3, 'border-color': '#9ca3af', 'border-style': 'double' } },
  { selector: 'node.finding-medium', style: { 'border-width': 4, 'border-color': '#f59e0b', 'border-style': 'double' } },
  { selector: 'node.finding-high', style: { 'border-width': 5, 'border-color': '#dc2626', 'border-style': 'double' } },
  { selector: 'node.finding-critical', style: { 'border-width': 6, 'border-color': '#7f1d1d', 'border-style': 'double' } },
];
