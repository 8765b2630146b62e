// The account as a graph. The cytoscape instance lives in a ref, outside React state; effects apply
// store changes to it (elements, highlight, focus). Layout runs in a worker and is cached in the case.
import { useEffect, useMemo, useRef, useState } from 'react';
import cytoscape from 'cytoscape';
import type { Core, ElementDefinition } from 'cytoscape';
import type { Graph, PathHop, PathResult } from '../../../shared/engine-types.ts';
import type { Positions } from '../../../shared/api/types.ts';
import { call } from '../api/client.ts';
import { GRAPH_LAYOUT_KEY } from '../../../shared/api/layout-key.ts';
import { BlindWindowNotice } from '../panels/blind-window-notice.tsx';
import { useStore, formatTime, storeReaches } from '../store.ts';
import { OVERVIEW_ABOVE } from '../../../shared/api/overview-ids.ts';
import { cyStyle, lookOf } from './node-styles.ts';
import { layoutInWorker, placeFromCache } from './run-layout.ts';
import { gridLayout } from '../../../shared/api/layout/grid-layout.ts';
import { FCOSE_MAX_NODES } from '../../../shared/api/layout/limits.ts';
import { Legend } from './legend.tsx';
import { fitToNodes, fittedAspect, LABEL_ZOOM, syncLabels } from './viewport.ts';
import { GraphToolbar } from './graph-toolbar.tsx';
import { NodeMenu, type NodeAction } from './node-menu.tsx';
import { PathPanel } from './path-panel.tsx';
import { exportGraph, type ExportFormat } from './graph-export.ts';
import { copyText } from '../panels/copy-button.tsx';
import { flowTargetOf } from '../store.ts';
import { foldCredentials, unfoldInto } from './fold-credentials.ts';
import { Minimap } from './minimap.tsx';
import { overviewLayout } from './overview-layout.ts';
import { applyFindingRings } from './finding-rings.ts';
import { toggleStar } from '../panels/annotations-box.tsx';
import { useMarks } from '../panels/marks-badge.tsx';
import { applyMarkBadges } from './mark-badges.ts';
import { roleOfSession, sessionNameOf } from '../../../shared/resource-ids.ts';
import { SEVERITY_ORDER } from '../../../shared/severity-order.ts';

// Above this many nodes the graph opens on a question (the selection, else the top finding's actor)
// rather than on the whole account; "Whole account" shows everything.
const FOCUS_ABOVE = 300;
// A resource kind opened from the overview shows at most this many of its members.
const MEMBERS_MAX = 300;
// The minimap shows on views with more nodes than this.
const MINIMAP_ABOVE = 40;

/** What the graph shows: the default (by size), one node's neighbourhood, or a kind's members (from the overview). */
type Scope = { kind: 'auto' } | { kind: 'around'; id: string } | { kind: 'members'; type: string; account: string | null; label: string };


function elementsOf(graph: Graph, positions: Record<string, { x: number; y: number }>): ElementDefinition[] {
  const ids = new Set(graph.nodes.map((n) => n.id));
  return [
    ...graph.nodes.map((n) => ({
      group: 'nodes' as const,
      data: { id: n.id, label: shortLabel(n.label, n.type), type: n.type, ...(n.parent && ids.has(n.parent) ? { parent: n.parent } : {}) },
      position: positions[n.id] ? { ...positions[n.id] } : undefined,
      classes: n.props?.cluster ? 'cluster' : undefined,
    })),
    ...graph.edges.map((e) => ({ group: 'edges' as const, data: { id: e.id, source: e.source, target: e.target, kind: e.kind } })),
  ];
}

/** Labels that fit beside their neighbours: keys as AKIA…WXYZ, long names clipped (the full id is in Details and Copy id). */
function shortLabel(label: string, type: string): string {
  if (type === 'access-key' && label.length > 12) return `${label.slice(0, 4)}…${label.slice(-4)}`;
  // An overview node's badges ("deploy · 40 sessions · 40 keys") are its point: room for them.
  const max = label.includes(' · ') ? 44 : 28;
  return label.length > max ? `${label.slice(0, max - 2)}…` : label;
}

