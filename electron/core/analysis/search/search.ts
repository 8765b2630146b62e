// The search box: a term looked up as a resource id, ARN, name, IP address, access key or resolved
// origin (a person, an instance) across resources, principals, origins and the interned strings of
// events. Exact matches first, then prefixes (index ranges on strings), then resources by prefix and
// substring (resource-matches.ts: an index range and a trigram index, never a scan), then issued
// access keys by their start (a range of the strings index) or by any other piece (a scan of the keys'
// range of that index: the one large scan here), then substrings of the small tables (principals,
// origins). Interfaces and addresses known only from flow logs are found through the flows indexes
// (flow-ids.ts). Each hit's id is a graph node id, so the UI can centre on it.
import type { SearchHit } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { flowAddressesWithPrefix, flowInterfaces, type FlowInterface } from './flow-ids.ts';
import { escapeLike, resourcesMatching, type ResourceRow } from './resource-matches.ts';
import { flowRecordsNaming } from '../flows/flow-counts.ts';
import { originLabelSql } from '../attribution/origin-label.ts';

const IP_LIKE = /^[0-9a-fA-F:.]+$/;
const KEY_LIKE = /^(AKIA|ASIA|AIDA|AROA)[A-Z0-9]{4,}$/;
/** How an access key's text begins (long-term AKIA, temporary ASIA). */
const KEY_START = /^A[KS]IA/;
/** A piece of an access key as AWS writes them (a redacted key's last four, say): no GLOB character can be in it. */
const KEY_PIECE = /^[A-Z0-9]{4,128}$/;
/** Keys read per search by a piece of their text. */
const KEY_PIECES = 50;
/**
 * Texts holding a piece of a key (`*…*`): a scan of strings_value from the first to the last text a key
 * can start with (`AKIA` … `ASIA`), which holds the key texts and few others (role ids, AROA…: keyHit
 * keeps keys that were issued or used). query-plans.test.ts pins the plan.
 */
export const KEYS_HOLDING = `SELECT value FROM strings WHERE value >= 'AKIA' AND value < 'ASIB' AND value GLOB ? LIMIT ?`;

export function search(db: CaseDb, query: string, limit = 20): SearchHit[] {
  const q = query.trim();
  if (!q) return [];
  const max = Math.min(Math.max(1, limit), 200);
  const hits = new Map<string, SearchHit>();
  const add = (h: SearchHit) => {
    if (!hits.has(h.id) && hits.size < max) hits.set(h.id, h);
  };
  const like = `%${escapeLike(q)}%`;

  for (const r of stmt(db, 'SELECT id, type, name, arn FROM resources WHERE id = ? OR arn = ? OR name = ? LIMIT ?').all(q, q, q, max) as ResourceRow[]) add(resourceHit(r));
  for (const p of stmt(db, 'SELECT arn, type, name, event_count AS n FROM principals WHERE arn = ? OR name = ? LIMIT ?').all(q, q, max) as PrincipalRow[]) add(principalHit(p));
  if (KEY_LIKE.test(q)) keyHit(db, q, add);
  if (IP_LIKE.test(q) && (q.includes('.') || q.includes(':'))) ipHit(db, q, add);
  for (const o of stmt(db, `SELECT o.kind, o.ident, ${originLabelSql('o')} AS label FROM origins o WHERE o.ident = ? OR o.label = ? LIMIT ?`).all(q, q, max) as OriginRow[]) add(originHit(o));
  // An interface, or an instance / VPC / subnet the case knows only from flow records: the interfaces are the graph's nodes.
  if (/^(eni|i|vpc|subnet)-/.test(q)) {
    const known = hits.has(q);
    for (const f of flowInterfaces(db)) if (f.eni === q || (!known && (f.instance === q || f.vpc === q || f.subnet === q))) add(interfaceHit(f));
  }

  // Prefixes of addresses and keys as typed ("185.220.", "AKIAX"): a range of the strings index.
  if (hits.size < max && q.length >= 3 && (IP_LIKE.test(q) || KEY_START.test(q))) {
    const candidates = stmt(db, `SELECT value FROM strings WHERE value >= ? AND value < ? ORDER BY value LIMIT 50`).pluck().all(q, `${q}\u{10FFFF}`) as string[];
    // Addresses seen only as flow peers are not interned: the flows' address indexes, same prefix.
    if (IP_LIKE.test(q)) candidates.push(...flowAddressesWithPrefix(db, q, 50).filter((a) => !candidates.includes(a)));
    // The exact steps above may have found the term itself: each hit's queries (an address counts up to
    // 100,000 events) are not asked again.
    for (const v of candidates) {
      if (hits.size >= max) break;
      if (KEY_START.test(v)) {
        if (!hits.has(v)) keyHit(db, v, add);
      } else if (IP_LIKE.test(v) && !hits.has(`ip/${v}`)) ipHit(db, v, add);
    }
  }
  if (hits.size < max) for (const r of resourcesMatching(db, q, max)) add(resourceHit(r));
  // A temporary key is its issuing call's credential row, not a resource (resources/other-services.ts),
  // so the trigram index of resources never holds it: the key texts of strings_value are read instead
  // and keyHit keeps those issued or used. A key's start was the prefix step's range above; any other
  // piece (a redacted key's last four) scans the keys' range of it, up to the first KEY_PIECES keys
  // holding it (KEYS_HOLDING).
  if (hits.size < max && KEY_PIECE.test(q) && !KEY_START.test(q)) {
    const keys = stmt(db, KEYS_HOLDING).pluck().all(`*${q}*`, KEY_PIECES) as string[];
    // As the prefix step above: stop once the list is full, and skip a key already found.
    for (const key of keys) {
      if (hits.size >= max) break;
      if (!hits.has(key)) keyHit(db, key, add);
    }
  }
  if (hits.size < max && q.length >= 3) {
    const needle = q.toLowerCase();
    for (const f of flowInterfaces(db)) {
      if (hits.size >= max) break;
      if (f.eni.toLowerCase().includes(needle)) add(interfaceHit(f));
    }
  }
  if (hits.size < max) {
    for (const p of stmt(db, `SELECT arn, type, name, event_count AS n FROM principals WHERE arn LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\'
      ORDER BY event_count DESC LIMIT ?`).all(like, like, max) as PrincipalRow[]) add(principalHit(p));
  }
  if (hits.size < max) {
    for (const o of stmt(db, `SELECT o.kind, o.ident, ${originLabelSql('o')} AS label FROM origins o WHERE o.ident LIKE ? ESCAPE '\\' OR o.label LIKE ? ESCAPE '\\' LIMIT ?`).all(like, like, max) as OriginRow[]) {
      add(originHit(o));
    }
  }
  return [...hits.values()];
}

