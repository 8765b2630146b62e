// IAM policy documents arrive as objects (AWS CLI) or URL-encoded JSON strings (the raw IAM API and
// CloudTrail). Both are decoded so the same policy hashes the same and trust edges can be read.
import { arr, obj, str } from '../../../json-values.ts';
import type { Obj } from '../../../json-values.ts';

export function decodePolicyDocument(v: unknown): unknown {
  if (typeof v !== 'string') return v ?? null;
  for (const text of [v, safeDecode(v)]) {
    if (text === null) continue;
    try {
      return JSON.parse(text);
    } catch {
      // try the next form
    }
  }
  return v; // neither JSON nor URL-encoded JSON: keep the text as data
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s.replace(/\+/g, '%20'));
  } catch {
    return null;
  }
}

const DOCUMENT_KEYS = new Set(['AssumeRolePolicyDocument', 'PolicyDocument', 'Document']);

/** A copy of a GAAD entry with every embedded policy document decoded. */
export function withDecodedDocuments(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withDecodedDocuments);
  const o = obj(v);
  if (o === null) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(o)) out[k] = DOCUMENT_KEYS.has(k) ? decodePolicyDocument(x) : withDecodedDocuments(x);
  return out;
}

export type TrustedPrincipal = { kind: 'AWS' | 'Service' | 'Federated' | 'Any'; id: string };

/** Who an AssumeRolePolicyDocument lets in: Allow statements only; bare account ids become root ARNs. */
export function trustedPrincipals(document: unknown): TrustedPrincipal[] {
  const doc = obj(decodePolicyDocument(document));
  if (doc === null) return [];
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  const out: TrustedPrincipal[] = [];
  for (const s of statements) {
    const st = obj(s);
    if (st === null || str(st.Effect) !== 'Allow') continue;
    const principal = st.Principal;
    if (principal === '*') {
      out.push({ kind: 'Any', id: '*' });
      continue;
    }
    const p = obj(principal);
    if (p === null) continue;
    for (const kind of ['AWS', 'Service', 'Federated'] as const) {
      const values = Array.isArray(p[kind]) ? arr(p[kind]) : [p[kind]];
      for (const v of values) {
        const id = str(v);
        if (id === null) continue;
        if (kind === 'AWS' && id === '*') out.push({ kind: 'Any', id: '*' });
        else if (kind === 'AWS' && /^\d{12}$/.test(id)) out.push({ kind, id: `arn:aws:iam::${id}:root` });
        else out.push({ kind, id });
      }
    }
  }
  return out;
}
