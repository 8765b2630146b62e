// Resource tags in the shapes the records give them: CloudTrail's `tagSet` / a tag specification's
// `tags` (`{items: [{key, value}]}` or a list of them), EC2's describe output (`Tags: [{Key, Value}]`),
// and AWS Config's items (`tags: {Name: …}`). Tags are record data: only what AWS itself would accept
// is read (at most 50 a resource, keys of 128 characters, values of 256), so a crafted record cannot
// make a name or a label of megabytes.
import { items, member, obj, str } from '../../json-values.ts';
import { usable } from './placeholders.ts';

/** AWS's own limits of a resource's tags (EC2 and the tagging API alike). */
const MAX_TAGS = 50;
const MAX_KEY = 128;
const MAX_VALUE = 256;

/**
 * The tags of a tag list or map, in their order; a pair past AWS's limits, or that is no pair, is
 * skipped. A value may be empty (a tag of a key alone); a DeleteTags pair may hold no value (null).
 */
export function tagsIn(v: unknown): [key: string, value: string | null][] {
  const out: [string, string | null][] = [];
  const o = obj(v);
  // AWS Config's map: its members are the keys (a list's `{items}` or XML-shaped `{item}` wrapper is not).
  if (o !== null && member(o, 'items') === undefined && member(o, 'item') === undefined) {
    for (const [key, value] of Object.entries(o)) {
      if (out.length >= MAX_TAGS) break;
      if (typeof value === 'string') add(out, key, value);
    }
    return out;
  }
  for (const t of items(v)) {
    if (out.length >= MAX_TAGS) break;
    const key = str(member(t, 'key'));
    const value = member(t, 'value');
    if (key !== null) add(out, key, typeof value === 'string' ? value : null);
  }
  return out;
}

function add(out: [string, string | null][], key: string, value: string | null): void {
  if (key.length <= MAX_KEY && (value === null || value.length <= MAX_VALUE)) out.push([key, value]);
}

/** The Name tag's value, which the consoles show as the resource's name; null when there is none, it is empty or redacted ("...", REDACTED). */
export function nameTag(v: unknown): string | null {
  const name = tagsIn(v).find(([key]) => key === 'Name')?.[1];
  return name ? usable(name) : null;
}

/** Tag keys that say which environment a resource belongs to, as teams spell them (case aside). */
const ENVIRONMENT_KEY = /^(env|environment|stage|deployment[-_ ]?environment)$/i;
/** Values of such a key that mean production, alone or with a suffix (`prod-eu`, `production_2`). */
const PRODUCTION_VALUE = /^(prod|production|prd|live)([-_ .:/].*)?$/i;

/** The tag marking a resource as production (`Environment=production`), or null. */
export function productionTag(tags: ReadonlyMap<string, string>): string | null {
  for (const [key, value] of tags) if (ENVIRONMENT_KEY.test(key) && PRODUCTION_VALUE.test(value)) return `${key}=${value}`;
  return null;
}