type PrincipalRow = { arn: string; type: string; name: string | null; n: number };
type OriginRow = { kind: string; ident: string; label: string };

function resourceHit(r: ResourceRow): SearchHit {
  return { id: r.id, type: r.type, label: r.name ?? r.id, detail: r.arn };
}

function principalHit(p: PrincipalRow): SearchHit {
  return { id: p.arn, type: p.type, label: p.name ?? p.arn, detail: `${p.arn} · ${p.n} events` };
}

function interfaceHit(f: FlowInterface): SearchHit {
  const where = [f.instance ? `interface of ${f.instance}` : null, f.subnet, f.vpc].filter(Boolean).join(', ');
  return { id: f.eni, type: 'network-interface', label: f.eni, detail: `seen in flow logs${where ? ` (${where})` : ''}` };
}

function originHit(o: OriginRow): SearchHit {
  return { id: o.ident, type: o.kind, label: o.label, detail: `resolved origin (${o.kind})` };
}

function keyHit(db: CaseDb, key: string, add: (h: SearchHit) => void): void {
  const issued = stmt(db, 'SELECT issued_arn, kind FROM credentials WHERE access_key_id = ?').get(key) as { issued_arn: string | null; kind: string } | undefined;
  const used = stmt(db, `SELECT s.value FROM event_rows e JOIN strings s ON s.id = e.identity_arn
    WHERE e.access_key_id = (SELECT id FROM strings WHERE value = ?) LIMIT 1`).pluck().get(key) as string | undefined;
  if (issued || used) add({ id: key, type: 'access-key', label: key, detail: used ?? issued?.issued_arn ?? null });
}

function ipHit(db: CaseDb, ip: string, add: (h: SearchHit) => void): void {
  const sid = stmt(db, 'SELECT id FROM strings WHERE value = ?').pluck().get(ip) as number | undefined;
  const events = sid === undefined ? 0 : (stmt(db, 'SELECT count(*) FROM (SELECT 1 FROM event_rows WHERE source_ip = ? LIMIT 100000)').pluck().get(sid) as number);
  const flows = flowRecordsNaming(db, ip);
  if (events + flows === 0) return;
  const parts = [events ? `${events} events from this address` : null, flows ? `${flows} flow records` : null].filter(Boolean);
  add({ id: `ip/${ip}`, type: 'ip', label: ip, detail: parts.join(', ') });
}
