// The whole account at a glance, for cases too large to draw node by node (issue 13): who acted
// (users, roles with their sessions and keys folded in as counts, services, outsiders), which AWS
// services they called, and what kinds of resource each service holds, all with counts up to T.
// principals → roles (AssumeRole, from the credentials table) → services → resource kinds. A few
// hundred elements whatever the size of the case; clicking drills down (a role's neighbourhood, a
// kind's members). It reads grouped counts straight from the tables and indexes, not the per-resource
// buckets of graph-counts.ts, so the first view of a million-event case does not wait for those.
// Who called which AWS service: the counts the writer keeps per hour (migration 0138), and up to a
// moment inside an hour that hour's events. `calls: false` leaves them out, so the app draws the rest
// first (its first frame is quicker without the call links) and adds the calls from a second answer.
import type { Graph, GraphEdge, GraphNode, GraphNodeType, GraphOverview } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { iso, parseTime, stmt } from '../prepared.ts';
import { KIND_PREFIX, MORE_PREFIX, SERVICE_PREFIX } from '../../../../shared/api/overview-ids.ts';
import { HIDDEN_TYPES, labelOf, principalType } from './graph-at.ts';
import { roleOfSession } from '../../../../shared/resource-ids.ts';
import { PairCounts } from '../../pair-counts.ts';
import { inIdOrder } from '../stable-order.ts';
import { byCodeUnit } from '../../text-order.ts';
import { hourOf, hourStart } from '../../db/call-hours.ts';

export type OverviewOptions = { at?: string | null; accounts?: string[]; regions?: string[]; calls?: boolean };

/**
 * Acting identities drawn one by one per type, across the accounts shown; the rest fold into one "more"
 * node per account and type. Each account keeps its MIN_OWNERS_PER_ACCOUNT busiest of a type, so an
 * organisation trail's quiet account is still drawn by name (an attacker's foothold is often one), and
 * the budget grows to hold them: ten accounts drew 25 roles each (232 of an overview's 380 nodes, too
 * many to read at a glance); now the busiest 30 across them, and each account's rest as a count.
 */
export const OWNERS_PER_TYPE = 25;
export const MIN_OWNERS_PER_ACCOUNT = 3;


// What an API endpoint holds, for the service → kind edges (resource types of shared/resource-ids.ts).
const SERVICE_OF_TYPE: Record<string, string> = {
  instance: 'ec2', 'security-group': 'ec2', 'network-interface': 'ec2', vpc: 'ec2', subnet: 'ec2', 'network-acl': 'ec2', image: 'ec2', snapshot: 'ec2', volume: 'ec2',
  'key-pair': 'ec2', 'flow-log': 'ec2', 'autoscaling-group': 'autoscaling', 'route-table': 'ec2', 'internet-gateway': 'ec2', 'nat-gateway': 'ec2', 'elastic-ip': 'ec2',
  user: 'iam', role: 'iam', group: 'iam', policy: 'iam', 'instance-profile': 'iam', 'access-key': 'iam', 'mfa-device': 'iam',
  bucket: 's3', trail: 'cloudtrail', function: 'lambda', 'lambda-function': 'lambda', secret: 'secretsmanager', 'kms-key': 'kms',
};

type Owner = { id: string; type: GraphNodeType; account: string | null; name: string | null; events: number; sessions: number; keys: number };

