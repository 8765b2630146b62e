// Recomputes the derived analysis tables after an ingest, incrementally: only events stored since the
// last refresh are attributed, and actors are re-resolved only when new issued credentials arrived
// (a key's AssumeRole may be ingested after the calls that used it). One transaction, synchronous.
import type { CaseDb } from '../db/open-case.ts';
import { stmt } from './prepared.ts';
import { resolveChain, type RecordedIdentity, type Resolution } from './attribution/resolve-chain.ts';
import { dbChainLookups } from './attribution/lookups.ts';

export type RefreshStats = { events: number; newActors: number; reresolved: number; originsChanged: number };

type EventRow = [
  id: number, time: number, key: string | null, type: string | null, arn: string | null, account: string | null,
  principalId: string | null, userName: string | null, issuer: string | null, session: string | null, invokedBy: string | null,
  sourceIdentity: string | null, onBehalfOf: string | null, ip: string | null, ua: string | null, region: string | null,
  name: string, error: string | null,
];

const PAGE = 20_000;

export function actorKeyOf(key: string | null, arn: string | null, invokedBy: string | null, type: string | null, principalId: string | null): string {
  if (key) return key;
  if (arn) return `arn:${arn}`;
  if (invokedBy) return `svc:${invokedBy}`;
  return `type:${type ?? 'none'}:${principalId ?? ''}`;
}

export function refreshDerived(db: CaseDb): RefreshStats {
  return db.transaction(() => refreshInTransaction(db))();
}

