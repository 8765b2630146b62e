// The account as a graph. The cytoscape instance lives in a ref, outside React state; effects apply
// store changes to it (elements, highlight, focus). Layout runs in a worker and is cached in the case.
import { useEffect, useMemo, useRef, useState } from 'react';
import cytoscape from 'cytoscape';
import type { Core, ElementDefinition } from 'cytoscape';
import type { Graph } from '../../../shared/engine-types.ts';
import { call } from '../api/client.ts';
import { GRAPH_LAYOUT_KEY } from '../../../shared/api/layout-key.ts';
import { BlindWindowNotice } from '../panels/blind-window-notice.tsx';
import { useStore, formatTime } from '../store.ts';
import { cyStyle, lookOf } from './node-styles.ts';
import { layoutInWorker, placeFromCache } from './run-layout.ts';
import { gridLayout } from '../../../shared/api/layout/grid-layout.ts';
import { FCOSE_MAX_NODES } from '../../../shared/api/layout/limits.ts';
import { Legend } from './legend.tsx';
import { fitToNodes, syncLabels } from './viewport.ts';
import { GraphToolbar } from './graph-toolbar.tsx';


function elementsOf(graph: Graph, positions: Record<string, { x: number; y: number }>): ElementDefinition[] {
  const ids = new Set(graph.nodes.map((n) => n.id));
  return [
    ...graph.nodes.map((n) => ({
      group: 'nodes' as const,
      data: { id: n.id, label: n.label, type: n.type, ...(n.parent && ids.has(n.parent) ? { parent: n.parent } : {}) },
      position: positions[n.id] ? { ...positions[n.id] } : undefined,
    })),
    ...graph.edges.map((e) => ({ group: 'edges' as const, data: { id: e.id, source: e.source, target: e.target, kind: e.kind } })),
  ];
}

