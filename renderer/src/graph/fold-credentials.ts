// Access keys fold under the identity they belong to (the user of a long-term key, the session an STS
// key went to): the key nodes are hidden and the owner's label carries a count badge ("alice · 3 keys").
// Expanding the owner shows them again. Keys that are highlighted or on a drawn path stay visible.
import type { Core, NodeSingular } from 'cytoscape';

const OWNER_EDGES = new Set(['user-access-key', 'issued-to']);

/** Folds keys with one owner; returns how many were folded. */
export function foldCredentials(cy: Core): number {
  const perOwner = new Map<string, NodeSingular[]>();
  cy.nodes('[type = "access-key"]').forEach((key) => {
    if (key.hasClass('highlight') || key.hasClass('path') || key.selected()) return;
    const owners = key.connectedEdges().filter((e) => OWNER_EDGES.has(String(e.data('kind')))).connectedNodes().filter((n) => n.id() !== key.id());
    if (owners.length !== 1) return;
    const owner = owners[0] as NodeSingular;
    perOwner.set(owner.id(), [...(perOwner.get(owner.id()) ?? []), key as NodeSingular]);
  });
  let folded = 0;
  cy.batch(() => {
    for (const [ownerId, keys] of perOwner) {
      const owner = cy.getElementById(ownerId);
      const base = String(owner.data('baseLabel') ?? owner.data('label'));
      owner.data({ baseLabel: base, label: `${base} · ${keys.length} key${keys.length === 1 ? '' : 's'}` });
      for (const k of keys) k.addClass('folded');
      folded += keys.length;
    }
  });
  return folded;
}
