// A record whose nested fields were flattened into dotted names, as search tools export them:
// Splunk's extracted fields (userIdentity.arn, resources{}.ARN with one value per entry), CSV columns
// named after JSON paths. Rebuilt into the nested record; names of other tools' own fields stay as is.
import { setOwn } from './own-field.ts';

const MAX_SEGMENTS = 12;

/** True when some name is a dotted path under userIdentity (the mark of a flattened CloudTrail record). */
export function isFlattenedRecord(o: Record<string, unknown>): boolean {
  if (!('eventName' in o || 'eventSource' in o)) return false;
  for (const key in o) if (key.startsWith('userIdentity.') || key.startsWith('resources{}.')) return true;
  return false;
}

/** The nested record. `name{}.field` columns (multi-valued: one value per array entry) become arrays of objects. */
export function unflatten(flat: Record<string, unknown>, skip: (key: string) => boolean = () => false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    if (skip(key) || value === null || value === undefined || value === '') continue;
    const parts = key.split('.');
    if (parts.length > MAX_SEGMENTS) continue;
    const arrayAt = parts.findIndex((p) => p.endsWith('{}'));
    if (arrayAt < 0) {
      setPath(out, parts, value);
      continue;
    }
    // resources{}.ARN = [a, b] → resources[0].ARN = a, resources[1].ARN = b
    const listPath = [...parts.slice(0, arrayAt), parts[arrayAt].slice(0, -2)];
    const rest = parts.slice(arrayAt + 1).map((p) => p.replace(/\{\}$/, ''));
    const values = Array.isArray(value) ? value : [value];
    const list = listAt(out, listPath);
    values.forEach((v, i) => {
      if (rest.length === 0) list[i] = v;
      else {
        const entry = typeof list[i] === 'object' && list[i] !== null ? (list[i] as Record<string, unknown>) : {};
        list[i] = entry;
        setPath(entry, rest, v);
      }
    });
  }
  return out;
}

function listAt(target: Record<string, unknown>, path: string[]): unknown[] {
  const parent = nodeAt(target, path.slice(0, -1));
  const last = path[path.length - 1];
  const existing = Object.hasOwn(parent, last) ? parent[last] : undefined;
  if (Array.isArray(existing)) return existing;
  const list: unknown[] = [];
  setOwn(parent, last, list);
  return list;
}

function nodeAt(target: Record<string, unknown>, path: string[]): Record<string, unknown> {
  let node = target;
  for (const part of path) {
    const next = Object.hasOwn(node, part) ? node[part] : undefined;
    if (typeof next !== 'object' || next === null || Array.isArray(next)) setOwn(node, part, {});
    node = node[part] as Record<string, unknown>;
  }
  return node;
}

function setPath(target: Record<string, unknown>, parts: string[], v: unknown): void {
  setOwn(nodeAt(target, parts.slice(0, -1)), parts[parts.length - 1], v);
}