export function GraphView() {
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const [graph, setGraph] = useState<Graph | null>(null);
  const [status, setStatus] = useState('Loading the graph…');
  const at = useStore((s) => s.graphAt);
  const types = useStore((s) => s.graphTypes);
  const accounts = useStore((s) => s.graphAccounts);
  const regions = useStore((s) => s.graphRegions);
  const dataVersion = useStore((s) => s.dataVersion);
  const highlighted = useStore((s) => s.highlighted);
  const focusNode = useStore((s) => s.focusNode);
  const utc = useStore((s) => s.utc);
  const selection = useStore((s) => s.selection);

  useEffect(() => {
    claimCytoscapeStylesheet();
    const cy = cytoscape({
      container: container.current,
      style: cyStyle() as cytoscape.StylesheetJson,
      minZoom: 0.05,
      maxZoom: 4,
      // Without a GPU, redraws are the cost: draw a cached texture while panning and zooming.
      textureOnViewport: true,
      hideEdgesOnViewport: true,
      pixelRatio: 1,
    });
    cy.on('tap', 'node', (e) => {
      const id = e.target.id() as string;
      useStore.getState().selectNode(id);
      useStore.getState().setFilter({ node: id });
    });
    cy.on('dbltap', 'node', (e) => void expand(e.target.id() as string));
    cy.on('zoom', () => syncLabels(cy));
    cyRef.current = cy;
    return () => {
      cy.destroy();
      cyRef.current = null;
    };
  }, []);

  useEffect(() => {
    let stale = false;
    void (async () => {
      const started = performance.now();
      performance.mark('graph:start');
      setStatus('Loading the graph…');
      const r = await call('graph:at', { at: at ?? undefined, types, accounts, regions });
      if (stale) return;
      if (!r.ok) return setStatus(`The graph could not be loaded: ${r.error.message}`);
      const g = r.value;
      performance.mark('graph:fetched');
      // Positions: the case's cached layout when it covers this graph; otherwise a provisional
      // grid at once, replaced by the real layout (the server's, or one made in a worker here).
      const quick = await call('graph:loadPositions', { key: GRAPH_LAYOUT_KEY, wait: false });
      if (stale) return;
      const cachedNow = placeFromCache(g, quick.ok ? quick.value : null);
      const positions = cachedNow ?? gridLayout(g);
      performance.mark('graph:positioned');
      const cy = cyRef.current;
      if (!cy) return;
      cy.batch(() => {
        cy.elements().remove();
        cy.add(elementsOf(g, positions));
      });
      performance.mark('graph:added');
      fitToNodes(cy);
      syncLabels(cy, true);
      performance.mark('graph:fitted');
      setGraph(g);
      useStore.getState().set({ graphNodes: new Map(g.nodes.map((n) => [n.id, n])) });
      applyHighlight(cy, useStore.getState().highlighted);
      const summary = `Graph ready: ${g.nodes.length} nodes, ${g.edges.length} edges${g.truncated ? ' (truncated: narrow the filters)' : ''}`;
      if (cachedNow) return setStatus(`${summary} · cached layout · ${Math.round(performance.now() - started)} ms`);
      // Large graphs keep the grouped layout (fcose cannot lay them out usefully, see fcose-layout.ts).
      if (g.nodes.length > FCOSE_MAX_NODES) return setStatus(`${summary} · grouped layout · ${Math.round(performance.now() - started)} ms`);
      setStatus(`${summary} · provisional layout, laying out…`);

      const waited = await call('graph:loadPositions', { key: GRAPH_LAYOUT_KEY, wait: true });
      if (stale) return;
      let final = placeFromCache(g, waited.ok ? waited.value : null);
      let note = 'layout from the case';
      if (!final) {
        const reply = await layoutInWorker(g);
        if (stale) return;
        final = { ...(waited.ok && waited.value ? waited.value : {}), ...reply.positions };
        note = `${reply.kind === 'grouped' ? 'grouped layout' : 'layout'} ${Math.round(reply.ms)} ms`;
        void call('graph:savePositions', { key: GRAPH_LAYOUT_KEY, positions: final });
      }
      const to = final;
      cy.batch(() => {
        cy.nodes().forEach((n) => {
          const p = to[n.id()];
          if (p && !n.isParent()) n.position({ x: p.x, y: p.y });
        });
      });
      // Nodes moved under the camera: keep the selected node in view, or show the whole graph.
      const sel = useStore.getState().selection;
      const selected = sel.kind === 'node' ? cy.getElementById(sel.id) : cy.collection();
      if (selected.nonempty()) cy.center(selected);
      else fitToNodes(cy);
      performance.mark('graph:final');
      setStatus(`${summary} · ${note} · ${Math.round(performance.now() - started)} ms`);
    })();
    return () => {
      stale = true;
    };
  }, [at, types, accounts, regions, dataVersion]);

  useEffect(() => {
    if (cyRef.current) applyHighlight(cyRef.current, highlighted);
  }, [highlighted, graph]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy || !focusNode) return;
    const n = cy.getElementById(focusNode.id);
    if (n.nonempty()) {
      cy.$(':selected').unselect();
      n.select();
      cy.animate({ center: { eles: n }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 200 });
    }
  }, [focusNode, graph]);

  async function expand(id: string) {
    const cy = cyRef.current;
    if (!cy) return;
    const r = await call('graph:neighbours', { id, at: useStore.getState().graphAt ?? undefined });
    if (!r.ok) return setStatus(`Could not expand: ${r.error.message}`);
    const centre = cy.getElementById(id).position() ?? { x: 0, y: 0 };
    const fresh = elementsOf(r.value, {}).filter((el) => cy.getElementById(String(el.data.id)).empty());
    let i = 0;
    for (const el of fresh) if (el.group === 'nodes') el.position = { x: centre.x + 60 * Math.cos(i), y: centre.y + 60 * Math.sin(i++) };
    cy.add(fresh.filter((el) => el.group === 'nodes'));
    cy.add(fresh.filter((el) => el.group === 'edges' && cy.getElementById(String(el.data.source)).nonempty() && cy.getElementById(String(el.data.target)).nonempty()));
    const known = new Map(useStore.getState().graphNodes);
    for (const n of r.value.nodes) if (!known.has(n.id)) known.set(n.id, n);
    useStore.getState().set({ graphNodes: known });
    setStatus(`Expanded ${id}: ${fresh.length} new elements`);
  }

  function collapse(id: string) {
    const cy = cyRef.current;
    if (!cy) return;
    const node = cy.getElementById(id);
    // Neighbours that hang only on this node (degree 1) fold into it.
    const leaves = node.neighborhood('node').filter((n) => (n as cytoscape.NodeSingular).degree(false) <= 1 && !(n as cytoscape.NodeSingular).isParent());
    leaves.addClass('folded');
    setStatus(`Collapsed ${leaves.length} neighbours of ${id}`);
  }

  const typesPresent = useMemo(() => new Set(graph?.nodes.map((n) => n.type) ?? []), [graph]);
  const highlightedLabels = highlighted
    .map((id) => graph?.nodes.find((n) => n.id === id))
    .filter((n): n is NonNullable<typeof n> => Boolean(n))
    .map((n) => `${n.label} (${lookOf(n.type).label})`);

  return (
    <section className="graph-panel" aria-label="Graph">
      <GraphToolbar
        types={[...typesPresent].sort()}
        onFit={() => cyRef.current && fitToNodes(cyRef.current)}
        onExpand={() => {
          const sel = useStore.getState().selection;
          if (sel.kind === 'node') void expand(sel.id);
        }}
        onCollapse={() => {
          const sel = useStore.getState().selection;
          if (sel.kind === 'node') collapse(sel.id);
        }}
      />
      <div className="graph-canvas" ref={container} role="img" aria-label={`Graph of ${graph?.nodes.length ?? 0} nodes${at ? ` as of ${formatTime(at, utc)}` : ''}`} />
      <BlindWindowNotice at={at} />
      <p className="graph-status" role="status">{status}</p>
      <p className="graph-highlight" aria-live="polite">
        {highlightedLabels.length ? `Highlighted in graph: ${highlightedLabels.join(', ')}` : missingText(selection, graph, at, utc)}
      </p>
      <Legend types={typesPresent} />
    </section>
  );
}

// Cytoscape injects <style id="__________cytoscape_stylesheet"> (`.__________cytoscape_container
// { position: relative; }`) unless an element with that id exists; the CSP (style-src 'self', no
// inline styles) blocks it and Chromium logs a violation per instance. The rule lives in
// styles.css instead, and an inert element with that id tells cytoscape it is already there.
function claimCytoscapeStylesheet() {
  const id = '__________cytoscape_stylesheet';
  if (document.getElementById(id)) return;
  const marker = document.createElement('meta');
  marker.id = id;
  document.head.append(marker);
}

/** Why nothing lights up when a selected node is absent (a terminated instance, a node after the slider's time). */
function missingText(selection: ReturnType<typeof useStore.getState>['selection'], graph: Graph | null, at: string | null, utc: boolean): string {
  if (selection.kind !== 'node' || !graph) return 'Nothing highlighted';
  return `${selection.id} is not in the graph ${at ? `as of ${formatTime(at, utc)}` : 'at the latest time'} (deleted, terminated or filtered out)`;
}

function applyHighlight(cy: Core, ids: string[]) {
  cy.batch(() => {
    cy.elements('.highlight').removeClass('highlight');
    const nodes = cy.collection();
    for (const id of ids) nodes.merge(cy.getElementById(id));
    nodes.addClass('highlight');
    nodes.edgesWith(nodes).addClass('highlight');
  });
}
