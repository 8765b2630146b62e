// THIN QUERY (workbench-owned, see report): the graph at time T, used only until the engine's graph
// (electron/core/analysis) is present. Resources and principals become nodes; edges valid at T;
// instances, interfaces and subnets nest in their subnet/VPC boxes; sessions hang off their role;
// principals point at the resources they changed.
import type { CaseDb } from '../../db/open-case.ts';
import type { Graph, GraphNode, GraphEdge, GraphNodeType } from '../../../../shared/engine-types.ts';

export type GraphQuery = { at?: string; types?: string[]; accounts?: string[]; regions?: string[]; limit?: number };

const PRINCIPAL_TYPES: Record<string, GraphNodeType> = {
  IAMUser: 'user',
  AssumedRole: 'session',
  Role: 'role',
  Root: 'root',
  AWSService: 'aws-service',
  FederatedUser: 'federated-user',
  IdentityCenterUser: 'identity-center-user',
  AWSAccount: 'aws-account',
};

const PARENT_KINDS = new Set(['subnet-vpc', 'instance-subnet', 'eni-subnet']);

function principalType(arn: string, recorded: string): GraphNodeType {
  if (PRINCIPAL_TYPES[recorded]) return PRINCIPAL_TYPES[recorded];
  if (/:assumed-role\//.test(arn)) return 'session';
  if (/:role\//.test(arn)) return 'role';
  if (/:user\//.test(arn)) return 'user';
  if (/:root$/.test(arn)) return 'root';
  return 'aws-account';
}

function roleOfSession(arn: string): string | null {
  const m = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : null;
}

function labelOf(id: string, name: string | null): string {
  if (name) return name;
  const slash = id.lastIndexOf('/');
  return id.startsWith('arn:') && slash > 0 ? id.slice(slash + 1) : id;
}

export function graphAt(db: CaseDb, q: GraphQuery): Graph {
  const at = q.at ? Date.parse(q.at) : null;
  const limit = q.limit ?? 5000;
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const typeOk = (t: string) => !q.types?.length || q.types.includes(t);
  const acctOk = (a: string | null) => !q.accounts?.length || (a !== null && q.accounts.includes(a));
  const regionOk = (r: string | null) => !q.regions?.length || r === null || q.regions.includes(r);
  let truncated = false;

  const resources = db
    .prepare(
      "SELECT id, type, account_id, region, name FROM resources WHERE type NOT IN ('security-group-rule', 'inline-policy', 'login-profile', 'object') AND (? IS NULL OR first_seen IS NULL OR first_seen <= ?) ORDER BY type, id",
    )
    .all(at, at) as { id: string; type: GraphNodeType; account_id: string | null; region: string | null; name: string | null }[];
  for (const r of resources) {
    if (!typeOk(r.type) || !acctOk(r.account_id) || !regionOk(r.region)) continue;
    if (nodes.size >= limit) {
      truncated = true;
      break;
    }
    nodes.set(r.id, { id: r.id, type: r.type, label: labelOf(r.id, r.name), account: r.account_id, region: r.region, parent: null, eventCount: 0 });
  }

  const principals = db
    .prepare('SELECT arn, type, account_id, name, event_count FROM principals WHERE (? IS NULL OR first_seen IS NULL OR first_seen <= ?) ORDER BY event_count DESC')
    .all(at, at) as { arn: string; type: string; account_id: string | null; name: string | null; event_count: number }[];
  for (const p of principals) {
    const existing = nodes.get(p.arn);
    if (existing) {
      existing.eventCount = p.event_count;
      continue;
    }
    const type = principalType(p.arn, p.type);
    if (!typeOk(type) || !acctOk(p.account_id)) continue;
    if (nodes.size >= limit) {
      truncated = true;
      break;
    }
    nodes.set(p.arn, { id: p.arn, type, label: labelOf(p.arn, p.name), account: p.account_id, region: null, parent: null, eventCount: p.event_count });
    const role = type === 'session' ? roleOfSession(p.arn) : null;
    if (role) edges.push({ id: `session-role:${p.arn}`, source: p.arn, target: role, kind: 'session-of', validFrom: null, validTo: null, eventCount: 0 });
  }

  const rows = db
    .prepare('SELECT id, src, dst, kind, valid_from, valid_to FROM edges WHERE (? IS NULL OR ((valid_from IS NULL OR valid_from <= ?) AND (valid_to IS NULL OR valid_to > ?)))')
    .all(at, at, at) as { id: number; src: string; dst: string; kind: string; valid_from: number | null; valid_to: number | null }[];
  const seen = new Set<string>();
  for (const e of rows) {
    const key = `${e.src}|${e.dst}|${e.kind}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (PARENT_KINDS.has(e.kind)) {
      const child = nodes.get(e.src);
      if (child && nodes.has(e.dst) && !child.parent) child.parent = e.dst;
      continue;
    }
    edges.push({
      id: `e${e.id}`,
      source: e.src,
      target: e.dst,
      kind: e.kind,
      validFrom: e.valid_from === null ? null : new Date(e.valid_from).toISOString(),
      validTo: e.valid_to === null ? null : new Date(e.valid_to).toISOString(),
      eventCount: 0,
    });
  }

  // Principal → resource it changed: what makes "who did this" visible in the picture.
  const acted = db
    .prepare(
      "SELECT e.identity_arn AS actor, er.resource_id AS res, count(*) AS n FROM event_resources er JOIN events e ON e.id = er.event WHERE er.touch NOT IN ('read', 'used') AND e.identity_arn IS NOT NULL AND e.error_code IS NULL AND (? IS NULL OR e.event_time <= ?) GROUP BY 1, 2 LIMIT 20000",
    )
    .all(at, at) as { actor: string; res: string; n: number }[];
  for (const a of acted) {
    if (nodes.has(a.actor) && nodes.has(a.res)) {
      edges.push({ id: `acted:${a.actor}|${a.res}`, source: a.actor, target: a.res, kind: 'acted-on', validFrom: null, validTo: null, eventCount: a.n });
      const r = nodes.get(a.res);
      if (r) r.eventCount += a.n;
    }
  }

  const kept = edges.filter((e) => nodes.has(e.source) && nodes.has(e.target) && e.source !== e.target);
  return { at: q.at ?? null, nodes: [...nodes.values()], edges: kept, truncated };
}

/** A node and everything one hop away (at T), for expanding a collapsed neighbourhood. */
export function neighbourhood(db: CaseDb, id: string, at?: string): Graph {
  const whole = graphAt(db, { at, limit: 50000 });
  const keep = new Set([id]);
  for (const e of whole.edges) {
    if (e.source === id) keep.add(e.target);
    if (e.target === id) keep.add(e.source);
  }
  for (const n of whole.nodes) if (keep.has(n.id) && n.parent) keep.add(n.parent);
  return {
    at: whole.at,
    nodes: whole.nodes.filter((n) => keep.has(n.id)),
    edges: whole.edges.filter((e) => keep.has(e.source) && keep.has(e.target)),
    truncated: false,
  };
}
