// Credentials fold under the identity they belong to: access keys under their user or the session an
// STS key went to, sessions under their role. The folded nodes are hidden and the owner's label carries
// a count badge ("deploy · 40 sessions", "alice · 3 keys"). Expanding the owner shows them again.
// Nodes that are highlighted, selected or on a drawn path stay visible.
import type { Core, NodeSingular } from 'cytoscape';

// What folds into what, innermost first: a key folds into its session before the session folds into its role.
const FOLDS = [
  { type: 'access-key', edges: new Set(['user-access-key', 'issued-to']), noun: 'key' },
  { type: 'session', edges: new Set(['session-of']), noun: 'session' },
] as const;

/** Folds keys and sessions with one owner (never into `keepOpen`, the node a view is about); returns how many nodes were folded. */
export function foldCredentials(cy: Core, keepOpen: string | null = null): number {
  let folded = 0;
  cy.batch(() => {
    for (const { type, edges, noun } of FOLDS) {
      const perOwner = new Map<string, NodeSingular[]>();
      cy.nodes(`[type = "${type}"]`).forEach((child) => {
        if (child.hasClass('highlight') || child.hasClass('path') || child.hasClass('folded') || child.selected()) return;
        const owners = child.connectedEdges().filter((e) => edges.has(String(e.data('kind')))).connectedNodes().filter((n) => n.id() !== child.id());
        if (owners.length !== 1) return;
        const owner = owners[0] as NodeSingular;
        if (owner.id() === keepOpen) return;
        perOwner.set(owner.id(), [...(perOwner.get(owner.id()) ?? []), child as NodeSingular]);
      });
      for (const [ownerId, children] of perOwner) {
        const owner = cy.getElementById(ownerId);
        const base = String(owner.data('baseLabel') ?? owner.data('label'));
        const badges = { ...(owner.data('badges') as Record<string, number> | undefined), [noun]: children.length };
        const text = Object.entries(badges).map(([n, c]) => `${c} ${n}${c === 1 ? '' : 's'}`).join(' · ');
        owner.data({ baseLabel: base, badges, label: `${base} · ${text}` });
        for (const c of children) c.addClass('folded');
        folded += children.length;
      }
    }
  });
  return folded;
}

/** Shows again what was folded into `id`, and drops its badges; returns how many came back. */
export function unfoldInto(cy: Core, id: string): number {
  const owner = cy.getElementById(id);
  if (owner.empty()) return 0;
  const back = owner.neighborhood('node.folded');
  back.removeClass('folded');
  if (owner.data('baseLabel') !== undefined) owner.data({ label: owner.data('baseLabel'), badges: undefined });
  return back.length;
}
