// The case's findings, computed once and kept in the case (migration 0115), so the findings list of a
// million-event case is a read, not a minute of rules. Four parts, each with a stamp of what it was
// computed from; a part whose stamp no longer matches the case is recomputed whole, the others stay:
//   builtin  — built-in rules and analyzers: the events, the resolved actors, the configuration;
//   sigma    — the Sigma rules stored in the case (sigma_rules), over the same events and actors;
//   detector — the detectors' findings (detector_findings), linked to the same events and actors;
//   flows    — the connections from outside each opening let in (opening-connections.ts) and port scans
//              from inside (port-scans.ts): the only part that reads flow records, so a flow log import
//              recomputes it alone.
// Why a part is recomputed whole after new events rather than only over them: the routine baseline's
// learning window is a fraction of the case's span (it moves when the span grows), an identity's first
// use can move earlier, hits of one actor an hour apart merge across the old and new events, a rule's
// caps (20,000 hits, 1,000 findings, most severe kept) are over the whole case, and novelty, bursts,
// sequences and incidents read every event of an origin; and a later ingest that completes a chain moves
// a credential, with its old events, to another origin. Anything less would differ from a full run.
// What keeps the whole run cheap and bounded instead: docs/architecture.md "Stored findings".
// Suppressions are not part of it: the list applies them when it is read (stored-findings-list.ts).
// refreshAfterIngest calls storeFindings at the end of every ingest and pull; a case made before
// migration 0115 (or whose Sigma rules changed) is brought up to date by the first findings:list.
import type { ResolvedActor } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { actorTerms, collectPart, findingAccounts, finishFindings, FINDINGS_PARTS, type FindingsPart } from './findings.ts';
import { caseSigmaRules } from './sigma/case-sigma.ts';

/**
 * Bump when the rules or analyzers change what they find: every stored part of every case is then
 * recomputed on its next ask (a case carries the answer of the code that computed it).
 */
export const FINDINGS_CODE_VERSION = 12; // 2: events of one second in eventID order, a rule's earliest 20,000 hits; 3: an opened group says whether it was closed, an emptied Auto Scaling group; 4: openings and terminations on production instances are critical, a new address in a known network is low, failed console sign-ins; 5: failed sign-ins against one user from many addresses, every analyzer kind held to 1,000 findings, an opened network ACL names the subnets and instances it guards; an identity's routine discovery sweeps are one finding, as are a credential's routine hits of a rule; 6: the connections from outside an opened group or network ACL let in are a finding of the flows part, an ACL opening is closed by a deny entry in front of it and guards the subnets calls moved to it; 7: a routine sweeper's first sweep is the one whose first call comes first; 8: port scans in the flow records, a subnet moved on to another ACL is no longer guarded by the one it left; 9: a scan from a public IPv6 address an instance holds is from inside, a host is named by the instance that held its address then (launches too), an interface the snapshots do not hold is placed by its address's subnet, or counted when nothing came in on the opened ports before; 10: a role session the case cannot trace to its caller is weighed with its role's other such sessions for new values, a region most identities work in or an address five others called from is not new, nor a web identity's runner address once its jobs came from two networks; 11: an origin whose label another account's origin shares is named with its account; 12: so is a recorded identity in a title, where principals of several accounts share its name

export type StoredPartInfo = { part: FindingsPart; findings: number; ms: number };

