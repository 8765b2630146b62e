// How did A reach B: the shortest path (fewest hops, breadth first) and the earliest path (time
// respecting: each hop observed at or after the one before, arriving as early as possible) between
// two nodes, through addresses, keys, identities, AssumeRole, the calls made and the configuration
// relations. Bounded: at most `maxNodes` nodes expanded, `maxHops` hops, `fanout` steps per kind.
import type { PathHop, PathNode, PathQuery, PathResult } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { iso, stmt } from '../prepared.ts';
import { caseKnowsId } from '../known-id.ts';
import { labelOf, principalType } from './graph-at.ts';
import { ipNodeId } from './ip-nodes.ts';
import { typeOfId } from './node-type.ts';
import { stepsFrom, type Step, type StepOptions } from './path-steps.ts';
import { goalOf, goalRank } from './goal-steps.ts';

export type PathOptions = PathQuery & { maxNodes?: number; fanout?: number; reads?: boolean };

const NEVER = -8.64e15;
const LIMITS = { maxHops: 6, maxHopsCap: 12, maxNodes: 3000, fanout: 300 };

/** An address typed bare ("185.220.101.34") is the graph's address node. */
export function pathEndpoint(id: string): string {
  const t = id.trim();
  return /^[0-9.]+$|^[0-9a-f:]*:[0-9a-f:]+$/i.test(t) ? ipNodeId(t) : t;
}

export function findPaths(db: CaseDb, q: PathOptions): PathResult {
  const from = pathEndpoint(q.from);
  const to = pathEndpoint(q.to);
  const maxHops = Math.min(q.maxHops ?? LIMITS.maxHops, LIMITS.maxHopsCap);
  const maxNodes = Math.min(q.maxNodes ?? LIMITS.maxNodes, 50_000);
  const opts: StepOptions = { fanout: Math.min(q.fanout ?? LIMITS.fanout, 5000), reads: q.reads ?? false };
  const unknown = [from, to].filter((id) => !caseKnowsId(db, id));
  if (unknown.length) return { from, to, shortest: null, earliest: null, nodes: [], unknown, explored: 0, truncated: false };
  const goal = goalOf(db, to, opts.reads);
  let truncated = false;
  let explored = 0;
  const cache = new Map<string, Step[]>();
  const expand = (node: string, notBefore: number): Step[] => {
    const cached = notBefore === NEVER ? cache.get(node) : undefined;
    if (cached) return cached;
    explored++;
    const r = stepsFrom(db, node, notBefore, opts, goal);
    if (r.cut) truncated = true;
    if (notBefore === NEVER) cache.set(node, r.steps);
    return r.steps;
  };

  const shortest = from === to ? [] : breadthFirst(from, to, maxHops, maxNodes, expand, (n) => goalRank(goal, n), () => (truncated = true));
  const earliest = from === to ? [] : earliestArrival(from, to, maxHops, maxNodes, expand, (n) => goalRank(goal, n), () => (truncated = true));
  const ids = new Set<string>([from, to]);
  for (const h of [...(shortest ?? []), ...(earliest ?? [])]) ids.add(h.to);
  return { from, to, shortest, earliest, nodes: [...ids].map((id) => pathNode(db, id)), unknown, explored, truncated };
}

type Expand = (node: string, notBefore: number) => Step[];
type Back = { prev: string; step: Step; hops: number };

function breadthFirst(from: string, to: string, maxHops: number, maxNodes: number, expand: Expand, rank: (node: string) => number, cut: () => void): PathHop[] | null {
  const back = new Map<string, Back | null>([[from, null]]);
  let frontier = [from];
  for (let depth = 0; depth < maxHops && frontier.length; depth++) {
    const next: string[] = [];
    // The nodes next to the target first: the depth's answer is the same, found without expanding the rest.
    for (const node of frontier.map((n) => [rank(n), n] as const).sort((a, b) => a[0] - b[0]).map(([, n]) => n)) {
      if (back.size > maxNodes) {
        cut();
        return null;
      }
      // Earliest observation first, so the hop kept is the first time it happened.
      for (const s of expand(node, NEVER)) {
        if (back.has(s.to)) continue;
        back.set(s.to, { prev: node, step: s, hops: depth + 1 });
        if (s.to === to) return unwind(back, to);
        next.push(s.to);
      }
    }
    frontier = next;
  }
  if (frontier.length) cut();
  return null;
}

/** Dijkstra on arrival time: a node is reached at the time of the hop into it (a snapshot relation keeps the time); ties go to the fewer hops, then the node nearer the target. */
function earliestArrival(from: string, to: string, maxHops: number, maxNodes: number, expand: Expand, rank: (node: string) => number, cut: () => void): PathHop[] | null {
  const arrival = new Map<string, number>([[from, NEVER]]);
  const back = new Map<string, Back | null>([[from, null]]);
  const done = new Set<string>();
  const heap = new MinHeap();
  heap.push(NEVER, 0, rank(from), from);
  let expanded = 0;
  while (heap.size) {
    const [t, hops, , node] = heap.pop();
    if (done.has(node) || t > (arrival.get(node) ?? Infinity)) continue;
    done.add(node);
    if (node === to) return unwind(back, to);
    if (hops >= maxHops) continue;
    if (++expanded > maxNodes) {
      cut();
      return null;
    }
    for (const s of expand(node, t)) {
      const at = s.t ?? t;
      const old = arrival.get(s.to);
      if (done.has(s.to) || (old !== undefined && old <= at)) continue;
      arrival.set(s.to, at);
      back.set(s.to, { prev: node, step: s, hops: hops + 1 });
      heap.push(at, hops + 1, rank(s.to), s.to);
    }
  }
  return null;
}

function unwind(back: Map<string, Back | null>, to: string): PathHop[] {
  const hops: PathHop[] = [];
  for (let b = back.get(to), at = to; b; at = b.prev, b = back.get(b.prev)) {
    const s = b.step;
    hops.push({ from: b.prev, to: at, kind: s.kind, ...(s.reversed ? { reversed: true } : {}), time: iso(s.t), eventId: s.eventId, eventName: s.eventName });
  }
  return hops.reverse();
}

function pathNode(db: CaseDb, id: string): PathNode {
  const r = stmt(db, 'SELECT type, name FROM resources WHERE id = ?').get(id) as { type: string; name: string | null } | undefined;
  const p = stmt(db, 'SELECT type, name FROM principals WHERE arn = ?').get(id) as { type: string; name: string | null } | undefined;
  const type = (r?.type as PathNode['type'] | undefined) ?? (p ? principalType(p.type, id) : typeOfId(id));
  return { id, type, label: labelOf(id, r?.name ?? p?.name ?? (id.startsWith('ip/') ? id.slice(3) : null)) };
}

/** Binary heap ordered by (time, hops, rank): the earliest arrival first, the shorter path on a tie, then the node nearer the target. */
class MinHeap {
  private items: Item[] = [];
  get size(): number {
    return this.items.length;
  }
  push(t: number, hops: number, rank: number, id: string): void {
    const a = this.items;
    a.push([t, hops, rank, id]);
    for (let i = a.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (!less(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  pop(): Item {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length) {
      a[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && less(a[l], a[m])) m = l;
        if (r < a.length && less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

type Item = [t: number, hops: number, rank: number, id: string];
const less = (x: Item, y: Item) => x[0] < y[0] || (x[0] === y[0] && (x[1] < y[1] || (x[1] === y[1] && x[2] < y[2])));