function refreshInTransaction(db: CaseDb): RefreshStats {
  const stats: RefreshStats = { events: 0, newActors: 0, reresolved: 0, originsChanged: 0 };
  const getState = stmt(db, 'SELECT value FROM analysis_state WHERE key = ?').pluck();
  const setState = stmt(db, 'INSERT INTO analysis_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  const lastEvent = (getState.get('last_event') as number | undefined) ?? 0;
  const lastCred = (getState.get('last_credential') as number | undefined) ?? 0;
  const maxEvent = (stmt(db, 'SELECT max(id) FROM events').pluck().get() as number | null) ?? 0;
  const maxCred = (stmt(db, 'SELECT max(rowid) FROM credentials').pluck().get() as number | null) ?? 0;
  if (maxEvent <= lastEvent && maxCred <= lastCred) return stats;

  const lookups = dbChainLookups(db);
  const origins = originStore(db);
  const actorIds = new Map<string, { id: number; origin: number }>();
  for (const row of stmt(db, 'SELECT id, actor_key, origin FROM actors').raw().iterate() as IterableIterator<[number, string, number]>) {
    actorIds.set(row[1], { id: row[0], origin: row[2] });
  }
  const insertActor = stmt(db, `INSERT INTO actors (actor_key, access_key_id, identity_type, identity_arn, identity_account, principal_id,
    session_issuer_arn, session_name, invoked_by, source_identity, on_behalf_of, origin, proven, chain, flags, instance_id, first_seen, first_ip)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertEventActor = stmt(db, 'INSERT OR REPLACE INTO event_actors (event, actor, origin, event_time) VALUES (?, ?, ?, ?)');

  // Facet roll-ups accumulate in memory and are merged once: far fewer writes than one per event.
  const facets = new Map<string, { actor: number; facet: string; value: string; n: number; errors: number; first: number; last: number }>();
  const bump = (actor: number, facet: string, value: string | null, time: number, isError: boolean) => {
    if (value === null || value === '') return;
    const k = `${actor}\u0000${facet}\u0000${value}`;
    const f = facets.get(k);
    if (f) {
      f.n++;
      if (isError) f.errors++;
      if (time < f.first) f.first = time;
      if (time > f.last) f.last = time;
    } else facets.set(k, { actor, facet, value, n: 1, errors: isError ? 1 : 0, first: time, last: time });
  };

  const scan = stmt(db, `SELECT id, event_time, access_key_id, identity_type, identity_arn, identity_account, principal_id, user_name,
    session_issuer_arn, session_name, invoked_by, source_identity, on_behalf_of, source_ip, user_agent, aws_region, event_name, error_code
    FROM events WHERE id > ? ORDER BY id LIMIT ${PAGE}`).raw();
  // Pages, not one iterator: better-sqlite3 forbids writes while a read cursor is open.
  let after = lastEvent;
  for (let page = scan.all(after) as EventRow[]; page.length > 0; page = scan.all(after) as EventRow[]) {
    after = page[page.length - 1][0];
    for (const r of page) {
      stats.events++;
      const actorKey = actorKeyOf(r[2], r[4], r[10], r[3], r[6]);
      let actor = actorIds.get(actorKey);
      if (!actor) {
        const identity: RecordedIdentity = {
          accessKeyId: r[2], identityType: r[3], identityArn: r[4], identityAccount: r[5], principalId: r[6], userName: r[7],
          sessionIssuerArn: r[8], sessionName: r[9], invokedBy: r[10], sourceIdentity: r[11], onBehalfOf: r[12],
          firstSeen: r[1], sourceIp: r[13],
        };
        const res = resolveChain(identity, lookups);
        const origin = origins.idFor(res);
        const info = insertActor.run(actorKey, r[2], r[3], r[4], r[5], r[6], r[8], r[9], r[10], r[11], r[12], origin,
          res.proven ? 1 : 0, JSON.stringify(res.chain), JSON.stringify(res.flags), res.instanceId, r[1], r[13]);
        actor = { id: Number(info.lastInsertRowid), origin };
        actorIds.set(actorKey, actor);
        stats.newActors++;
      }
      insertEventActor.run(r[0], actor.id, actor.origin, r[1]);
      const isError = r[17] !== null;
      bump(actor.id, 'ip', r[13], r[1], isError);
      bump(actor.id, 'ua', r[14], r[1], isError);
      bump(actor.id, 'region', r[15], r[1], isError);
      bump(actor.id, 'name', r[16], r[1], isError);
      bump(actor.id, 'error', r[17], r[1], isError);
    }
  }

  const upsertFacet = stmt(db, `INSERT INTO actor_facets (actor, facet, value, count, errors, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(actor, facet, value) DO UPDATE SET count = count + excluded.count, errors = errors + excluded.errors,
      first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)`);
  for (const f of facets.values()) upsertFacet.run(f.actor, f.facet, f.value, f.n, f.errors, f.first, f.last);

  // New issued keys can complete (or correct) chains resolved earlier. Actors are few next to events,
  // so all are re-walked; only those whose answer changed are written.
  if (maxCred > lastCred && lastEvent > 0) Object.assign(stats, reresolveAll(db, origins, stats));

  setState.run('last_event', Math.max(maxEvent, lastEvent));
  setState.run('last_credential', Math.max(maxCred, lastCred));
  return stats;
}

function reresolveAll(db: CaseDb, origins: ReturnType<typeof originStore>, stats: RefreshStats): RefreshStats {
  const lookups = dbChainLookups(db);
  const update = stmt(db, 'UPDATE actors SET origin = ?, proven = ?, chain = ?, flags = ?, instance_id = ? WHERE id = ?');
  const moveEvents = stmt(db, 'UPDATE event_actors SET origin = ? WHERE actor = ?');
  const rows = stmt(db, `SELECT id, access_key_id AS accessKeyId, identity_type AS identityType, identity_arn AS identityArn,
    identity_account AS identityAccount, principal_id AS principalId, session_issuer_arn AS sessionIssuerArn, session_name AS sessionName,
    invoked_by AS invokedBy, source_identity AS sourceIdentity, on_behalf_of AS onBehalfOf, first_seen AS firstSeen, first_ip AS sourceIp,
    origin, chain FROM actors`).all() as (RecordedIdentity & { id: number; origin: number; chain: string })[];
  for (const a of rows) {
    const res: Resolution = resolveChain({ ...a, userName: userNameOf(a.identityArn) }, lookups);
    const chain = JSON.stringify(res.chain);
    stats.reresolved++;
    if (chain === a.chain) continue;
    const origin = origins.idFor(res);
    update.run(origin, res.proven ? 1 : 0, chain, JSON.stringify(res.flags), res.instanceId, a.id);
    if (origin !== a.origin) {
      moveEvents.run(origin, a.id);
      stats.originsChanged++;
    }
  }
  return stats;
}

function userNameOf(arn: string | null): string | null {
  const m = arn ? /:user\/(?:.*\/)?([^/]+)$/.exec(arn) : null;
  return m ? m[1] : null;
}

function originStore(db: CaseDb) {
  const find = stmt(db, 'SELECT id FROM origins WHERE origin_key = ?').pluck();
  const insert = stmt(db, 'INSERT INTO origins (origin_key, kind, ident, label, account_id) VALUES (?, ?, ?, ?, ?)');
  const cache = new Map<string, number>();
  return {
    idFor(res: Resolution): number {
      const o = res.origin;
      const key = `${o.kind}|${o.id}`;
      let id = cache.get(key) ?? (find.get(key) as number | undefined);
      if (id === undefined) id = Number(insert.run(key, o.kind, o.id, o.label, o.accountId).lastInsertRowid);
      cache.set(key, id);
      return id;
    },
  };
}