export function GraphView() {
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const [graph, setGraph] = useState<Graph | null>(null);
  const [status, setStatus] = useState('Loading the graph…');
  // What a quick action on a node did (copied, starred, hid, exported): its own line, so a load
  // finishing in the background (the call links added after the overview) does not overwrite it.
  const [acted, setActed] = useState<string | null>(null);
  const at = useStore((s) => s.graphAt);
  const types = useStore((s) => s.graphTypes);
  const accounts = useStore((s) => s.filter.accounts);
  const regions = useStore((s) => s.graphRegions);
  const dataVersion = useStore((s) => s.dataVersion);
  const highlighted = useStore((s) => s.highlighted);
  const focusNode = useStore((s) => s.focusNode);
  const utc = useStore((s) => s.utc);
  const selection = useStore((s) => s.selection);
  const [menu, setMenu] = useState<{ id: string; x: number; y: number } | null>(null);
  const [pathFrom, setPathFrom] = useState<string | null>(null);
  const [paths, setPaths] = useState<{ result: PathResult | null; error: string | null }>({ result: null, error: null });
  // Every type seen in this case with its count in the unfiltered graph: unchecking a type keeps it listed.
  const [typeCounts, setTypeCounts] = useState<Map<string, number>>(new Map());
  // Nodes an expansion brought in, by the node expanded: what Collapse takes away again.
  const expandedBy = useRef(new Map<string, string[]>());
  const [wholeAccount, setWholeAccount] = useState(false);
  const [focused, setFocused] = useState(false);
  const findingNodes = useStore((s) => s.findingMarks?.nodes);
  const [rings, setRings] = useState<string>('');
  const [scope, setScope] = useState<Scope>({ kind: 'auto' });
  // Whether the overview is on screen (read by cytoscape's handlers, set up once).
  const overviewRef = useRef(false);
  // Whether the default view of this case is the overview (what "Back" returns to), and the last
  // selection the overview opened a neighbourhood for.
  const [autoIsOverview, setAutoIsOverview] = useState(false);
  const openedFocus = useRef<number | null>(null);

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
      if (overviewRef.current) return openFromOverview(id);
      useStore.getState().selectNode(id);
      useStore.getState().setFilter({ node: id });
    });
    cy.on('dbltap', 'node', (e) => void expand(e.target.id() as string));
    cy.on('cxttap', 'node', (e) => {
      const id = e.target.id() as string;
      setMenu({ id, x: e.renderedPosition.x, y: e.renderedPosition.y });
    });
    cy.on('tap', (e) => {
      if (e.target === cy) setMenu(null);
    });
    cy.on('zoom', () => syncLabels(cy));
    cyRef.current = cy;
    return () => {
      cy.destroy();
      cyRef.current = null;
    };
  }, []);

  useEffect(() => {
    let stale = false;
    // This load's statuses: each is shown only while the status is still the load's last one, so
    // that those that come late (ready once drawn, the call links added after it) do not overwrite
    // what the user did meanwhile (a path search's answer). Once overwritten, the load says no more.
    let own: string | null = null;
    const loadStatus = (text: string) => {
      const last = own;
      own = text;
      setStatus((current) => (last === null || current === last ? text : current));
    };
    void (async () => {
      loadStatus('Loading the graph…');
      const started = performance.now();
      performance.mark('graph:start');
      const loading = loadScope(scope, { at, types, accounts, regions, wholeAccount });
      // At open the graph is drawn after the header's counts and the timeline's first rows (store.ts timelineDrawn).
      if (!useStore.getState().graphDrawn) await storeReaches((s) => s.timelineDrawn && (s.info !== null || s.error !== null));
      const loaded = await loading;
      if (stale) return;
      if ('error' in loaded) {
        useStore.getState().set({ graphDrawn: true });
        return loadStatus(`The graph could not be loaded: ${loaded.error}`);
      }
      overviewRef.current = loaded.overview;
      if (scope.kind === 'auto') setAutoIsOverview(loaded.overview);
      let g = loaded.graph;
      let scopeText = loaded.scopeText;
      setFocused(scope.kind !== 'auto');
      let question = false;
      if (loaded.mayFocus && !wholeAccount && (g.truncated || g.nodes.length > FOCUS_ABOVE)) {
        const focus = await focusOf();
        if (stale) return;
        const n = focus ? await call('graph:neighbours', { id: focus, at: at ?? undefined }) : null;
        if (stale) return;
        if (n?.ok) {
          g = n.value;
          question = true;
          setFocused(true);
          scopeText = ` · around ${g.nodes.find((x) => x.id === focus)?.label ?? focus} (Whole account for everything)`;
          useStore.getState().set({ highlighted: [focus!] });
        }
      }
      performance.mark('graph:fetched');
      // Positions: the case's cached layout when it covers this graph; otherwise a provisional
      // grid at once, replaced by the real layout (the server's, or one made in a worker here).
      // The case's cached layout is the whole account's: the overview, a drilled-down view and the
      // question the account opens on lay out on their own (the whole account's places of a question's
      // few nodes left them on top of each other).
      const ownLayout = loaded.overview || scope.kind !== 'auto' || question;
      const quick = ownLayout ? null : await call('graph:loadPositions', { key: GRAPH_LAYOUT_KEY, wait: false });
      if (stale) return;
      const cachedNow = placeFromCache(g, quick?.ok ? quick.value : null);
      const cy = cyRef.current;
      if (!cy) return;
      // The overview takes the shape of the pane beside its overlays, so fitted it stands as far apart as the pane allows.
      const overviewPositions = loaded.overview ? overviewLayout(g, fittedAspect(cy)) : null;
      const positions = overviewPositions ?? cachedNow ?? gridLayout(g);
      performance.mark('graph:positioned');
      cy.batch(() => {
        cy.elements().remove();
        cy.add(elementsOf(g, positions));
      });
      performance.mark('graph:added');
      fitToNodes(cy);
      const firstView = { zoom: cy.zoom(), ...cy.pan() };
      syncLabels(cy, true);
      performance.mark('graph:fitted');
      // What the user waits for is the graph on screen, which cytoscape draws on its next frame: the
      // findings panel, the calls per service and the count of hidden read-only calls are asked after
      // that frame, so that answering and showing them does not hold it.
      // The status says ready, and how long it took, once that frame is drawn: a large graph's first
      // frame is much of the wait (the whole account's 2,000 nodes: over a second without a GPU).
      const drawn = new Promise<void>((resolve) =>
        afterNextFrame(cy, () => {
          if (!useStore.getState().graphDrawn) useStore.getState().set({ graphDrawn: true });
          resolve();
        }),
      );
      const readyStatus = (text: string) => void drawn.then(() => !stale && loadStatus(`${text} · ${Math.round(performance.now() - started)} ms`));
      setGraph(g);
      expandedBy.current.clear();
      setTypeCounts((old) => {
        // An unfiltered load sets the counts; a filtered one only adds types not seen before.
        const next = new Map(types.length ? old : []);
        const counted = new Map<string, number>();
        for (const n of g.nodes) counted.set(n.type, (counted.get(n.type) ?? 0) + 1);
        for (const [t, c] of counted) if (!types.length || !next.has(t)) next.set(t, c);
        return next;
      });
      useStore.getState().set({ graphNodes: new Map(g.nodes.map((n) => [n.id, n])) });
      applyHighlight(cy, useStore.getState().highlighted);
      const folded = foldCredentials(cy, scope.kind === 'around' ? scope.id : null);
      const summary = `Graph ready: ${g.nodes.length} nodes, ${g.edges.length} edges${folded ? `, ${folded} key${folded === 1 ? '' : 's'} and session${folded === 1 ? '' : 's'} folded under their owners` : ''}${g.truncated ? ' (capped)' : ''}${scopeText}`;
      // The overview was drawn without who called which service (a scan of every event): add it now.
      const addCalls = async () => {
        // After the timeline's first rows and this graph's first frame (and its ready status): the server
        // answers one call at a time (store.ts).
        await drawn;
        await storeReaches((s) => s.timelineDrawn && s.graphDrawn);
        if (stale) return;
        const withCalls = await call('graph:overview', { at: at ?? undefined, accounts, regions, calls: true });
        if (stale || !withCalls.ok) return;
        const added = addOverviewCalls(cy, withCalls.value, overviewLayout(withCalls.value, fittedAspect(cy)), firstView);
        useStore.getState().set({ graphNodes: new Map(withCalls.value.nodes.map((n) => [n.id, n])) });
        performance.mark('graph:calls');
        loadStatus(`${summary} · overview layout · ${added} call links added · ${Math.round(performance.now() - started)} ms`);
      };
      if (overviewPositions) {
        readyStatus(`${summary} · overview layout`);
        return void addCalls();
      }
      if (cachedNow) return readyStatus(`${summary} · cached layout`);
      // Large graphs keep the grouped layout (fcose cannot lay them out usefully, see fcose-layout.ts).
      if (g.nodes.length > FCOSE_MAX_NODES) return readyStatus(`${summary} · grouped layout`);
      loadStatus(`${summary} · provisional layout, laying out…`);

      const waited = ownLayout ? null : await call('graph:loadPositions', { key: GRAPH_LAYOUT_KEY, wait: true });
      if (stale) return;
      let final = placeFromCache(g, waited?.ok ? waited.value : null);
      let note = 'layout from the case';
      if (!final) {
        const reply = await layoutInWorker(g);
        if (stale) return;
        final = { ...(waited?.ok && waited.value ? waited.value : {}), ...reply.positions };
        note = `${reply.kind === 'grouped' ? 'grouped layout' : 'layout'} ${Math.round(reply.ms)} ms`;
        if (!ownLayout) void call('graph:savePositions', { key: GRAPH_LAYOUT_KEY, positions: final });
      }
      const to = final;
      cy.batch(() => {
        cy.nodes().forEach((n) => {
          const p = to[n.id()];
          if (p && !n.isParent()) n.position({ x: p.x, y: p.y });
        });
      });
      // Nodes moved under the camera: the selected node centred, else the whole graph. A centring
      // begun on the provisional positions (a search hit's) is stopped first: running on, it left the
      // hit off screen. Centred at half the zoom that fits the graph, the whole graph stays in view
      // wherever the node lies in it; a graph too large for that, at the zoom labels are read at.
      cy.stop(true, false);
      fitToNodes(cy);
      const sel = useStore.getState().selection;
      const selected = sel.kind === 'node' ? cy.getElementById(sel.id) : cy.collection();
      if (selected.nonempty()) {
        cy.zoom(Math.min(cy.maxZoom(), Math.max(cy.zoom() / 2, LABEL_ZOOM)));
        cy.center(selected);
      }
      performance.mark('graph:final');
      loadStatus(`${summary} · ${note} · ${Math.round(performance.now() - started)} ms`);
    })();
    return () => {
      stale = true;
    };
  }, [at, types, accounts, regions, dataVersion, wholeAccount, scope]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    applyHighlight(cy, highlighted);
    // More than one element lit (an actor's resources, a path): bring them all into view.
    const lit = cy.nodes('.highlight');
    if (lit.length > 1) cy.animate({ fit: { eles: lit, padding: 80 } }, { duration: 200 });
  }, [highlighted, graph]);

  // Severity rings on the nodes findings name: after every load, expansion (status) and findings answer.
  useEffect(() => {
    if (cyRef.current) setRings(ringsText(applyFindingRings(cyRef.current, findingNodes)));
  }, [findingNodes, graph, status]);

  // The investigator's stars and tags as a badge on their nodes.
  const nodeMarks = useMarks('node');
  useEffect(() => {
    if (cyRef.current) applyMarkBadges(cyRef.current, nodeMarks);
  }, [nodeMarks, graph, status]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy || !focusNode) return;
    const n = cy.getElementById(focusNode.id);
    // Not drawn (no snapshot lists it, or the view is focused elsewhere): bring it in with who touched it.
    if (graph && overviewRef.current) {
      // In the overview a selection (a click, a search hit) opens its neighbourhood; once per
      // selection, so "Back to the overview" leaves the selection as it was.
      if (openedFocus.current === focusNode.nonce) return;
      openedFocus.current = focusNode.nonce;
      setScope({ kind: 'around', id: focusNode.id });
      return;
    }
    if (n.empty() && graph) {
      // Then centre on it, as for a node that was already drawn.
      void expand(focusNode.id, false).then(() => {
        const added = cy.getElementById(focusNode.id);
        if (added.empty()) return;
        cy.$(':selected').unselect();
        added.select();
        cy.animate({ center: { eles: added }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 200 });
      });
    }
    if (n.nonempty()) {
      cy.$(':selected').unselect();
      n.select();
      cy.animate({ center: { eles: n }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 200 });
    }
  }, [focusNode, graph]);

  async function expand(id: string, frame = true) {
    const cy = cyRef.current;
    if (!cy) return;
    const r = await call('graph:neighbours', { id, at: useStore.getState().graphAt ?? undefined });
    if (!r.ok) return setStatus(`Could not expand: ${r.error.message}`);
    const self = cy.getElementById(id);
    const view = cy.extent();
    const centre = self.nonempty() ? self.position() : { x: (view.x1 + view.x2) / 2, y: (view.y1 + view.y2) / 2 };
    // Neighbours folded or hidden earlier come back; new ones are placed on a ring around the node.
    const shownAgain = cy.collection();
    for (const n of r.value.nodes) {
      const el = cy.getElementById(n.id);
      if (el.nonempty() && el.hasClass('folded')) shownAgain.merge(el);
    }
    shownAgain.removeClass('folded');
    // Keys and sessions folded into this node come back too (their owner edges are drawn, not asked).
    const unfolded = unfoldInto(cy, id);
    const fresh = elementsOf(r.value, {}).filter((el) => cy.getElementById(String(el.data.id)).empty());
    const freshNodes = fresh.filter((el) => el.group === 'nodes');
    freshNodes.forEach((el, i) => {
      const angle = (2 * Math.PI * i) / Math.max(1, freshNodes.length);
      const radius = 80 + 4 * freshNodes.length;
      el.position = { x: centre.x + radius * Math.cos(angle), y: centre.y + radius * Math.sin(angle) };
    });
    cy.add(freshNodes);
    const freshEdges = fresh.filter((el) => el.group === 'edges' && cy.getElementById(String(el.data.source)).nonempty() && cy.getElementById(String(el.data.target)).nonempty());
    cy.add(freshEdges);
    expandedBy.current.set(id, [...(expandedBy.current.get(id) ?? []), ...freshNodes.map((el) => String(el.data.id))]);
    const known = new Map(useStore.getState().graphNodes);
    for (const n of r.value.nodes) if (!known.has(n.id)) known.set(n.id, n);
    useStore.getState().set({ graphNodes: known });
    const added = freshNodes.length + shownAgain.length + unfolded;
    if (added) {
      applyHighlight(cy, useStore.getState().highlighted);
      if (frame) cy.animate({ fit: { eles: cy.getElementById(id).closedNeighborhood(), padding: 60 } }, { duration: 200 });
    }
    const label = known.get(id)?.label ?? id;
    setStatus(added || freshEdges.length
      ? `Expanded ${label}: ${freshNodes.length} new node${freshNodes.length === 1 ? '' : 's'}${shownAgain.length + unfolded ? `, ${shownAgain.length + unfolded} shown again` : ''}, ${freshEdges.length} new link${freshEdges.length === 1 ? '' : 's'}${r.value.truncated ? ' (capped: more exist)' : ''}`
      : `Expanded ${label}: every neighbour is already shown`);
  }

  /** A click in the overview: a kind opens its members, an identity its neighbourhood (selected). */
  function openFromOverview(id: string) {
    const n = useStore.getState().graphNodes.get(id);
    if (n?.props?.cluster && typeof n.props.memberType === 'string') {
      return setScope({ kind: 'members', type: n.props.memberType, account: n.account, label: n.label });
    }
    if (n?.props?.cluster) return setStatus(`${n.label}: ${n.eventCount.toLocaleString('en')} calls. Click an identity or a kind of resource to open it.`);
    // Selected, the focusNode effect opens its neighbourhood.
    useStore.getState().selectNode(id);
  }

  function collapse(id: string) {
    const cy = cyRef.current;
    if (!cy) return;
    const node = cy.getElementById(id);
    // What expanding this node brought in, else neighbours that hang only on it (degree 1), fold into it.
    const brought = cy.collection();
    for (const b of expandedBy.current.get(id) ?? []) brought.merge(cy.getElementById(b));
    const leaves = node.neighborhood('node').filter((n) => (n as cytoscape.NodeSingular).degree(false) <= 1 && !(n as cytoscape.NodeSingular).isParent());
    const fold = brought.union(leaves).filter((n) => !n.hasClass('folded') && n.id() !== id && !(n as cytoscape.NodeSingular).isParent());
    fold.addClass('folded');
    expandedBy.current.delete(id);
    const label = useStore.getState().graphNodes.get(id)?.label ?? id;
    setStatus(fold.length ? `Collapsed ${fold.length} neighbour${fold.length === 1 ? '' : 's'} into ${label}` : `Nothing to collapse: every neighbour of ${label} is linked to something else`);
  }

  function hide(id: string) {
    const cy = cyRef.current;
    if (!cy) return;
    cy.getElementById(id).addClass('folded');
    setActed(`Hid ${useStore.getState().graphNodes.get(id)?.label ?? id} (Expand a neighbour to bring it back)`);
  }

  async function findPaths(from: string, to: string) {
    setPathFrom(from);
    setPaths({ result: null, error: null });
    setStatus(`Looking for paths from ${from} to ${to}…`);
    const started = performance.now();
    const r = await call('graph:paths', { from, to });
    if (!r.ok) {
      setPaths({ result: null, error: r.error.message });
      return setStatus(`Paths failed: ${r.error.message}`);
    }
    setPaths({ result: r.value, error: null });
    const found = r.value.shortest ?? r.value.earliest;
    setStatus(found
      ? `Paths from ${from} to ${to}: shortest ${r.value.shortest?.length ?? '–'} hops, earliest ${r.value.earliest?.length ?? '–'} hops · ${Math.round(performance.now() - started)} ms`
      : r.value.unknown.length ? `The case knows no ${r.value.unknown.join(', ')}` : `No path from ${from} to ${to}${r.value.truncated ? ' within the search limits' : ''}`);
    if (cyRef.current && found) drawPaths(cyRef.current, r.value);
  }

  function onAction(a: NodeAction) {
    if (!menu) return;
    const { id } = menu;
    setMenu(null);
    const store = useStore.getState();
    if (a === 'history' || a === 'actor') {
      store.selectNode(id);
      store.set({ sideTab: 'selection' });
      document.querySelector(`[aria-label="${a === 'history' ? 'History' : 'Actor'}"]`)?.scrollIntoView({ block: 'start' });
    } else if (a === 'flows') store.set({ flowsFor: flowTargetOf(id), sideTab: 'flows' });
    else if (a === 'timeline') store.setFilter({ node: id });
    else if (a === 'expand') void expand(id);
    else if (a === 'hide') hide(id);
    else if (a === 'paths-from') {
      setPathFrom(id);
      setPaths({ result: null, error: null });
      setStatus(`Paths from ${id}: right-click the target and choose "Paths from the marked node to here", or type its id`);
    } else if (a === 'paths-to-here' && pathFrom) void findPaths(pathFrom, id);
    else if (a === 'star') void toggleStar('node', id).then((err) => setActed(err ?? `Star toggled on ${id} (see Notes)`));
    else if (a === 'annotate') {
      store.selectNode(id);
      store.set({ sideTab: 'selection' });
      setTimeout(() => document.querySelector<HTMLInputElement>('.details-panel [aria-label="Tag"]')?.focus(), 0);
    } else if (a === 'copy') void copyText(id).then((ok) => setActed(ok ? `Copied ${id}` : `Could not copy ${id}`));
  }

  function onExport(format: ExportFormat) {
    const cy = cyRef.current;
    if (!cy) return;
    const name = exportGraph(cy, graph, format, at);
    setActed(`Exported ${cy.nodes(':visible').length} nodes as ${name}`);
  }

  const typesPresent = useMemo(() => new Set(graph?.nodes.map((n) => n.type) ?? []), [graph]);
  const menuNode = menu ? useStore.getState().graphNodes.get(menu.id) : undefined;
  // From the nodes on screen (the load and every expansion since), not only the last load.
  const shownNodes = useStore((s) => s.graphNodes);
  const highlightedLabels = shownHighlights(highlighted, (id) => shownNodes.get(id)).map(({ node, session }) =>
    session ? `${node.label} (${lookOf(node.type).label}; session ${session} folded in)` : `${node.label} (${lookOf(node.type).label})`,
  );

  return (
    <section className="graph-panel" aria-label="Graph">
      <GraphToolbar
        types={[...typeCounts.keys()].sort()}
        typeCounts={typeCounts}
        onExport={onExport}
        wholeAccount={wholeAccount}
        onScope={() => {
          setScope({ kind: 'auto' });
          setWholeAccount((w) => !w);
        }}
        onActions={() => {
          const cy = cyRef.current;
          const sel = useStore.getState().selection;
          if (!cy || sel.kind !== 'node') return setStatus('Select a node first (click it, or search for it)');
          const n = cy.getElementById(sel.id);
          const p = n.nonempty() ? n.renderedPosition() : { x: 40, y: 40 };
          setMenu({ id: sel.id, x: p.x, y: p.y });
        }}
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
      <div className="graph-canvas" ref={container} onContextMenu={(e) => e.preventDefault()} role="img" aria-label={`Graph of ${graph?.nodes.length ?? 0} nodes${at ? ` as of ${formatTime(at, utc)}` : ''}`} />
      <BlindWindowNotice at={at} />
      {scope.kind !== 'auto' ? (
        <button type="button" className="graph-back" onClick={() => setScope({ kind: 'auto' })}>
          Back to the {autoIsOverview ? 'overview' : 'graph'}
        </button>
      ) : null}
      {(graph?.nodes.length ?? 0) > MINIMAP_ABOVE ? <Minimap cy={cyRef.current} nodeCount={graph?.nodes.length ?? 0} /> : null}
      {menu ? (
        <NodeMenu id={menu.id} label={menuNode?.label ?? menu.id} x={menu.x} y={menu.y + 40} hasFlows={flowTargetOf(menu.id) !== null} pathFrom={pathFrom} onAction={onAction} onClose={() => setMenu(null)} />
      ) : null}
      {pathFrom ? (
        <PathPanel
          from={pathFrom}
          result={paths.result}
          error={paths.error}
          onTarget={(to) => void findPaths(pathFrom, to)}
          onClose={() => {
            setPathFrom(null);
            setPaths({ result: null, error: null });
            cyRef.current?.elements('.path').removeClass('path');
          }}
        />
      ) : null}
      <p className="graph-status" role="status">{status}</p>
      {acted ? <p className="graph-acted" role="status">{acted}</p> : null}
      {rings ? <p className="graph-rings">{rings}</p> : null}
      <p className="graph-highlight" aria-live="polite">
        {highlightedLabels.length ? `Highlighted in graph: ${highlightedLabels.join(', ')}` : missingText(selection, graph, at, utc)}
      </p>
      {/* A focused view grows by expansion into any type: its legend lists them all. */}
      <Legend types={focused ? new Set<string>() : typesPresent} />
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

function ringsText(counts: Partial<Record<string, number>>): string {
  const parts = ['critical', 'high', 'medium', 'low'].filter((s) => counts[s]).map((s) => `${counts[s]} ${s}`);
  return parts.length ? `Finding rings: ${parts.join(', ')}` : '';
}

/** Why nothing lights up when a selected node is absent (a terminated instance, a node after the slider's time). */
function missingText(selection: ReturnType<typeof useStore.getState>['selection'], graph: Graph | null, at: string | null, utc: boolean): string {
  if (selection.kind !== 'node' || !graph) return 'Nothing highlighted';
  return `${selection.id} is not in the graph ${at ? `as of ${formatTime(at, utc)}` : 'at the latest time'} (deleted, terminated or filtered out)`;
}

/**
 * The highlighted ids as the view draws them: a session the view folded into its role (a
 * neighbourhood's 'assumed' edge, the overview's role) is shown by that role, with its name.
 */
function shownHighlights<N extends { id: string }>(ids: string[], nodeOf: (id: string) => N | undefined): { node: N; session?: string }[] {
  const out: { node: N; session?: string }[] = [];
  for (const id of ids) {
    const node = nodeOf(id);
    if (node) {
      out.push({ node });
      continue;
    }
    const role = roleOfSession(id);
    const owner = role ? nodeOf(role) : undefined;
    if (owner && !ids.includes(role!)) out.push({ node: owner, session: sessionNameOf(id) ?? undefined });
  }
  return out;
}

function applyHighlight(cy: Core, ids: string[]) {
  cy.batch(() => {
    cy.elements('.highlight').removeClass('highlight');
    const nodes = cy.collection();
    const present = (id: string) => (cy.getElementById(id).nonempty() ? { id } : undefined);
    for (const { node } of shownHighlights(ids, present)) nodes.merge(cy.getElementById(node.id));
    nodes.addClass('highlight');
    nodes.edgesWith(nodes).addClass('highlight');
  });
}

/** Draws the paths: missing nodes placed between their neighbours, one edge per hop, all lit and framed. */
function drawPaths(cy: Core, r: PathResult) {
  const hops: PathHop[] = [...(r.shortest ?? []), ...(r.earliest ?? [])];
  const label = new Map(r.nodes.map((n) => [n.id, n]));
  cy.batch(() => {
    cy.elements('.path').removeClass('path');
    let anchor = cy.getElementById(r.from).nonempty() ? cy.getElementById(r.from).position() : { x: 0, y: 0 };
    hops.forEach((h, i) => {
      for (const id of [h.from, h.to]) {
        const el = cy.getElementById(id);
        if (el.empty()) {
          const n = label.get(id);
          cy.add({ group: 'nodes', data: { id, label: shortLabel(n?.label ?? id, n?.type ?? 'unknown'), type: n?.type ?? 'unknown' }, position: { x: anchor.x + 90, y: anchor.y + 40 * (i % 3) } });
        } else el.removeClass('folded');
        anchor = cy.getElementById(id).position();
      }
      const eid = `path:${h.from}>${h.to}:${h.kind}`;
      if (cy.getElementById(eid).empty()) cy.add({ group: 'edges', data: { id: eid, source: h.from, target: h.to, kind: h.kind, time: h.time, eventId: h.eventId } });
      cy.getElementById(eid).addClass('path');
      cy.getElementById(h.from).addClass('path');
      cy.getElementById(h.to).addClass('path');
    });
  });
  cy.animate({ fit: { eles: cy.elements('.path'), padding: 80 } }, { duration: 200 });
}

/** What the graph opens on: the selected node, else the actor of the most severe finding. */
async function focusOf(): Promise<string | null> {
  const sel = useStore.getState().selection;
  if (sel.kind === 'node') return sel.id;
  const f = await call('findings:list', { order: 'incident', limit: 200 });
  if (!f.ok) return null;
  const top = [...f.value.findings].filter((x) => x.actor?.arn).sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity])[0];
  return top?.actor?.arn ?? null;
}

