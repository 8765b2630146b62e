// The account at a moment: resources and principals that existed at T, the relations valid at T
// (snapshot edges, plus security groups set on instances and interfaces by later calls), with event
// counts. Compound parents (instance → subnet → VPC) let the UI draw VPC and subnet boxes.
import type { Graph, GraphEdge, GraphNode, GraphNodeType, NeighbourhoodQuery } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { iso, parseTime, stmt } from '../prepared.ts';

const MAX_NODES = 20_000;

type ResRow = { id: string; type: string; account: string | null; region: string | null; name: string | null; first: number | null };
type EdgeRow = { id: number; src: string; dst: string; kind: string; vf: number | null; vt: number | null };

const PARENT_KINDS = new Map([['instance-subnet', 1], ['eni-subnet', 1], ['subnet-vpc', 1]]);

export function graphAt(db: CaseDb, options: { at?: string | null } = {}): Graph {
  const at = options.at ? parseTime(options.at) : Number.MAX_SAFE_INTEGER;
  // Resources deleted before T are gone; those first seen after T do not exist yet (snapshot-only ones have no first_seen).
  const deleted = new Set(stmt(db, `SELECT r.resource_id FROM event_resources r JOIN events e ON e.id = r.event
    WHERE r.touch = 'deleted' AND e.error_code IS NULL AND e.event_time <= ?`).pluck().all(at) as string[]);
  const resources = stmt(db, `SELECT id, type, account_id AS account, region, name, first_seen AS first FROM resources
    WHERE type NOT IN ('object') AND (first_seen IS NULL OR first_seen <= ?) LIMIT ${MAX_NODES + 1}`).all(at) as ResRow[];
  const truncated = resources.length > MAX_NODES;
  const counts = eventCounts(db);
  const nodes = new Map<string, GraphNode>();
  for (const r of resources.slice(0, MAX_NODES)) {
    if (deleted.has(r.id)) continue;
    nodes.set(r.id, { id: r.id, type: r.type as GraphNodeType, label: r.name ?? r.id, account: r.account, region: r.region, parent: null, eventCount: counts.get(r.id) ?? 0 });
  }
  for (const p of stmt(db, `SELECT arn, type, account_id AS account, name, first_seen AS first, event_count AS n FROM principals WHERE first_seen IS NULL OR first_seen <= ?`)
    .all(at) as { arn: string; type: string; account: string | null; name: string | null; n: number }[]) {
    if (nodes.has(p.arn)) {
      nodes.get(p.arn)!.eventCount += p.n;
      continue;
    }
    nodes.set(p.arn, { id: p.arn, type: principalType(p.type, p.arn), label: p.name ?? p.arn, account: p.account, region: null, parent: null, eventCount: p.n });
  }
  const edges = edgesAt(db, at, nodes);
  return { at: options.at ? iso(at) : null, nodes: [...nodes.values()], edges, truncated };
}

