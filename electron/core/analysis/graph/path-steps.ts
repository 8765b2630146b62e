// The steps out of one node for the path search (paths.ts): what a key, an identity, an address or a
// resource led to, each with its first observation at or after `notBefore` (the event that shows it).
// Every query is one bounded index range: a busy key or identity is read over its first SCAN_ROWS
// events from `notBefore` (the earliest observations, which are the ones a path keeps), lists are
// capped at `fanout`, and a cap that bites is reported, never hidden.
// Churned credentials fold (issue 13): when a key or identity asked for more than FOLD_KEYS keys of
// one role, the step is one 'assumed' hop to the role (its first issuance), and the role leads to its
// sessions; a session leads to its keys and calls. A path then goes through the role, never through
// each of 485,000 keys. The goal (goal-steps.ts) adds the steps that reach the target directly, so a
// cap never hides the last hop.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { typeOfId } from './node-type.ts';
import { goalSteps, type Goal } from './goal-steps.ts';
import { NOT_ISSUED_CREDENTIAL } from './node-counts.ts';
import { firstAcceptedFrom } from '../flows/flow-counts.ts';

export type Step = { to: string; kind: string; reversed?: boolean; t: number | null; eventId: string | null; eventName: string | null };

export type StepOptions = { fanout: number; reads: boolean };

/**
 * Events read per step list: the first ones from notBefore, whose steps are the earliest. A path
 * search expands hundreds of nodes, so this is a tenth of what one neighbourhood reads; the goal's
 * steps are read from the target's side, so the bound never hides the last hop.
 */
export const SCAN_ROWS = 2_000;
/** Keys of one role asked for by one caller, up to which each is its own step; beyond, they fold into the role. */
export const FOLD_KEYS = 20;
/** Sessions a role leads to besides those that touched the target: its busiest (a churned role has thousands). */
export const ROLE_SESSIONS = 20;

type Row = { to: string; t: number; ev: string; name: string };

// The bare columns next to min() come from the row holding the minimum (SQLite's documented rule): the
// event that first showed the step. Each reads the first SCAN_ROWS events of the node from notBefore,
// ranked by (time, eventID) as the timeline orders them, so the minimum is one row even within a second
// and the steps kept under the fan-out are the earliest, whatever order the case's rows were written in.
const KEY = '(SELECT id FROM strings WHERE value = ?)';
const first = (column: string, extra = '') => `(SELECT *, row_number() OVER (ORDER BY event_time, event_id) AS rank FROM (
    SELECT id, event_time, event_id, event_name, identity_arn, access_key_id FROM event_rows
    WHERE ${column} = ${KEY} AND event_time >= ? ${extra} ORDER BY event_time, event_id LIMIT ${SCAN_ROWS}))`;
