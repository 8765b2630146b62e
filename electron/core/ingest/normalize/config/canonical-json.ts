// A copy of a JSON value with object keys sorted at every level, so the same content serializes (and
// hashes) the same whatever order the CLI or SDK printed it in. Array order is content and is kept.
export function canonicalJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonicalJson);
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) {
    const x = o[k];
    if (x !== undefined) out[k] = canonicalJson(x);
  }
  return out;
}
