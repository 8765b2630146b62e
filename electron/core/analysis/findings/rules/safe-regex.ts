// Regular expressions from rule files (Sigma's `|re`) are untrusted: JavaScript's engine backtracks,
// so `(a+)+$` against a long field can hang the process. Only a subset is accepted: no
// backreferences or lookarounds, no repeated group that itself repeats or alternates, and at most
// two unbounded repetitions in the whole pattern. With the input cut to RE_INPUT_CAP characters the
// worst case is quadratic in that cap, which is bounded.

export const RE_MAX_LENGTH = 1024;
export const RE_INPUT_CAP = 4096;
const MAX_UNBOUNDED = 2;

/** A compiled rule regex and a literal every match must contain (checked first: most values fail it cheaply). */
export type SafeRegex = { ok: true; re: RegExp; literal: string | null } | { ok: false; reason: string };

export function compileSafeRegex(pattern: string, flags: { i?: boolean; m?: boolean; s?: boolean } = {}): SafeRegex {
  let source = pattern;
  const f = { ...flags };
  // Python/PCRE-style leading inline flags, common in Sigma rules: (?i), (?s), (?im)…
  const inline = /^\(\?([ims]+)\)/.exec(source);
  if (inline) {
    for (const c of inline[1]) f[c as 'i' | 'm' | 's'] = true;
    source = source.slice(inline[0].length);
  }
  if (source.length > RE_MAX_LENGTH) return { ok: false, reason: `regular expression longer than ${RE_MAX_LENGTH} characters` };
  const problem = unsafeConstruct(source);
  if (problem) return { ok: false, reason: `regular expression '${clip(pattern)}' is not in the safe subset: ${problem}` };
  try {
    const re = new RegExp(source, `${f.i ? 'i' : ''}${f.m ? 'm' : ''}${f.s ? 's' : ''}`);
    const literal = requiredLiteral(source);
    return { ok: true, re, literal: literal && f.i ? literal.toLowerCase() : literal };
  } catch (e) {
    return { ok: false, reason: `invalid regular expression '${clip(pattern)}': ${(e as Error).message}` };
  }
}

/** Tests a compiled rule regex on at most RE_INPUT_CAP characters of the value. */
export function safeTest(r: { re: RegExp; literal: string | null }, value: string): boolean {
  const v = value.length > RE_INPUT_CAP ? value.slice(0, RE_INPUT_CAP) : value;
  if (r.literal && !(r.re.ignoreCase ? v.toLowerCase() : v).includes(r.literal)) return false;
  return r.re.test(v);
}

/**
 * The longest run of literal characters outside any group that every match contains, or null (a
 * top-level alternation, or no such run). Characters made optional by ?, * or {0,…} end a run without
 * joining it; one repeated by + or {n,…} joins it and ends it.
 */