/** The step's first event: the columns of its lowest-ranked row, earliest steps first. */
const FIRST = 'min(e.rank) AS rank, e.event_time AS t, e.event_id AS ev, n.value AS name';
const SQL = {
  scanned: (column: string) => `SELECT count(*) FROM (SELECT 1 FROM event_rows WHERE ${column} = ${KEY} AND event_time >= ? LIMIT ${SCAN_ROWS + 1})`,
  keyActsAs: `SELECT s.value AS "to", ${FIRST} FROM ${first('access_key_id')} e
    JOIN strings s ON s.id = e.identity_arn JOIN strings n ON n.id = e.event_name GROUP BY e.identity_arn ORDER BY rank LIMIT ?`,
  identityKeys: `SELECT s.value AS "to", ${FIRST} FROM ${first('identity_arn')} e
    JOIN strings s ON s.id = e.access_key_id JOIN strings n ON n.id = e.event_name GROUP BY e.access_key_id ORDER BY rank LIMIT ?`,
  keyCalls: (reads: boolean) => `SELECT r.resource_id AS "to", ${FIRST} FROM ${first('access_key_id', 'AND error_code IS NULL')} e
    JOIN event_resources r ON r.event = e.id JOIN strings n ON n.id = e.event_name
    WHERE ${reads ? '' : "r.touch <> 'read' AND"} ${NOT_ISSUED_CREDENTIAL} GROUP BY r.resource_id ORDER BY rank LIMIT ?`,
  identityCalls: (reads: boolean) => `SELECT r.resource_id AS "to", ${FIRST} FROM ${first('identity_arn', 'AND access_key_id IS NULL AND error_code IS NULL')} e
    JOIN event_resources r ON r.event = e.id JOIN strings n ON n.id = e.event_name
    WHERE ${reads ? '' : "r.touch <> 'read' AND"} ${NOT_ISSUED_CREDENTIAL} GROUP BY r.resource_id ORDER BY rank LIMIT ?`,
  addressUses: `SELECT coalesce(k.value, s.value) AS "to", ${FIRST} FROM ${first('source_ip')} e
    LEFT JOIN strings k ON k.id = e.access_key_id LEFT JOIN strings s ON s.id = e.identity_arn JOIN strings n ON n.id = e.event_name
    WHERE coalesce(e.access_key_id, e.identity_arn) IS NOT NULL GROUP BY coalesce(e.access_key_id, e.identity_arn) ORDER BY rank LIMIT ?`,
  config: `SELECT src, dst, kind, valid_from AS vf, valid_to AS vt, event FROM edges WHERE src = ?
    UNION ALL SELECT src, dst, kind, valid_from AS vf, valid_to AS vt, event FROM edges WHERE dst = ? LIMIT ?`,
  eventOf: `SELECT e.event_id AS ev, n.value AS name FROM event_rows e JOIN strings n ON n.id = e.event_name WHERE e.id = ?`,
  // Keys asked for per role (covering ranges of credentials_caller_key_role / credentials_caller_role), on
  // the stored ids (migration 0128: grouped through the credentials view, every text of every key would be joined).
  rolesAsked: (by: string) => `SELECT s.value AS role, g.n, g.t FROM (SELECT role_arn, count(*) AS n, min(issued_at) AS t FROM credential_rows
    WHERE ${by} = (SELECT id FROM strings WHERE value = ?) AND role_arn IS NOT NULL AND (issued_at IS NULL OR issued_at >= ?) GROUP BY role_arn) g
    JOIN strings s ON s.id = g.role_arn ORDER BY s.value LIMIT ?`,
  // A role named but never interned matches nothing (-1), a NULL role the keys asked for no role.
  keysAsked: (by: string) => `SELECT (SELECT value FROM strings WHERE id = access_key_id) AS key, (SELECT value FROM strings WHERE id = kind) AS kind, issued_at AS t, issued_event AS event
    FROM credential_rows WHERE ${by} = (SELECT id FROM strings WHERE value = @node)
    AND role_arn IS (CASE WHEN @role IS NULL THEN NULL ELSE coalesce((SELECT id FROM strings WHERE value = @role), -1) END)
    AND (issued_at IS NULL OR issued_at >= @notBefore) ORDER BY issued_at LIMIT @lim`,
  firstIssue: (by: string) => `SELECT issued_event FROM credentials WHERE ${by} = ? AND role_arn = ? AND issued_at = ? LIMIT 1`,
  sessions: `SELECT arn FROM principals WHERE arn >= ? AND arn < ? ORDER BY event_count DESC LIMIT ?`,
  anyIssue: `SELECT 1 FROM credentials WHERE issued_arn = ? LIMIT 1`,
  sessionStart: `SELECT min(issued_at) AS t, issued_event AS event FROM credential_rows WHERE issued_arn = (SELECT id FROM strings WHERE value = ?) AND issued_at >= ?`,
};