export function graphOverview(db: CaseDb, options: OverviewOptions = {}): GraphOverview {
  const atMs = options.at ? parseTime(options.at) : null;
  const at = atMs ?? Number.MAX_SAFE_INTEGER;
  const acctOk = (a: string | null) => !options.accounts?.length || (a !== null && options.accounts.includes(a));
  const regionOk = (r: string | null) => !options.regions?.length || r === null || options.regions.includes(r);
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const owners = new Map<string, Owner>();
  const known = new Map<string, { type: string; account: string | null; name: string | null }>();
  for (const p of stmt(db, "SELECT arn, type, account_id AS account, name FROM principals WHERE type <> 'AssumedRole'").all() as { arn: string; type: string; account: string | null; name: string | null }[]) {
    known.set(p.arn, p);
  }
  // The owner an identity folds into: a session into its role, anything else is its own owner.
  const ownerOf = (arn: string): Owner => {
    const role = roleOfSession(arn);
    const id = role ?? arn;
    let o = owners.get(id);
    if (!o) {
      const p = known.get(id);
      const type = role ? 'role' : p ? principalType(p.type, id) : principalType('', id);
      const account = p?.account ?? /^arn:[\w-]+:\w+::(\d{12}):/.exec(id)?.[1] ?? null;
      o = { id, type, account, name: p?.name ?? null, events: 0, sessions: 0, keys: 0 };
      owners.set(id, o);
    }
    return o;
  };
  const sessionsSeen = new Set<string>();
  for (const [arn, n] of callsPerIdentity(db, atMs)) {
    const o = ownerOf(arn);
    o.events += n;
    if (o.id !== arn && !sessionsSeen.has(arn)) {
      sessionsSeen.add(arn);
      o.sessions++;
    }
  }
  // Calls per owner and service, when asked for.
  const calls = new Map<string, number>();
  if (options.calls !== false) {
    for (const [arn, service, n] of callsByService(db, atMs)) {
      const k = `${ownerOf(arn).id}\u0000${service}`;
      calls.set(k, (calls.get(k) ?? 0) + n);
    }
  }
  // Temporary keys per role (and long-term keys per user), and who assumed each role.
  const assumed = new Map<string, number>();
  // Role keys: an index-only range of credentials_role_caller; the few others (a user's own keys) by role_arn IS NULL.
  // Grouped on the stored ids (migration 0128: an aggregate over the credentials view would join every
  // text of every key), the groups named after, in the order of their text.
  const issued = [
    ...(stmt(db, `SELECT c.value, r.value, g.n FROM (SELECT role_arn, caller_arn, count(*) AS n FROM credential_rows
      WHERE role_arn IS NOT NULL AND (issued_at IS NULL OR issued_at <= ?) GROUP BY role_arn, caller_arn) g
      LEFT JOIN strings r ON r.id = g.role_arn LEFT JOIN strings c ON c.id = g.caller_arn ORDER BY r.value, c.value`).raw().all(at) as [string | null, string | null, number][]),
    ...(stmt(db, `SELECT c.value, i.value, g.n FROM (SELECT caller_arn, issued_arn, count(*) AS n FROM credential_rows
      WHERE role_arn IS NULL AND (issued_at IS NULL OR issued_at <= ?) GROUP BY 1, 2) g
      LEFT JOIN strings c ON c.id = g.caller_arn LEFT JOIN strings i ON i.id = g.issued_arn ORDER BY c.value, i.value`).raw().all(at) as [string | null, string | null, number][]),
  ];
  for (const [caller, role, n] of issued) {
    if (!role) continue;
    const o = ownerOf(role);
    o.keys += n;
    if (caller) {
      const from = ownerOf(caller).id;
      if (from !== o.id) assumed.set(`${from}\u0000${o.id}`, (assumed.get(`${from}\u0000${o.id}`) ?? 0) + n);
    }
  }
  // The busiest identities of each type get a node (drawnOwners); the others one "more" node per account and type.
  const shown = new Map<string, string>();
  const acting = [...owners.values()].filter((o) => acctOk(o.account) && (o.events > 0 || o.keys > 0));
  const drawn = drawnOwners(acting);
  const severalAccounts = new Set(acting.map((o) => o.account)).size > 1;
  const groups = new Map<string, Owner[]>();
  for (const o of acting) {
    const g = `${o.account ?? ''}|${o.type}`;
    const list = groups.get(g);
    if (list) list.push(o);
    else groups.set(g, [o]);
  }
  for (const [g, list] of groups) {
    list.sort(busiestFirst);
    for (const o of list.filter((x) => drawn.has(x))) {
      const folded = [o.sessions ? `${o.sessions.toLocaleString('en-US')} session${o.sessions === 1 ? '' : 's'}` : '', o.keys ? `${o.keys.toLocaleString('en-US')} key${o.keys === 1 ? '' : 's'}` : ''].filter(Boolean);
      const name = labelOf(o.id, o.name);
      nodes.set(o.id, {
        id: o.id, type: o.type, label: folded.length ? `${name} · ${folded.join(' · ')}` : name, account: o.account, region: null, parent: null, eventCount: o.events,
        props: { sessions: o.sessions, keys: o.keys },
      });
      shown.set(o.id, o.id);
    }
    const rest = list.filter((x) => !drawn.has(x));
    if (rest.length) {
      const [account, type] = g.split('|');
      const id = `${MORE_PREFIX}${account}:${type}`;
      nodes.set(id, {
        // Named with its account where several are drawn: ten accounts' "12 more roles" were ten alike.
        id, type: type as GraphNodeType, label: `${rest.length.toLocaleString('en-US')} more ${type}s${severalAccounts && account ? ` (account ${account})` : ''}`,
        account: account || null, region: null, parent: null,
        eventCount: rest.reduce((s, o) => s + o.events, 0), props: { cluster: true, memberType: type, members: rest.length },
      });
      for (const o of rest) shown.set(o.id, id);
    }
  }
  // Who assumed which role, between the nodes drawn (an identity folded into "more" speaks through it).
  const assumedShown = new Map<string, GraphEdge>();
  for (const [k, n] of assumed) {
    const [from, to] = k.split('\u0000').map((x) => shown.get(x));
    if (!from || !to || from === to) continue;
    const id = `assumed:${from}>${to}`;
    const e = assumedShown.get(id);
    if (e) e.eventCount += n;
    else assumedShown.set(id, { id, source: from, target: to, kind: 'assumed', validFrom: null, validTo: null, eventCount: n });
  }
  edges.push(...assumedShown.values());
  const serviceCalls = new Map<string, number>();
  const serviceEdges = new Map<string, number>();
  for (const [k, n] of calls) {
    const [owner, service] = k.split('\u0000');
    const from = shown.get(owner);
    if (!from) continue;
    const id = `${SERVICE_PREFIX}${service}`;
    serviceCalls.set(id, (serviceCalls.get(id) ?? 0) + n);
    serviceEdges.set(`${from}\u0000${id}`, (serviceEdges.get(`${from}\u0000${id}`) ?? 0) + n);
  }
  const addService = (id: string, n: number) => {
    if (!nodes.has(id)) nodes.set(id, { id, type: 'aws-service', label: id.slice(SERVICE_PREFIX.length).replace(/\.amazonaws\.com$/, ''), account: null, region: null, parent: null, eventCount: n, props: { cluster: true } });
  };
  for (const [id, n] of serviceCalls) addService(id, n);
  for (const [k, n] of serviceEdges) {
    const [from, to] = k.split('\u0000');
    edges.push({ id: `called:${from}>${to}`, source: from, target: to, kind: 'called', validFrom: null, validTo: null, eventCount: n });
  }
  // Resource kinds per account, with how many of each existed (were seen) by T.
  let total = owners.size + sessionsSeen.size;
  for (const r of resourceKinds(db, atMs)) {
    if (HIDDEN_TYPES.has(r.type)) continue;
    total += r.n;
    // Users, roles and keys are drawn as identities already.
    if (r.type === 'access-key' || r.type === 'user' || r.type === 'role' || !acctOk(r.account_id) || !regionOk(r.region)) continue;
    const id = `${KIND_PREFIX}${r.account_id ?? ''}:${r.type}`;
    const node = nodes.get(id);
    if (node) {
      node.props!.members = Number(node.props!.members) + r.n;
      node.label = `${r.type} × ${Number(node.props!.members).toLocaleString('en-US')}`;
      continue;
    }
    nodes.set(id, { id, type: r.type as GraphNodeType, label: `${r.type} × ${r.n.toLocaleString('en-US')}`, account: r.account_id, region: null, parent: null, eventCount: 0, props: { cluster: true, memberType: r.type, members: r.n } });
    // The service holding the kind; without the calls, drawn for its kinds alone (no count yet).
    const sid = SERVICE_OF_TYPE[r.type] ? `${SERVICE_PREFIX}${SERVICE_OF_TYPE[r.type]}.amazonaws.com` : null;
    if (sid) addService(sid, 0);
    if (sid) edges.push({ id: `holds:${sid}>${id}`, source: sid, target: id, kind: 'holds', validFrom: null, validTo: null, eventCount: 0 });
  }
  const graph: Graph = { at: iso(atMs), nodes: inIdOrder([...nodes.values()]), edges: inIdOrder(edges), truncated: false };
  return { ...graph, total };
}

