// Sigma's condition language: selection names, `and`, `or`, `not`, parentheses, `1 of pattern*`,
// `all of pattern*`, `1 of them`, `all of them`. Aggregations (`| count() by … > n`) and `near` need
// correlation over time windows and are refused with that reason, as is anything else unknown.
import { compileGlob, globMatch } from './glob.ts';

export type Cond = { t: 'sel'; name: string } | { t: 'and' | 'or'; items: Cond[] } | { t: 'not'; item: Cond };

export class RuleError extends Error {}

const MAX_TOKENS = 512;
const MAX_DEPTH = 32;

function tokenize(text: string): string[] {
  if (text.includes('|')) {
    const tail = text.slice(text.indexOf('|') + 1).trim();
    throw new RuleError(`aggregation '| ${tail.length > 60 ? `${tail.slice(0, 57)}…` : tail}' in the condition is not supported (it needs correlation over a time window)`);
  }
  const tokens = text.match(/\(|\)|[^\s()]+/g) ?? [];
  if (tokens.length > MAX_TOKENS) throw new RuleError(`condition longer than ${MAX_TOKENS} tokens`);
  return tokens;
}

/** Parses `condition` against the selection names it may refer to. */
export function parseCondition(text: string, selections: string[]): Cond {
  const tokens = tokenize(text);
  if (!tokens.length) throw new RuleError('empty condition');
  let i = 0;
  const peek = () => tokens[i];
  const lower = () => tokens[i]?.toLowerCase();
  const expect = (t: string) => {
    if (tokens[i] !== t) throw new RuleError(`condition '${text}': expected '${t}' ${i < tokens.length ? `before '${tokens[i]}'` : 'at the end'}`);
    i++;
  };
  const matching = (pattern: string): string[] => {
    if (pattern === 'them') return selections.filter((s) => !s.startsWith('_'));
    const g = compileGlob(pattern, true);
    return selections.filter((s) => globMatch(g, s));
  };
  const or = (depth: number): Cond => {
    if (depth > MAX_DEPTH) throw new RuleError(`condition nested deeper than ${MAX_DEPTH} levels`);
    const items = [and(depth)];
    while (lower() === 'or') {
      i++;
      items.push(and(depth));
    }
    return items.length === 1 ? items[0] : { t: 'or', items };
  };
  const and = (depth: number): Cond => {
    const items = [not(depth)];
    while (lower() === 'and') {
      i++;
      items.push(not(depth));
    }
    return items.length === 1 ? items[0] : { t: 'and', items };
  };
  const not = (depth: number): Cond => {
    if (lower() === 'not') {
      i++;
      return { t: 'not', item: not(depth + 1) };
    }
    return atom(depth);
  };
  const atom = (depth: number): Cond => {
    const t = peek();
    if (t === undefined) throw new RuleError(`condition '${text}' ends too early`);
    if (t === '(') {
      i++;
      const inner = or(depth + 1);
      expect(')');
      return inner;
    }
    const l = t.toLowerCase();
    if (tokens[i + 1]?.toLowerCase() === 'of') {
      if (l !== '1' && l !== 'all' && l !== 'any') throw new RuleError(`'${t} of' is not supported (only '1 of' and 'all of')`);
      const pattern = tokens[i + 2];
      if (pattern === undefined || pattern === '(' || pattern === ')') throw new RuleError(`'${t} of' needs a selection pattern or 'them'`);
      i += 3;
      const names = matching(pattern);
      if (!names.length) throw new RuleError(`'${t} of ${pattern}' matches no selection`);
      const items = names.map((name): Cond => ({ t: 'sel', name }));
      return items.length === 1 ? items[0] : { t: l === 'all' ? 'and' : 'or', items };
    }
    if (['and', 'or', ')'].includes(l)) throw new RuleError(`condition '${text}': unexpected '${t}'`);
    if (l === 'near') throw new RuleError(`'near' in the condition is not supported (it needs correlation over a time window)`);
    if (!selections.includes(t)) throw new RuleError(`condition names '${t}', which is not a selection of the rule`);
    i++;
    return { t: 'sel', name: t };
  };
  const tree = or(0);
  if (i < tokens.length) throw new RuleError(`condition '${text}': unexpected '${tokens[i]}'`);
  return tree;
}