/** Steps out of `node`, each first observed at or after `notBefore`; `cut` is set when a cap stopped a list. */
export function stepsFrom(db: CaseDb, node: string, notBefore: number, o: StepOptions, goal: Goal): { steps: Step[]; cut: boolean } {
  const steps: Step[] = [...goalSteps(goal, node, notBefore)];
  let cut = false;
  const lim = o.fanout + 1;
  const take = (rows: Row[], kind: string) => {
    if (rows.length > o.fanout) cut = true;
    for (const r of rows.slice(0, o.fanout)) steps.push({ to: r.to, kind, t: r.t, eventId: r.ev ?? null, eventName: r.name ?? null });
  };
  const ranged = (column: string, sql: string) => {
    if ((stmt(db, SQL.scanned(column)).pluck().get(node.startsWith('ip/') ? node.slice(3) : node, notBefore) as number) > SCAN_ROWS) cut = true;
    return stmt(db, sql).all(node.startsWith('ip/') ? node.slice(3) : node, notBefore, lim) as Row[];
  };
  const event = (id: number | null) => (id === null ? undefined : (stmt(db, SQL.eventOf).get(id) as { ev: string; name: string } | undefined));
  // What a key or identity asked for: each key of a role asked for a few times, the role itself when churned.
  const asked = (by: 'caller_key' | 'caller_arn') => {
    const roles = stmt(db, SQL.rolesAsked(by)).all(node, notBefore, lim) as { role: string; n: number; t: number | null }[];
    if (roles.length > o.fanout) cut = true;
    for (const r of roles.slice(0, o.fanout)) {
      if (r.n > FOLD_KEYS) {
        const ev = event(r.t === null ? null : (stmt(db, SQL.firstIssue(by)).pluck().get(node, r.role, r.t) as number | null));
        steps.push({ to: r.role, kind: 'assumed', t: r.t, eventId: ev?.ev ?? null, eventName: ev?.name ?? 'AssumeRole' });
      } else issuedKeys(by, r.role);
    }
    issuedKeys(by, null);
  };
  const issuedKeys = (by: string, role: string | null) => {
    const keys = stmt(db, SQL.keysAsked(by)).all({ node, role, notBefore, lim }) as { key: string; kind: string; t: number | null; event: number | null }[];
    if (keys.length > o.fanout) cut = true;
    for (const c of keys.slice(0, o.fanout)) {
      const ev = event(c.event);
      steps.push({ to: c.key, kind: 'issued', t: c.t, eventId: ev?.ev ?? null, eventName: ev?.name ?? c.kind });
    }
  };
  const type = typeOfId(node);
  if (node.startsWith('ip/')) {
    take(ranged('source_ip', SQL.addressUses), 'used-from');
    const flows = firstAcceptedFrom(db, node.slice(3), notBefore, lim);
    take(flows.map((f) => ({ ...f, ev: null as unknown as string, name: 'accepted flow' })), 'connected');
    return { steps, cut };
  }
  if (type === 'access-key') {
    // What it asked for first: the AssumeRole call that names the role is the 'assumed' hop, not a 'called' one.
    asked('caller_key');
    take(ranged('access_key_id', SQL.keyActsAs), 'acts-as');
    take(ranged('access_key_id', SQL.keyCalls(o.reads)), 'called');
  } else if (node.startsWith('arn:')) {
    asked('caller_arn');
    take(ranged('identity_arn', SQL.identityKeys), 'uses-key');
    take(ranged('identity_arn', SQL.identityCalls(o.reads)), 'called');
    if (type === 'role') cut = roleSessions(db, node, notBefore, Math.min(o.fanout, ROLE_SESSIONS), [...(goal.sessionsOf.get(node) ?? [])], steps, event) || cut;
  }
  // Configuration relations, walked both ways (an instance's profile, a rule's group, a user's key).
  const rel = stmt(db, SQL.config).all(node, node, lim) as { src: string; dst: string; kind: string; vf: number | null; vt: number | null; event: number | null }[];
  if (rel.length > o.fanout) cut = true;
  for (const e of rel.slice(0, o.fanout)) {
    if (e.vt !== null && e.vt < notBefore) continue;
    const reversed = e.dst === node && e.src !== node;
    const ev = event(e.event);
    steps.push({ to: reversed ? e.src : e.dst, kind: e.kind, reversed, t: e.vf !== null && e.vf >= notBefore ? e.vf : null, eventId: ev?.ev ?? null, eventName: ev?.name ?? null });
  }
  return { steps, cut };
}

/**
 * A role leads to the sessions that touched the target and its busiest others (one range of the
 * principals key), each from its first key issued at or after notBefore; a session whose keys the
 * case never saw issued (an instance profile's) keeps the time of the hop before.
 */
function roleSessions(db: CaseDb, role: string, notBefore: number, fanout: number, toGoal: string[], steps: Step[], event: (id: number | null) => { ev: string; name: string } | undefined): boolean {
  const m = /^arn:([\w-]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(role);
  if (!m) return false;
  const prefix = `arn:${m[1]}:sts::${m[2]}:assumed-role/${m[3]}/`;
  const busiest = stmt(db, SQL.sessions).pluck().all(prefix, `${prefix}\uffff`, fanout + 1) as string[];
  for (const s of new Set([...toGoal, ...busiest.slice(0, fanout)])) {
    const start = stmt(db, SQL.sessionStart).get(s, notBefore) as { t: number | null; event: number | null };
    if (start.t === null && stmt(db, SQL.anyIssue).get(s)) continue;
    const ev = event(start.event);
    steps.push({ to: s, kind: 'session', t: start.t, eventId: ev?.ev ?? null, eventName: ev?.name ?? null });
  }
  return busiest.length > fanout;
}
