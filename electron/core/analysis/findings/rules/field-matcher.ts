// One field condition of a selection ("eventName|startswith: Update", "requestParameters.layers|contains: '*'",
// "errorCode: null") compiled into a test on a record, and into a test on one string for the column
// prefilter. Unknown or unsafe modifiers raise RuleError naming them.
import { cidrMatch, parseAddress } from '../../flows/cidr.ts';
import { compileGlob, globMatch } from './glob.ts';
import { RuleError } from './condition.ts';
import { leafText, MAX_PATH_SEGMENTS, valuesAt } from './record-fields.ts';
import { compileSafeRegex, safeTest } from './safe-regex.ts';

export const MAX_VALUES_PER_FIELD = 4096;
const MAX_VALUE_LENGTH = 4096;

const SUPPORTED = new Set(['contains', 'startswith', 'endswith', 'all', 're', 'i', 'm', 's', 'cidr', 'exists', 'fieldref', 'cased', 'lt', 'lte', 'gt', 'gte']);
const KNOWN_UNSUPPORTED: Record<string, string> = {
  base64: 'base64-encoded matching', base64offset: 'base64-offset matching', utf16le: 'UTF-16 encodings', utf16be: 'UTF-16 encodings',
  utf16: 'UTF-16 encodings', wide: 'UTF-16 encodings', windash: 'Windows dash variants', expand: 'placeholder expansion',
};

export type FieldMatcher = {
  path: string;
  /** The record test. */
  test(record: unknown): boolean;
  /** The same test on one string value (the column prefilter), or null when it cannot be decided from one string. */
  onString: ((s: string) => boolean) | null;
};

type One = (leaf: unknown) => boolean;

export function compileFieldMatcher(key: string, raw: unknown): FieldMatcher {
  const [path, ...mods] = key.split('|');
  if (!path) throw new RuleError(`field '${key}' has no name (keywords with modifiers are not supported)`);
  if (path.split('.').length > MAX_PATH_SEGMENTS) throw new RuleError(`field '${path}' is deeper than ${MAX_PATH_SEGMENTS} levels`);
  const m = new Set<string>();
  for (const mod of mods) {
    const x = mod.toLowerCase();
    if (KNOWN_UNSUPPORTED[x]) throw new RuleError(`modifier '${mod}' (${KNOWN_UNSUPPORTED[x]}) on field '${path}' is not supported`);
    if (!SUPPORTED.has(x)) throw new RuleError(`unknown modifier '${mod}' on field '${path}'`);
    m.add(x);
  }
  if ((m.has('i') || m.has('m') || m.has('s')) && !m.has('re')) throw new RuleError(`modifiers i, m and s on field '${path}' apply only to 're'`);
  const values = Array.isArray(raw) ? raw : [raw];
  if (!values.length) throw new RuleError(`field '${path}' has an empty list of values`);
  if (values.length > MAX_VALUES_PER_FIELD) throw new RuleError(`field '${path}' has more than ${MAX_VALUES_PER_FIELD} values`);
  for (const v of values) {
    if (v !== null && typeof v === 'object') throw new RuleError(`field '${path}' has a map or list as a value`);
    if (typeof v === 'string' && v.length > MAX_VALUE_LENGTH) throw new RuleError(`a value of field '${path}' is longer than ${MAX_VALUE_LENGTH} characters`);
  }
  const all = m.has('all');

  if (m.has('exists')) {
    if (values.length !== 1 || typeof values[0] !== 'boolean') throw new RuleError(`'exists' on field '${path}' needs true or false`);
    const want = values[0];
    return { path, test: (r) => (valuesAt(r, path).length > 0) === want, onString: null };
  }
  if (m.has('fieldref')) {
    const other = values.map((v) => String(v));
    const wrap = (s: string) => (m.has('contains') ? `*${escapeGlob(s)}*` : m.has('startswith') ? `${escapeGlob(s)}*` : m.has('endswith') ? `*${escapeGlob(s)}` : escapeGlob(s));
    const test = (r: unknown) => {
      const mine = texts(valuesAt(r, path));
      const hit = (f: string) => texts(valuesAt(r, f)).some((o) => mine.some((s) => globMatch(compileGlob(wrap(o), m.has('cased')), s)));
      return all ? other.every(hit) : other.some(hit);
    };
    return { path, test, onString: null };
  }

  const ones: One[] = [];
  const onStrings: ((s: string) => boolean)[] = [];
  let nullCheck = false;
  for (const v of values) {
    if (v === null) {
      nullCheck = true;
      continue;
    }
    const one = compileOne(path, v, m);
    ones.push(one);
    onStrings.push((s) => one(s));
  }
  const test = (r: unknown) => {
    const found = valuesAt(r, path);
    const present = found.filter((x) => x !== null);
    if (nullCheck && present.length === 0) return true;
    if (!ones.length) return false;
    if (all) return ones.every((one) => present.some(one));
    return ones.some((one) => present.some(one));
  };
  const onString = (s: string) => (all ? onStrings.every((f) => f(s)) : onStrings.some((f) => f(s)));
  return { path, test, onString };
}

function texts(vs: unknown[]): string[] {
  return vs.map(leafText).filter((s): s is string => s !== null);
}

function escapeGlob(s: string): string {
  return s.replace(/[\\*?]/g, (c) => `\\${c}`);
}

function compileOne(path: string, v: string | number | boolean, m: Set<string>): One {
  if (m.has('lt') || m.has('lte') || m.has('gt') || m.has('gte')) {
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isFinite(n)) throw new RuleError(`comparison on field '${path}' needs a number, not '${String(v)}'`);
    return (leaf) => {
      const x = typeof leaf === 'number' ? leaf : typeof leaf === 'string' && leaf.trim() !== '' ? Number(leaf) : NaN;
      if (!Number.isFinite(x)) return false;
      return m.has('lt') ? x < n : m.has('lte') ? x <= n : m.has('gt') ? x > n : x >= n;
    };
  }
  if (m.has('re')) {
    const r = compileSafeRegex(String(v), { i: m.has('i'), m: m.has('m'), s: m.has('s') });
    if (!r.ok) throw new RuleError(`field '${path}': ${r.reason}`);
    return (leaf) => {
      const s = leafText(leaf);
      return s !== null && safeTest(r, s);
    };
  }
  if (m.has('cidr')) {
    const cidr = String(v);
    const slash = cidr.indexOf('/');
    if (!parseAddress(slash < 0 ? cidr : cidr.slice(0, slash))) throw new RuleError(`field '${path}': '${cidr}' is not a CIDR range`);
    return (leaf) => typeof leaf === 'string' && cidrMatch(leaf, cidr) >= 0;
  }
  if (typeof v === 'number' && !m.has('contains') && !m.has('startswith') && !m.has('endswith')) {
    return (leaf) => (typeof leaf === 'number' ? leaf === v : typeof leaf === 'string' && leaf === String(v));
  }
  if (typeof v === 'boolean') {
    return (leaf) => leaf === v || (typeof leaf === 'string' && leaf.toLowerCase() === String(v));
  }
  const text = String(v);
  const pattern = m.has('contains') ? `*${text}*` : m.has('startswith') ? `${text}*` : m.has('endswith') ? `*${text}` : text;
  const g = compileGlob(pattern, m.has('cased'));
  return (leaf) => {
    const s = leafText(leaf);
    return s !== null && globMatch(g, s);
  };
}
