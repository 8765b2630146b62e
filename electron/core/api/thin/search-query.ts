// THIN QUERY (workbench-owned, see report): the graph's search box. Looks a term up as an id, ARN,
// IP address, access key or name across resources, principals, keys and source addresses; exact
// matches first, then substrings (the resource and principal tables are small next to events).
import type { CaseDb } from '../../db/open-case.ts';
import type { SearchHit, CaseInfo } from '../../../../shared/api/types.ts';
import { iso } from './timeline-query.ts';

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function searchNodes(db: CaseDb, query: string, limit = 20): SearchHit[] {
  const q = query.trim();
  if (!q) return [];
  const hits = new Map<string, SearchHit>();
  const add = (h: SearchHit) => {
    if (!hits.has(h.id) && hits.size < limit) hits.set(h.id, h);
  };
  const like = `%${escapeLike(q)}%`;

  const exactResources = db
    .prepare('SELECT id, type, name, arn FROM resources WHERE id = ? OR arn = ? OR name = ? LIMIT ?')
    .all(q, q, q, limit) as { id: string; type: string; name: string | null; arn: string | null }[];
  for (const r of exactResources) add({ id: r.id, type: r.type, label: r.name ?? r.id, detail: r.arn });

  const principals = db
    .prepare("SELECT arn, type, name FROM principals WHERE arn = ? OR name = ? OR arn LIKE ? ESCAPE '\\' LIMIT ?")
    .all(q, q, like, limit) as { arn: string; type: string; name: string | null }[];
  for (const p of principals) add({ id: p.arn, type: p.type, label: p.name ?? p.arn, detail: p.arn });

  if (/^(AKIA|ASIA)[A-Z0-9]{8,}$/.test(q)) {
    const key = db.prepare('SELECT issued_arn FROM credentials WHERE access_key_id = ?').get(q) as { issued_arn: string | null } | undefined;
    const used = db.prepare('SELECT identity_arn FROM events WHERE access_key_id = ? LIMIT 1').get(q) as { identity_arn: string | null } | undefined;
    if (key || used) add({ id: q, type: 'access-key', label: q, detail: key?.issued_arn ?? used?.identity_arn ?? null });
  }
  if (/^[0-9a-fA-F:.]+$/.test(q) && (q.includes('.') || q.includes(':'))) {
    const seen = db.prepare('SELECT count(*) AS n FROM events WHERE source_ip = ?').get(q) as { n: number };
    if (seen.n > 0) add({ id: `ip/${q}`, type: 'ip', label: q, detail: `${seen.n} events from this address` });
  }

  if (hits.size < limit) {
    const partial = db
      .prepare("SELECT id, type, name, arn FROM resources WHERE id LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\' OR arn LIKE ? ESCAPE '\\' ORDER BY length(id) LIMIT ?")
      .all(like, like, like, limit) as { id: string; type: string; name: string | null; arn: string | null }[];
    for (const r of partial) add({ id: r.id, type: r.type, label: r.name ?? r.id, detail: r.arn });
  }
  return [...hits.values()];
}

export function caseInfo(db: CaseDb, path: string): CaseInfo {
  const one = <T>(sql: string) => db.prepare(sql).get() as T;
  const span = one<{ lo: number | null; hi: number | null }>('SELECT min(event_time) AS lo, max(event_time) AS hi FROM events');
  const list = (sql: string) => (db.prepare(sql).pluck().all() as (string | null)[]).filter((v): v is string => !!v);
  return {
    path,
    name: path.split(/[\\/]/).pop() ?? path,
    events: one<{ n: number }>('SELECT count(*) AS n FROM events').n,
    flows: one<{ n: number }>('SELECT count(*) AS n FROM flows').n,
    resources: one<{ n: number }>('SELECT count(*) AS n FROM resources').n,
    sources: one<{ n: number }>('SELECT count(*) AS n FROM sources').n,
    firstTime: iso(span.lo),
    lastTime: iso(span.hi),
    accounts: list('SELECT DISTINCT account_id FROM resources UNION SELECT DISTINCT account_id FROM principals ORDER BY 1'),
    regions: list('SELECT DISTINCT region FROM resources ORDER BY 1'),
  };
}
