// A flat before/after comparison of two configuration documents: one line per changed leaf path.
// Lists of objects (security group rules, tags, attachments) are matched by identity, not position:
// a rule inserted at the top must show as one added rule, not as every later rule "changed".
export type DiffRow = { op: 'added' | 'removed' | 'changed'; path: string; before: string | null; after: string | null };

const IDENTITY_KEYS = ['ruleId', 'securityGroupRuleId', 'SecurityGroupRuleId', 'GroupId', 'InstanceId', 'NetworkInterfaceId', 'AttachmentId', 'AllocationId', 'Key', 'PolicyArn', 'UserName', 'RoleName', 'GroupName', 'id', 'Id', 'arn', 'Arn'];

/** The label an element of a list is known by: its id when it has one, else its content. */
function elementLabel(value: unknown, index: number): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return String(index);
  const record = value as Record<string, unknown>;
  for (const key of IDENTITY_KEYS) {
    const id = record[key];
    if (typeof id === 'string' && id !== '') return id;
  }
  return JSON.stringify(value);
}

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [Array.isArray(value) && typeof v === 'object' && v !== null ? `[${elementLabel(v, i)}]` : String(i), v] as const)
      : Object.entries(value);
    if (!entries.length) out.set(prefix || '(root)', Array.isArray(value) ? '[]' : '{}');
    for (const [k, v] of entries) flatten(v, prefix ? (k.startsWith('[') ? `${prefix}${k}` : `${prefix}.${k}`) : k, out);
  } else if (value !== undefined) {
    out.set(prefix || '(root)', JSON.stringify(value));
  }
}

export function diffConfigs(before: unknown, after: unknown): DiffRow[] {
  if (before === undefined && after === undefined) return [];
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  if (before !== undefined && before !== null) flatten(before, '', a);
  if (after !== undefined && after !== null) flatten(after, '', b);
  const rows: DiffRow[] = [];
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(path) ?? null;
    const y = b.get(path) ?? null;
    if (x === y) continue;
    rows.push({ op: x === null ? 'added' : y === null ? 'removed' : 'changed', path, before: x, after: y });
  }
  return rows.sort((p, q) => p.path.localeCompare(q.path)).slice(0, 200);
}