const busiestFirst = (a: Owner, b: Owner) => b.events - a.events || byCodeUnit(a.id, b.id);

/**
 * The identities drawn by name: per type, each account's MIN_OWNERS_PER_ACCOUNT busiest, then the
 * busiest of the rest across accounts until OWNERS_PER_TYPE (or the accounts' minimums, when more).
 */
function drawnOwners(candidates: Owner[]): Set<Owner> {
  const byType = new Map<string, Owner[]>();
  for (const o of candidates) {
    const list = byType.get(o.type);
    if (list) list.push(o);
    else byType.set(o.type, [o]);
  }
  const drawn = new Set<Owner>();
  for (const list of byType.values()) {
    list.sort(busiestFirst);
    const picked = new Set<Owner>();
    const perAccount = new Map<string, number>();
    for (const o of list) {
      const n = perAccount.get(o.account ?? '') ?? 0;
      if (n < MIN_OWNERS_PER_ACCOUNT) picked.add(o);
      perAccount.set(o.account ?? '', n + 1);
    }
    const budget = Math.max(OWNERS_PER_TYPE, MIN_OWNERS_PER_ACCOUNT * perAccount.size);
    for (const o of list) {
      if (picked.size >= budget) break;
      picked.add(o);
    }
    for (const o of picked) drawn.add(o);
  }
  return drawn;
}

