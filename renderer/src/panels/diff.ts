// A before/after comparison of two configuration documents. Lists of objects (security group rules,
// tags, attachments) are matched by identity, not position: a rule inserted at the top must show as
// one added rule, not as every later rule "changed". An element that was added or removed is one row
// that sums up its fields (a rule is read as a whole: "tcp 22 from 0.0.0.0/0"), leaving out the null
// ones; an element present on both sides shows one row per field that changed.
export type DiffRow = { op: 'added' | 'removed' | 'changed'; path: string; before: string | null; after: string | null };

const IDENTITY_KEYS = ['ruleId', 'securityGroupRuleId', 'SecurityGroupRuleId', 'GroupId', 'InstanceId', 'NetworkInterfaceId', 'AttachmentId', 'AllocationId', 'Key', 'PolicyArn', 'UserName', 'RoleName', 'GroupName', 'id', 'Id', 'arn', 'Arn'];
const MAX_ROWS = 200;

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The label an element of a list is known by: its id when it has one, else its content. */
function elementLabel(value: unknown): string {
  if (isObject(value)) {
    for (const key of IDENTITY_KEYS) {
      const id = value[key];
      if (typeof id === 'string' && id !== '') return id;
    }
  }
  return JSON.stringify(value);
}

function join(prefix: string, key: string): string {
  if (key.startsWith('[')) return `${prefix}${key}`;
  return prefix ? `${prefix}.${key}` : key;
}

/** Every leaf under a value, by path (the flat view used where a structure appears or changes shape). */
function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [v !== null && typeof v === 'object' ? `[${elementLabel(v)}]` : String(i), v] as const) : Object.entries(value);
    if (!entries.length) out.set(prefix || '(root)', Array.isArray(value) ? '[]' : '{}');
    for (const [k, v] of entries) flatten(v, join(prefix, k), out);
  } else if (value !== undefined) {
    out.set(prefix || '(root)', JSON.stringify(value));
  }
}

/** "protocol: tcp, fromPort: 22, cidr: 0.0.0.0/0": an element's non-empty fields on one line. */
export function summarize(value: unknown): string {
  if (!isObject(value) && !Array.isArray(value)) return JSON.stringify(value);
  const leaves = new Map<string, string>();
  flatten(value, '', leaves);
  const parts: string[] = [];
  for (const [path, text] of leaves) {
    if (text === 'null' || text === '""' || text === '[]' || text === '{}') continue;
    parts.push(`${path}: ${text.startsWith('"') ? (JSON.parse(text) as string) : text}`);
  }
  return parts.join(', ') || '(empty)';
}

function compareLeaves(before: unknown, after: unknown, path: string, rows: DiffRow[]): void {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  if (before !== undefined && before !== null) flatten(before, path, a);
  if (after !== undefined && after !== null) flatten(after, path, b);
  for (const p of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(p) ?? null;
    const y = b.get(p) ?? null;
    if (x !== y) rows.push({ op: x === null ? 'added' : y === null ? 'removed' : 'changed', path: p, before: x, after: y });
  }
}

function compareLists(before: unknown[], after: unknown[], path: string, rows: DiffRow[]): void {
  const a = new Map(before.map((v) => [elementLabel(v), v] as const));
  const b = new Map(after.map((v) => [elementLabel(v), v] as const));
  for (const label of new Set([...a.keys(), ...b.keys()])) {
    const at = `${path}[${label}]`;
    if (!b.has(label)) rows.push({ op: 'removed', path: at, before: summarize(a.get(label)), after: null });
    else if (!a.has(label)) rows.push({ op: 'added', path: at, before: null, after: summarize(b.get(label)) });
    else compare(a.get(label), b.get(label), at, rows);
  }
}

function compare(before: unknown, after: unknown, path: string, rows: DiffRow[]): void {
  if (Array.isArray(before) && Array.isArray(after)) return compareLists(before, after, path, rows);
  if (isObject(before) && isObject(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const x = before[key];
      const y = after[key];
      // A list that appears or empties out is still a list of elements, each one added or removed.
      if (Array.isArray(x) || Array.isArray(y)) {
        const xs = Array.isArray(x) ? x : x === undefined || x === null ? [] : null;
        const ys = Array.isArray(y) ? y : y === undefined || y === null ? [] : null;
        if (xs && ys && (xs.length || ys.length)) {
          compareLists(xs, ys, join(path, key), rows);
          continue;
        }
      }
      compare(x, y, join(path, key), rows);
    }
    return;
  }
  compareLeaves(before, after, path, rows);
}

export function diffConfigs(before: unknown, after: unknown): DiffRow[] {
  if (before === undefined && after === undefined) return [];
  const rows: DiffRow[] = [];
  // A resource that appears (or goes) shows its fields one by one: there is no "before" to compare.
  if (isObject(before) && isObject(after)) compare(before, after, '', rows);
  else compareLeaves(before, after, '', rows);
  return rows.sort((p, q) => p.path.localeCompare(q.path)).slice(0, MAX_ROWS);
}