type Loaded = { graph: Graph; overview: boolean; scopeText: string; mayFocus: boolean } | { error: string };

/**
 * The graph of a scope. Auto: a small account whole (or focused on a question, mayFocus); a large one
 * (over OVERVIEW_ABOVE nodes) as the folded overview.
 */
async function loadScope(scope: Scope, q: { at: string | null; types: string[]; accounts: string[] | undefined; regions: string[]; wholeAccount: boolean }): Promise<Loaded> {
  const at = q.at ?? undefined;
  if (scope.kind === 'around') {
    const r = await call('graph:neighbours', { id: scope.id, at });
    return r.ok ? { graph: r.value, overview: false, scopeText: ` · around ${r.value.nodes.find((n) => n.id === scope.id)?.label ?? scope.id}`, mayFocus: false } : { error: r.error.message };
  }
  if (scope.kind === 'members') {
    const r = await call('graph:at', { at, types: [scope.type], accounts: scope.account ? [scope.account] : q.accounts, regions: q.regions, limit: MEMBERS_MAX });
    return r.ok ? { graph: r.value, overview: false, scopeText: ` · ${scope.label}${r.value.truncated ? ` (the first ${MEMBERS_MAX})` : ''}`, mayFocus: false } : { error: r.error.message };
  }
  // Without the calls per service (the slow part): its size decides, and it is drawn first.
  const ov = await call('graph:overview', { at, accounts: q.accounts, regions: q.regions, calls: false });
  if (!ov.ok) return { error: ov.error.message };
  if (ov.value.total > OVERVIEW_ABOVE) {
    // A selection not drawn in the overview opens its neighbourhood (the focusNode effect).
    return { graph: ov.value, overview: true, scopeText: ` · overview of ${ov.value.total.toLocaleString('en')} nodes (click a node for its neighbourhood, a kind for its members)`, mayFocus: false };
  }
  const r = await call('graph:at', { at, types: q.types, accounts: q.accounts, regions: q.regions, ...(q.wholeAccount ? {} : { limit: FOCUS_ABOVE + 1 }) });
  return r.ok ? { graph: r.value, overview: false, scopeText: '', mayFocus: true } : { error: r.error.message };
}

