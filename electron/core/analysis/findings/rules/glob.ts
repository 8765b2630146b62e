// Sigma's string patterns: `*` any run, `?` one character, `\*` `\?` `\\` the characters themselves,
// case-insensitive unless `cased`. Matched without regular expressions (a rule is untrusted input):
// plain, prefix, suffix and substring patterns take a fast path; the general case is the classic
// two-pointer wildcard match, which backtracks only to the last star (O(pattern × text), never exponential).

const STAR = 0;
const ONE = 1;
type Token = string | typeof STAR | typeof ONE;

export type Glob = { shape: 'exact' | 'prefix' | 'suffix' | 'contains' | 'any' | 'general'; text: string; tokens: Token[]; cased: boolean };

export function compileGlob(pattern: string, cased = false): Glob {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '?' || pattern[i + 1] === '\\')) {
      tokens.push(cased ? pattern[++i] : pattern[++i].toLowerCase());
    } else if (c === '*') {
      if (tokens[tokens.length - 1] !== STAR) tokens.push(STAR);
    } else if (c === '?') tokens.push(ONE);
    else tokens.push(cased ? c : c.toLowerCase());
  }
  const literal = (from: number, to: number) => tokens.slice(from, to).every((t) => typeof t === 'string');
  const text = (from: number, to: number) => tokens.slice(from, to).join('');
  const n = tokens.length;
  let shape: Glob['shape'] = 'general';
  let body = '';
  if (n === 1 && tokens[0] === STAR) shape = 'any';
  else if (literal(0, n)) [shape, body] = ['exact', text(0, n)];
  else if (tokens[n - 1] === STAR && literal(0, n - 1)) [shape, body] = ['prefix', text(0, n - 1)];
  else if (tokens[0] === STAR && literal(1, n)) [shape, body] = ['suffix', text(1, n)];
  else if (n >= 2 && tokens[0] === STAR && tokens[n - 1] === STAR && literal(1, n - 1)) [shape, body] = ['contains', text(1, n - 1)];
  return { shape, text: body, tokens, cased };
}

export function globMatch(g: Glob, value: string): boolean {
  const s = g.cased ? value : value.toLowerCase();
  switch (g.shape) {
    case 'any':
      return true;
    case 'exact':
      return s === g.text;
    case 'prefix':
      return s.startsWith(g.text);
    case 'suffix':
      return s.endsWith(g.text);
    case 'contains':
      return s.includes(g.text);
    default:
      return wildcard(g.tokens, s);
  }
}

function wildcard(p: Token[], s: string): boolean {
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (i < s.length) {
    const t = p[j];
    if (j < p.length && (t === ONE || t === s[i])) {
      i++;
      j++;
    } else if (j < p.length && t === STAR) {
      star = j++;
      mark = i;
    } else if (star >= 0) {
      j = star + 1;
      i = ++mark;
    } else return false;
  }
  while (j < p.length && p[j] === STAR) j++;
  return j === p.length;
}
