// Hash over the derived attribution tables as readers see them (the actors and actor_facets views),
// keyed by actor key, not by row id: a storage change to attribution must leave it unchanged. Opens the
// case read-only without migrating, so a case from before the change hashes too.
// Usage: node --import tsx bench/derived-hash.ts CASE
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
const db = new Database(process.argv[2]!, { readonly: true });
const h = (label: string, sql: string) => {
  const x = createHash('sha256');
  let n = 0;
  for (const r of db.prepare(sql).raw().iterate()) {
    x.update(`${JSON.stringify(r)}\n`);
    n++;
  }
  const d = x.digest('hex').slice(0, 16);
  console.log(label.padEnd(14), String(n).padStart(8), d);
  return d;
};
const all = createHash('sha256');
all.update(h('actors', `SELECT a.actor_key, a.access_key_id, a.identity_type, a.identity_arn, a.identity_account, a.principal_id, a.session_issuer_arn,
  a.session_name, a.invoked_by, a.source_identity, a.on_behalf_of, o.origin_key, a.proven, a.chain, a.flags, a.instance_id, a.first_seen, a.first_ip, a.only_event
  FROM actors a JOIN origins o ON o.id = a.origin ORDER BY a.actor_key`));
all.update(h('origins', `SELECT origin_key, kind, ident, label, account_id FROM origins ORDER BY origin_key`));
all.update(h('event_actors', `SELECT ea.event, a.actor_key, o.origin_key, ea.event_time FROM event_actors ea JOIN actors a ON a.id = ea.actor JOIN origins o ON o.id = ea.origin ORDER BY ea.event`));
all.update(h('actor_facets', `SELECT a.actor_key, f.facet, f.value, f.count, f.errors, f.first_seen, f.last_seen FROM actor_facets f JOIN actors a ON a.id = f.actor ORDER BY 1, 2, 3`));
console.log('ALL'.padEnd(14), all.digest('hex').slice(0, 16));
