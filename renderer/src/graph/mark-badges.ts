// The investigator's marks on graph nodes: a small badge in the node's top-right corner (a star, or a
// tag sign when the node is only tagged or commented), drawn as a background image so it shows at
// every zoom, labels on or off. The badge is fixed artwork: no tag text goes into the picture.
import type { Core } from 'cytoscape';
import type { Marks } from '../../../shared/api/annotations.ts';

const CLASSES = 'marked-star marked-tag';

/** Applies the badges; returns how many drawn nodes carry one. */
export function applyMarkBadges(cy: Core, marks: ReadonlyMap<string, Marks>): number {
  let drawn = 0;
  cy.batch(() => {
    cy.nodes('.marked-star, .marked-tag').removeClass(CLASSES);
    for (const [id, m] of marks) {
      const n = cy.getElementById(id);
      if (n.empty() || (!m.starred && !m.tags.length && !m.notes.length)) continue;
      n.addClass(m.starred ? 'marked-star' : 'marked-tag');
      n.data('marks', [m.starred ? 'starred' : '', ...m.tags.map((t) => `#${t}`)].filter(Boolean).join(' '));
      drawn++;
    }
  });
  return drawn;
}

const badge = (glyph: string, color: string) =>
  `data:image/svg+xml;utf8,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><circle cx="8" cy="8" r="7.5" fill="white" stroke="${color}"/><text x="8" y="12" font-size="11" text-anchor="middle" fill="${color}">${glyph}</text></svg>`)}`;

// The node's own icon stays the first image (node-styles.ts sets it per type), the badge is the second:
// cytoscape takes one list per node, so each type gets its marked rules with its icon repeated.
const layers = { 'background-width': ['auto', '55%'], 'background-height': ['auto', '55%'], 'background-position-x': ['50%', '100%'], 'background-position-y': ['50%', '0%'], 'background-clip': ['node', 'none'], 'background-image-containment': ['inside', 'over'], 'bounds-expansion': 4 };
const STAR = badge('★', '#d97706');
const TAG = badge('#', '#7c3aed');

/** Marked-node rules for the plain node (icon of `other`) and each type, after the per-type rules. */
export function markBadgeStyles(iconOf: (type: string) => string, types: readonly string[]): unknown[] {
  const rules = (selector: string, icon: string) => [
    { selector: `${selector}.marked-star`, style: { 'background-image': [icon, STAR], ...layers } },
    { selector: `${selector}.marked-tag`, style: { 'background-image': [icon, TAG], ...layers } },
  ];
  return [...rules('node', iconOf('other')), ...types.flatMap((t) => rules(`node[type = "${t}"]`, iconOf(t)))];
}
