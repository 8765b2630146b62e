// IAM and resource policy documents as CloudTrail records carry them: a JSON string (sometimes
// URL-encoded, as IAM responses write them), or already an object. Attacker-controlled text: parsed
// within a size bound, and anything malformed reads as "no statements".
import { items, member, str } from '../../../json-values.ts';

const MAX_POLICY_TEXT = 128 * 1024;

export type Statement = Record<string, unknown>;

export function policyStatements(doc: unknown): Statement[] {
  let v: unknown = doc;
  if (typeof v === 'string') {
    if (v.length > MAX_POLICY_TEXT) return [];
    v = parseJson(v) ?? parseJson(safeDecode(v));
  }
  const s = member(v, 'Statement');
  return items(s).filter((x): x is Statement => x !== null && typeof x === 'object' && !Array.isArray(x));
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function list(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/** The principals an Allow statement names: '*' for anyone, else ARNs, account ids and service names. */
export function allowedPrincipals(st: Statement): string[] {
  if (str(member(st, 'Effect'))?.toLowerCase() !== 'allow') return [];
  const p = member(st, 'Principal');
  if (p === '*') return ['*'];
  return ['AWS', 'Federated', 'Service', 'CanonicalUser'].flatMap((k) => list(member(p, k)));
}

/** The 12-digit account of a principal ARN or bare account id; '*' for anyone; null for services and others. */
export function accountOfPrincipal(p: string): string | null {
  if (p === '*') return '*';
  if (/^\d{12}$/.test(p)) return p;
  const m = /^arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/.exec(p);
  return m ? m[1] : null;
}

/** Accounts other than `own` (or '*') that the statements let in. */
export function foreignAccounts(statements: Statement[], own: string | null): string[] {
  const out = new Set<string>();
  for (const st of statements) {
    for (const p of allowedPrincipals(st)) {
      const a = accountOfPrincipal(p);
      if (a && a !== own) out.add(a);
    }
  }
  return [...out];
}

/** Whether an Allow statement grants every action (or all of IAM) on every resource. */
export function grantsAdmin(statements: Statement[]): boolean {
  return statements.some((st) => {
    if (str(member(st, 'Effect'))?.toLowerCase() !== 'allow') return false;
    const actions = list(member(st, 'Action'));
    const resources = list(member(st, 'Resource'));
    return actions.some((a) => a === '*' || a.toLowerCase() === 'iam:*') && resources.includes('*');
  });
}