export function requiredLiteral(p: string): string | null {
  let best = '';
  let run = '';
  const flush = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  let i = 0;
  let depth = 0;
  while (i < p.length) {
    const c = p[i];
    if (c === '[') {
      i++;
      if (p[i] === '^') i++;
      if (p[i] === ']') i++;
      while (i < p.length && p[i] !== ']') i += p[i] === '\\' ? 2 : 1;
      i++;
      if (depth === 0) flush();
      continue;
    }
    if (c === '(') {
      depth++;
      i++;
      flush();
      continue;
    }
    if (c === ')') {
      depth--;
      i++;
      flush();
      continue;
    }
    if (c === '|') {
      if (depth === 0) return null;
      i++;
      continue;
    }
    let lit: string | null = null;
    if (c === '\\') {
      const n = p[i + 1] ?? '';
      lit = /[A-Za-z0-9]/.test(n) ? null : n;
      i += 2;
    } else {
      lit = '.^$*+?{}'.includes(c) ? null : c;
      i++;
    }
    const q = p[i];
    const braces = q === '{' ? /^\{\d+(,\d*)?\}/.exec(p.slice(i))?.[0] : undefined;
    const optional = q === '?' || q === '*' || (braces !== undefined && braces.startsWith('{0'));
    const repeated = q === '+' || (braces !== undefined && !optional);
    // Step over the quantifier (and a lazy '?').
    if (q === '?' || q === '*' || q === '+') i++;
    else if (braces) i += braces.length;
    if ((q === '?' || q === '*' || q === '+' || braces) && p[i] === '?') i++;
    if (depth > 0) continue;
    if (lit === null || optional) flush();
    else {
      run += lit;
      if (repeated) flush();
    }
  }
  flush();
  return best || null;
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

type Group = { repeats: boolean; alternates: boolean };

/** The first construct outside the safe subset, or null. */
export function unsafeConstruct(p: string): string | null {
  const stack: Group[] = [{ repeats: false, alternates: false }];
  let unbounded = 0;
  let i = 0;
  // Reads a quantifier at i: 'none', 'optional' (?, {0,1}, {n}) or 'repeat' (*, +, {n,m} with m > 1); 'unbounded' marks * + {n,}.
  const quantifier = (): { kind: 'none' | 'optional' | 'repeat'; unbounded: boolean; length: number } => {
    const c = p[i];
    let len = 0;
    let kind: 'none' | 'optional' | 'repeat' = 'none';
    let open = false;
    if (c === '*' || c === '+') [kind, open, len] = ['repeat', true, 1];
    else if (c === '?') [kind, len] = ['optional', 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
      if (m) {
        len = m[0].length;
        const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
        open = max === Infinity;
        kind = max > 1 ? 'repeat' : 'optional';
      }
    }
    if (len && p[i + len] === '?') len++; // lazy
    return { kind, unbounded: open, length: len };
  };
  const afterAtom = (inner: Group | null): string | null => {
    const q = quantifier();
    if (!q.length) return null;
    i += q.length;
    if (q.unbounded && ++unbounded > MAX_UNBOUNDED) return `more than ${MAX_UNBOUNDED} unbounded repetitions (*, +, {n,})`;
    if (q.kind === 'repeat' && inner && (inner.repeats || inner.alternates)) return 'a repeated group that itself repeats or alternates (nested quantifier)';
    if (q.kind === 'repeat') stack[stack.length - 1].repeats = true;
    if (p[i] === '*' || p[i] === '+' || p[i] === '{') return 'a quantifier applied to a quantifier';
    return null;
  };
  while (i < p.length) {
    const c = p[i];
    if (c === '\\') {
      const n = p[i + 1];
      if (n === undefined) return 'a trailing backslash';
      if (/[1-9]/.test(n) || n === 'k') return 'a backreference';
      i += 2;
      const e = afterAtom(null);
      if (e) return e;
    } else if (c === '[') {
      i++;
      if (p[i] === '^') i++;
      if (p[i] === ']') i++;
      while (i < p.length && p[i] !== ']') i += p[i] === '\\' ? 2 : 1;
      if (i >= p.length) return 'an unclosed character class';
      i++;
      const e = afterAtom(null);
      if (e) return e;
    } else if (c === '(') {
      if (p.startsWith('(?=', i) || p.startsWith('(?!', i) || p.startsWith('(?<=', i) || p.startsWith('(?<!', i)) return 'a lookaround';
      if (p.startsWith('(?:', i)) i += 3;
      else if (p.startsWith('(?<', i)) {
        const end = p.indexOf('>', i);
        if (end < 0) return 'an unclosed group name';
        i = end + 1;
      } else if (p[i + 1] === '?') return `the group syntax '${p.slice(i, i + 3)}'`;
      else i++;
      stack.push({ repeats: false, alternates: false });
    } else if (c === ')') {
      if (stack.length === 1) return 'an unbalanced parenthesis';
      const inner = stack.pop()!;
      const parent = stack[stack.length - 1];
      i++;
      const e = afterAtom(inner);
      if (e) return e;
      parent.repeats ||= inner.repeats;
      parent.alternates ||= inner.alternates;
    } else if (c === '|') {
      stack[stack.length - 1].alternates = true;
      i++;
    } else if (c === '*' || c === '+' || c === '?' || (c === '{' && quantifier().length)) {
      return 'a quantifier with nothing to repeat';
    } else {
      i++;
      const e = afterAtom(null);
      if (e) return e;
    }
  }
  return stack.length === 1 ? null : 'an unclosed group';
}
