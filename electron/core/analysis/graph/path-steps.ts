// The steps out of one node for the path search (paths.ts): what a key, an identity, an address or a
// resource led to, each with its first observation at or after `notBefore` (the event that shows it).
// Every query is one index range capped at `fanout`; a cap that bites is reported, never hidden.
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { typeOfId } from './node-type.ts';

export type Step = { to: string; kind: string; reversed?: boolean; t: number | null; eventId: string | null; eventName: string | null };

type Cred = { key: string; kind: string; issuedAt: number | null; event: number | null; issuedArn: string | null; roleArn: string | null; callerArn: string | null; callerKey: string | null };

/** Credentials by who asked for them: the table has no index on the caller, so it is read once per search. */
export type CredIndex = { byCallerKey: Map<string, Cred[]>; byCallerArn: Map<string, Cred[]>; byRole: Map<string, Cred[]> };

export function credIndex(db: CaseDb): CredIndex {
  const rows = stmt(db, `SELECT access_key_id AS key, kind, issued_at AS issuedAt, issued_event AS event, issued_arn AS issuedArn,
    role_arn AS roleArn, caller_arn AS callerArn, caller_key AS callerKey FROM credentials`).all() as Cred[];
  const idx: CredIndex = { byCallerKey: new Map(), byCallerArn: new Map(), byRole: new Map() };
  const put = (m: Map<string, Cred[]>, k: string | null, c: Cred) => {
    if (!k) return;
    const list = m.get(k);
    if (list) list.push(c);
    else m.set(k, [c]);
  };
  for (const c of rows) {
    if (c.callerKey) put(idx.byCallerKey, c.callerKey, c);
    else put(idx.byCallerArn, c.callerArn, c);
    put(idx.byRole, c.roleArn, c);
  }
  return idx;
}

export type StepOptions = { fanout: number; reads: boolean };

type Row = { to: string; t: number; ev: string; name: string };

// The bare columns next to min() come from the row holding the minimum (SQLite's documented rule):
// the event that first showed the step.
const KEY = '(SELECT id FROM strings WHERE value = ?)';
const SQL = {
  keyActsAs: `SELECT s.value AS "to", min(e.event_time) AS t, e.event_id AS ev, n.value AS name FROM event_rows e
    JOIN strings s ON s.id = e.identity_arn JOIN strings n ON n.id = e.event_name
    WHERE e.access_key_id = ${KEY} AND e.event_time >= ? GROUP BY e.identity_arn LIMIT ?`,
  identityKeys: `SELECT s.value AS "to", min(e.event_time) AS t, e.event_id AS ev, n.value AS name FROM event_rows e
    JOIN strings s ON s.id = e.access_key_id JOIN strings n ON n.id = e.event_name
    WHERE e.identity_arn = ${KEY} AND e.event_time >= ? GROUP BY e.access_key_id LIMIT ?`,
  keyCalls: (reads: boolean) => `SELECT r.resource_id AS "to", min(e.event_time) AS t, e.event_id AS ev, n.value AS name FROM event_rows e
    JOIN event_resources r ON r.event = e.id JOIN strings n ON n.id = e.event_name
    WHERE e.access_key_id = ${KEY} AND e.event_time >= ? ${reads ? '' : "AND r.touch <> 'read'"} AND e.error_code IS NULL
    GROUP BY r.resource_id LIMIT ?`,
  identityCalls: (reads: boolean) => `SELECT r.resource_id AS "to", min(e.event_time) AS t, e.event_id AS ev, n.value AS name FROM event_rows e
    JOIN event_resources r ON r.event = e.id JOIN strings n ON n.id = e.event_name
    WHERE e.identity_arn = ${KEY} AND e.access_key_id IS NULL AND e.event_time >= ? ${reads ? '' : "AND r.touch <> 'read'"} AND e.error_code IS NULL
    GROUP BY r.resource_id LIMIT ?`,
  addressUses: `SELECT coalesce(k.value, s.value) AS "to", min(e.event_time) AS t, e.event_id AS ev, n.value AS name FROM event_rows e
    LEFT JOIN strings k ON k.id = e.access_key_id LEFT JOIN strings s ON s.id = e.identity_arn JOIN strings n ON n.id = e.event_name
    WHERE e.source_ip = ${KEY} AND e.event_time >= ? AND coalesce(e.access_key_id, e.identity_arn) IS NOT NULL
    GROUP BY coalesce(e.access_key_id, e.identity_arn) LIMIT ?`,
  addressFlows: `SELECT interface_id AS "to", min(start_time) AS t FROM flows
    WHERE srcaddr = ? AND action = 'ACCEPT' AND start_time >= ? AND interface_id IS NOT NULL GROUP BY interface_id LIMIT ?`,
  config: `SELECT src, dst, kind, valid_from AS vf, valid_to AS vt, event FROM edges WHERE src = ?
    UNION ALL SELECT src, dst, kind, valid_from AS vf, valid_to AS vt, event FROM edges WHERE dst = ? LIMIT ?`,
  eventOf: `SELECT e.event_id AS ev, n.value AS name FROM event_rows e JOIN strings n ON n.id = e.event_name WHERE e.id = ?`,
};

