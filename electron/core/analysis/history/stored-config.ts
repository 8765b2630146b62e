// A resource version's stored configuration text (resource_versions.config), as the analyses read it.
// Ingest keeps a document of at most 16 MB (ingest/parse/config-bounds.ts), but the case file itself is
// hostile: a crafted case may hold a text of any size, and each reader would parse it whole and then walk
// or copy it. Every reader of a stored version's text goes through this bound instead.
import type { CaseDb } from '../../db/open-case.ts';
import { parsedOrNull } from '../../json-values.ts';
import { stmt } from '../prepared.ts';

/**
 * Characters of a stored configuration read: a group at AWS's ceiling of 1,000 rules, or an instance with
 * every attribute, is a few hundred kilobytes. A larger text is left out, as a damaged one is.
 */
export const MAX_STORED_CONFIG_CHARS = 4 * 1024 * 1024;

/** The SQL condition that keeps a version whose text a reader parses (`column` names it in the query). */
export function configWithinBound(column: string): string {
  return `length(${column}) <= ${MAX_STORED_CONFIG_CHARS}`;
}

/** A stored configuration parsed, or null when it is too long or not JSON. */
export function storedConfig(text: string | null | undefined): unknown {
  return typeof text === 'string' && text.length <= MAX_STORED_CONFIG_CHARS ? parsedOrNull(text) : null;
}

/** One resource's latest snapshot as latestSnapshots reads it: its text not yet parsed. */
export type LatestSnapshot = { resourceId: string; observedAt: number; accountId: string | null; config: string };

/**
 * The latest snapshot of each resource whose id begins with `prefix` (a type's, ending in '-': 'i-',
 * 'subnet-'), or with `where` (SQL on the version `v`, written in the code) the latest that meets it.
 * The versions are chosen by id, so no configuration is carried through the sort, then read one by one,
 * in `order` (their time, or the resources' ids): at most `limit`, and texts of `budget.chars` characters
 * in all, taken from the budget as they are read (the caller may go on spending it); past it the rest
 * is never fetched.
 */
export function* latestSnapshots(db: CaseDb, prefix: string, o: { where?: string; order: 'time' | 'id'; limit: number; budget: { chars: number } }): Generator<LatestSnapshot> {
  if (!/^[a-z]+-$/.test(prefix)) throw new Error(`a resource type's id prefix, not ${prefix}`);
  // Ids of the type sort between the prefix and the same with '.', the character after '-'.
  const end = `${prefix.slice(0, -1)}.`;
  const rows = stmt(db, `SELECT l.resource_id, l.observed_at, r.account_id, c.config FROM (
      SELECT v.id, v.resource_id, v.observed_at, row_number() OVER (PARTITION BY v.resource_id ORDER BY v.observed_at DESC, v.id DESC) AS n
      FROM resource_versions v WHERE v.resource_id >= '${prefix}' AND v.resource_id < '${end}' AND v.origin = 'snapshot' AND ${configWithinBound('v.config')}
        ${o.where ? `AND ${o.where}` : ''}
    ) l JOIN resource_versions c ON c.id = l.id LEFT JOIN resources r ON r.id = l.resource_id
    WHERE l.n = 1 ORDER BY ${o.order === 'time' ? 'l.observed_at, ' : ''}l.resource_id LIMIT ${o.limit}`).raw().iterate() as IterableIterator<[string, number, string | null, string]>;
  for (const [resourceId, observedAt, accountId, config] of rows) {
    o.budget.chars -= config.length;
    if (o.budget.chars < 0) return;
    yield { resourceId, observedAt, accountId, config };
  }
}