/**
 * Calls per identity up to T. The whole case (no T) reads the count the writer keeps per identity
 * (`principals.event_count`, a few thousand rows), not the (identity, time) index of every event.
 */
function callsPerIdentity(db: CaseDb, atMs: number | null): [arn: string, n: number][] {
  if (atMs === null) return stmt(db, 'SELECT arn, event_count FROM principals WHERE event_count > 0').raw().all() as [string, number][];
  return stmt(db, `SELECT a.value, g.n FROM (SELECT identity_arn AS arn, count(*) AS n FROM event_rows
    WHERE identity_arn IS NOT NULL AND event_time <= ? GROUP BY 1) g JOIN strings a ON a.id = g.arn`).raw().all(atMs) as [string, number][];
}

type KindRow = { type: string; account_id: string | null; region: string | null; n: number };

/**
 * Resources per kind, account and region that existed (were seen) by T. Access keys are drawn as
 * identities, so only their number counts, and in a case ingested while temporary keys were resources
 * too, with a new key for every call they are nearly every resource: for the whole case (no T) the
 * other kinds are two ranges of the kind index around them, and the keys are the table's row count
 * (which SQLite takes from page headers) less the others.
 */
function resourceKinds(db: CaseDb, atMs: number | null): KindRow[] {
  if (atMs !== null) {
    return stmt(db, 'SELECT type, account_id, region, count(*) AS n FROM resources WHERE first_seen IS NULL OR first_seen <= ? GROUP BY 1, 2, 3').all(atMs) as KindRow[];
  }
  const others = stmt(db, `SELECT type, account_id, region, count(*) AS n FROM resources WHERE type < 'access-key' GROUP BY 1, 2, 3
    UNION ALL SELECT type, account_id, region, count(*) AS n FROM resources WHERE type > 'access-key' GROUP BY 1, 2, 3`).all() as KindRow[];
  const keys = (stmt(db, 'SELECT count(*) FROM resources').pluck().get() as number) - others.reduce((s, r) => s + r.n, 0);
  return keys > 0 ? [...others, { type: 'access-key', account_id: null, region: null, n: keys }] : others;
}

type CallRow = [arn: string, service: string, n: number];
/** Who called which service from a time to a later one: a range of the time index (query-plans.test.ts). */
export const HOUR_CALLS = `SELECT identity_arn, event_source FROM event_rows
  WHERE event_time >= ? AND event_time <= ? AND identity_arn IS NOT NULL AND event_source IS NOT NULL`;

/**
 * Events per service up to `atMs`, by their owner (stored) or by the identity that called (read from the
 * events): the overview folds both alike. The writer counts them per hour (migration 0138): the whole
 * case, or a moment at or after its last event, sums every hour; an earlier moment sums the hours before
 * its own and reads its own hour's events up to it through the time index.
 */
function callsByService(db: CaseDb, atMs: number | null): CallRow[] {
  const last = stmt(db, 'SELECT max(event_time) FROM event_rows').pluck().get() as number | null;
  const named = (where: string, ...args: number[]) => stmt(db, `SELECT a.value, s.value, g.n FROM (SELECT owner, event_source, sum(events) AS n
    FROM owner_service_calls ${where} GROUP BY owner, event_source) g JOIN strings a ON a.id = g.owner JOIN strings s ON s.id = g.event_source`).raw().all(...args) as CallRow[];
  if (atMs === null || last === null || atMs >= last) return named('');
  const hour = hourOf(atMs);
  const rows = named('WHERE hour < ?', hour);
  const pairs = new PairCounts();
  for (const [arn, src] of stmt(db, HOUR_CALLS).raw().iterate(hourStart(hour), atMs) as IterableIterator<[number, number]>) {
    pairs.add(arn, src);
  }
  const name = stmt(db, 'SELECT value FROM strings WHERE id = ?').pluck();
  pairs.forEach((arn, src, n) => {
    const arnText = name.get(arn) as string | undefined;
    const srcText = name.get(src) as string | undefined;
    if (arnText !== undefined && srcText !== undefined) rows.push([arnText, srcText, n]);
  });
  return rows;
}