/** Steps out of `node`, each first observed at or after `notBefore`; `cut` is set when a cap stopped a list. */
export function stepsFrom(db: CaseDb, creds: CredIndex, node: string, notBefore: number, o: StepOptions): { steps: Step[]; cut: boolean } {
  const steps: Step[] = [];
  let cut = false;
  const take = (rows: Row[], kind: string) => {
    if (rows.length > o.fanout) cut = true;
    for (const r of rows.slice(0, o.fanout)) steps.push({ to: r.to, kind, t: r.t, eventId: r.ev ?? null, eventName: r.name ?? null });
  };
  const issued = (list: Cred[] | undefined, kind = 'issued') => {
    for (const c of list ?? []) {
      if (c.issuedAt !== null && c.issuedAt < notBefore) continue;
      const ev = c.event === null ? undefined : (stmt(db, SQL.eventOf).get(c.event) as { ev: string; name: string } | undefined);
      steps.push({ to: c.key, kind, t: c.issuedAt, eventId: ev?.ev ?? null, eventName: ev?.name ?? c.kind });
    }
  };
  const type = typeOfId(node);
  const lim = o.fanout + 1;
  if (node.startsWith('ip/')) {
    const ip = node.slice(3);
    take(stmt(db, SQL.addressUses).all(ip, notBefore, lim) as Row[], 'used-from');
    const flows = stmt(db, SQL.addressFlows).all(ip, notBefore, lim) as { to: string; t: number }[];
    take(flows.map((f) => ({ ...f, ev: null as unknown as string, name: 'accepted flow' })), 'connected');
    return { steps, cut };
  }
  if (type === 'access-key') {
    take(stmt(db, SQL.keyActsAs).all(node, notBefore, lim) as Row[], 'acts-as');
    take(stmt(db, SQL.keyCalls(o.reads)).all(node, notBefore, lim) as Row[], 'called');
    issued(creds.byCallerKey.get(node));
  } else if (node.startsWith('arn:')) {
    take(stmt(db, SQL.identityKeys).all(node, notBefore, lim) as Row[], 'uses-key');
    take(stmt(db, SQL.identityCalls(o.reads)).all(node, notBefore, lim) as Row[], 'called');
    issued(creds.byCallerArn.get(node));
    // A role leads to the keys of its sessions, whoever asked for them.
    if (type === 'role') issued(creds.byRole.get(node), 'role-session');
  }
  // Configuration relations, walked both ways (an instance's profile, a rule's group, a user's key).
  const rel = stmt(db, SQL.config).all(node, node, lim) as { src: string; dst: string; kind: string; vf: number | null; vt: number | null; event: number | null }[];
  if (rel.length > o.fanout) cut = true;
  for (const e of rel.slice(0, o.fanout)) {
    if (e.vt !== null && e.vt < notBefore) continue;
    const reversed = e.dst === node && e.src !== node;
    const ev = e.event === null ? undefined : (stmt(db, SQL.eventOf).get(e.event) as { ev: string; name: string } | undefined);
    steps.push({ to: reversed ? e.src : e.dst, kind: e.kind, reversed, t: e.vf !== null && e.vf >= notBefore ? e.vf : null, eventId: ev?.ev ?? null, eventName: ev?.name ?? null });
  }
  return { steps, cut };
}