/**
 * Runs `then` once cytoscape has drawn a frame (marked graph:painted, which bench:workbench times the
 * open to), or after a second without one: a window out of sight may draw none.
 */
function afterNextFrame(cy: Core, then: () => void): void {
  let done = false;
  const finish = (painted: boolean) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    if (painted) performance.mark('graph:painted');
    then();
  };
  const timer = setTimeout(() => finish(false), 1000);
  cy.one('render', () => finish(true));
}

/**
 * Adds the overview's "called" links, answered after its first frame, and returns how many. The
 * services only called (holding no kind drawn) join the services' column, so the whole overview is
 * laid out again with them and each node moved to its place; the view is fitted again unless the user
 * has moved it since the first fit.
 */
function addOverviewCalls(cy: Core, g: Graph, positions: Positions, firstView: { zoom: number; x: number; y: number }): number {
  const fresh = elementsOf(g, positions).filter((el) => cy.getElementById(String(el.data.id)).empty());
  const nodes = fresh.filter((el) => el.group === 'nodes');
  const links = fresh.filter((el) => el.group === 'edges');
  const untouched = cy.zoom() === firstView.zoom && cy.pan().x === firstView.x && cy.pan().y === firstView.y;
  cy.batch(() => {
    cy.nodes().forEach((n) => {
      const at = positions[n.id()];
      if (at) n.position(at);
    });
    cy.add(nodes);
    cy.add(links.filter((e) => cy.getElementById(String(e.data.source)).nonempty() && cy.getElementById(String(e.data.target)).nonempty()));
  });
  if (nodes.length > 0 && untouched) fitToNodes(cy);
  syncLabels(cy, true);
  return links.length;
}