function edgesAt(db: CaseDb, at: number, nodes: Map<string, GraphNode>): GraphEdge[] {
  const rows = stmt(db, `SELECT id, src, dst, kind, valid_from AS vf, valid_to AS vt FROM edges WHERE valid_to IS NULL OR valid_to > ?`).all(at) as EdgeRow[];
  const out: GraphEdge[] = [];
  const seen = new Set<string>();
  for (const e of rows) {
    if (!nodes.has(e.src) || !nodes.has(e.dst)) continue;
    const key = `${e.src}|${e.dst}|${e.kind}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (PARENT_KINDS.has(e.kind) && nodes.get(e.src)!.parent === null) nodes.get(e.src)!.parent = e.dst;
    out.push({ id: `e${e.id}`, source: e.src, target: e.dst, kind: e.kind, validFrom: iso(e.vf), validTo: iso(e.vt), eventCount: 0 });
  }
  // An instance inside a subnet box inherits the box from its interface when it has no direct edge.
  for (const e of rows) {
    if (e.kind === 'eni-instance' && nodes.has(e.dst) && nodes.has(e.src) && nodes.get(e.dst)!.parent === null) nodes.get(e.dst)!.parent = nodes.get(e.src)!.parent;
  }
  return out;
}

/** Events per resource id, over the whole case (one covering-index scan). */
function eventCounts(db: CaseDb): Map<string, number> {
  const m = new Map<string, number>();
  for (const [id, n] of stmt(db, 'SELECT resource_id, count(*) FROM event_resources GROUP BY resource_id').raw().all() as [string, number][]) m.set(id, n);
  return m;
}

function principalType(type: string, arn: string): GraphNodeType {
  if (type === 'Root' || arn.endsWith(':root')) return 'root';
  if (type === 'AWSService') return 'aws-service';
  if (type === 'AssumedRole' || arn.includes(':assumed-role/')) return 'session';
  if (type === 'FederatedUser') return 'federated-user';
  if (type === 'IdentityCenterUser') return 'identity-center-user';
  if (type === 'AWSAccount') return 'aws-account';
  if (arn.includes(':role/')) return 'role';
  if (arn.includes(':group/')) return 'group';
  return 'user';
}

/** One node's neighbours: configured relations plus who acted on it (or what it acted on), up to `limit`. */
export function neighbourhood(db: CaseDb, q: NeighbourhoodQuery): Graph {
  const at = q.at ? parseTime(q.at) : Number.MAX_SAFE_INTEGER;
  const limit = Math.min(q.limit ?? 200, 2000);
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const add = (id: string) => {
    if (nodes.has(id)) return;
    const r = stmt(db, 'SELECT id, type, account_id AS account, region, name FROM resources WHERE id = ?').get(id) as ResRow | undefined;
    const p = r ? undefined : (stmt(db, 'SELECT type, account_id AS account, name, event_count AS n FROM principals WHERE arn = ?').get(id) as { type: string; account: string | null; name: string | null; n: number } | undefined);
    const n = (stmt(db, 'SELECT count(*) FROM event_resources WHERE resource_id = ?').pluck().get(id) as number) + (p?.n ?? 0);
    nodes.set(id, {
      id, type: (r?.type as GraphNodeType) ?? (p ? principalType(p.type, id) : id.startsWith('ip/') ? 'ip' : 'user'),
      label: r?.name ?? p?.name ?? id, account: r?.account ?? p?.account ?? null, region: r?.region ?? null, parent: null, eventCount: n,
    });
  };
  add(q.nodeId);
  const rel = stmt(db, `SELECT id, src, dst, kind, valid_from AS vf, valid_to AS vt FROM edges WHERE (src = ? OR dst = ?) AND (valid_to IS NULL OR valid_to > ?) LIMIT ?`)
    .all(q.nodeId, q.nodeId, at, limit) as EdgeRow[];
  for (const e of rel) {
    add(e.src);
    add(e.dst);
    edges.push({ id: `e${e.id}`, source: e.src, target: e.dst, kind: e.kind, validFrom: iso(e.vf), validTo: iso(e.vt), eventCount: 0 });
  }
  // Who acted on this resource, as recorded identities with counts.
  const actors = stmt(db, `SELECT e.identity_arn AS arn, count(*) AS n FROM event_resources r JOIN events e ON e.id = r.event
    WHERE r.resource_id = ? AND e.event_time <= ? AND e.identity_arn IS NOT NULL GROUP BY e.identity_arn ORDER BY n DESC LIMIT ?`)
    .all(q.nodeId, at, limit) as { arn: string; n: number }[];
  for (const a of actors) {
    add(a.arn);
    edges.push({ id: `acted:${a.arn}>${q.nodeId}`, source: a.arn, target: q.nodeId, kind: 'acted-on', validFrom: null, validTo: null, eventCount: a.n });
  }
  // What this identity acted on.
  const targets = stmt(db, `SELECT r.resource_id AS id, count(*) AS n FROM events e JOIN event_resources r ON r.event = e.id
    WHERE e.identity_arn = ? AND e.event_time <= ? GROUP BY r.resource_id ORDER BY n DESC LIMIT ?`).all(q.nodeId, at, limit) as { id: string; n: number }[];
  for (const t of targets) {
    add(t.id);
    edges.push({ id: `acted:${q.nodeId}>${t.id}`, source: q.nodeId, target: t.id, kind: 'acted-on', validFrom: null, validTo: null, eventCount: t.n });
  }
  return { at: q.at ? iso(at) : null, nodes: [...nodes.values()], edges, truncated: rel.length >= limit || actors.length >= limit || targets.length >= limit };
}