/** Whether the case has the tables (a case of an older version opened read-only has not). */
export function hasStoredFindings(db: CaseDb): boolean {
  return stmt(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('stored_findings', 'stored_findings_parts')").pluck().get() === 2;
}

/**
 * What every part reads: the events, the credentials and actors resolved from them, the configuration.
 * Rows are only ever added to these tables (nothing deletes events), so their largest ids say when.
 */
function dataStamp(db: CaseDb): string {
  const row = stmt(db, `SELECT
      (SELECT coalesce(max(id), 0) FROM event_rows) AS events,
      (SELECT coalesce(max(rowid), 0) FROM credentials) AS credentials,
      (SELECT coalesce(max(id), 0) FROM actors) AS actors,
      (SELECT coalesce(max(rowid), 0) FROM resource_versions) AS versions,
      (SELECT coalesce(max(rowid), 0) FROM edges) AS edges,
      (SELECT group_concat(key || '=' || value) FROM analysis_state) AS analysed`).get() as Record<string, unknown>;
  return `v${FINDINGS_CODE_VERSION}|${Object.values(row).map(String).join('|')}`;
}

function partStamp(db: CaseDb, part: FindingsPart, data: string): string {
  if (part === 'builtin') return data;
  if (part === 'flows') return `${data}|${stmt(db, 'SELECT coalesce(max(id), 0) FROM flow_blocks').pluck().get() as number}`;
  const row = part === 'sigma'
    ? stmt(db, 'SELECT count(*), coalesce(max(id), 0), coalesce(sum(length(yaml)), 0), coalesce(max(loaded_at), 0) FROM sigma_rules').raw().get()
    : stmt(db, 'SELECT count(*), coalesce(max(id), 0), coalesce(max(updated_at), 0), (SELECT count(*) FROM detector_finding_links) FROM detector_findings').raw().get();
  return `${data}|${(row as unknown[]).map(String).join('|')}`;
}

/** The parts whose stored answer is not that of the case as it is now (all of them in an older case). */
export function staleParts(db: CaseDb): FindingsPart[] {
  const data = dataStamp(db);
  const stored = new Map(stmt(db, 'SELECT part, stamp FROM stored_findings_parts').raw().all() as [FindingsPart, string][]);
  return FINDINGS_PARTS.filter((p) => stored.get(p) !== partStamp(db, p, data));
}

/** Whether one part's stored answer is that of the case now, by its stamp alone (the other parts' stamps read their own tables whole). */
export function partIsCurrent(db: CaseDb, part: FindingsPart): boolean {
  const stored = stmt(db, 'SELECT stamp FROM stored_findings_parts WHERE part = ?').pluck().get(part) as string | undefined;
  return stored === partStamp(db, part, dataStamp(db));
}

/**
 * Recomputes and stores the parts that are stale; a part already up to date costs a stamp (a few
 * index look-ups). Each part is one transaction: a kill mid-way leaves the earlier answer, still
 * stamped with what it was computed from, so the next ask recomputes it.
 */
export function storeFindings(db: CaseDb): StoredPartInfo[] {
  if (!hasStoredFindings(db)) return [];
  const stale = staleParts(db);
  if (!stale.length) return [];
  const actors = new Map<number, ResolvedActor>();
  const accountsOf = findingAccounts(db);
  const insert = stmt(db, `INSERT INTO stored_findings (part, finding_id, rule_id, kind, category, severity, first_time, last_time, origin, origin_label, actor_terms, accounts, body)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const out: StoredPartInfo[] = [];
  for (const part of stale) {
    const started = process.cpuUsage();
    const stamp = partStamp(db, part, dataStamp(db));
    // The stored Sigma texts are compiled with the loader's bounds (a case is untrusted too).
    const sigma = part === 'sigma' ? caseSigmaRules(db) : null;
    const collected = collectPart(db, actors, part, { extra: sigma ?? undefined });
    const { findings } = finishFindings(collected.findings);
    db.transaction(() => {
      stmt(db, 'DELETE FROM stored_findings WHERE part = ?').run(part);
      for (const f of findings) {
        insert.run(part, f.id!, f.rule?.id ?? f.kind, f.kind, f.category, f.severity, Date.parse(f.firstTime), Date.parse(f.lastTime), f.actor?.origin.id ?? null,
          f.actor?.origin.label ?? null, JSON.stringify(actorTerms(f)), JSON.stringify(accountsOf(f)), JSON.stringify(f));
      }
      const used = process.cpuUsage(started);
      const ms = Math.round((used.user + used.system) / 1000);
      stmt(db, `INSERT INTO stored_findings_parts (part, stamp, notes, extra, computed_at, compute_ms) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(part) DO UPDATE SET stamp = excluded.stamp, notes = excluded.notes, extra = excluded.extra, computed_at = excluded.computed_at, compute_ms = excluded.compute_ms`)
        .run(part, stamp, JSON.stringify(collected.notes), JSON.stringify(sigma ? { loaded: sigma.rules.length, rejected: sigma.rejected } : null), Date.now(), ms);
      out.push({ part, findings: findings.length, ms });
    })();
  }
  return out;
}
