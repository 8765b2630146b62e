// The timeline's query language (`trailscope timeline --query`, the timeline's filter box):
//   free words (the full-text index), field:value on the indexed fields (names case-insensitive),
//   * and ? wildcards in values, OR, NOT (or a leading -), parentheses, from:/to: time bounds,
//   tag:NAME and starred:true (the investigator's annotations). Words are AND-ed.
// It compiles to a WHERE clause over `events e` whose values are all bound parameters: nothing the
// user typed becomes SQL. Bounded: 512 characters, 64 terms, 16 levels of parentheses.
import type { CaseDb } from '../../db/open-case.ts';
import { textCondition, type ScopeReading } from './timeline-query.ts';
import { parseTime } from '../prepared.ts';
import { hasAnnotations } from '../../annotations/annotations.ts';

export class QueryError extends Error {
  override name = 'QueryError';
}

const MAX_CHARS = 512;
const MAX_TERMS = 64;
const MAX_DEPTH = 16;

// field name (lower case) → column of the events view.
const COLUMNS: Record<string, string> = {
  eventname: 'e.event_name', event: 'e.event_name', name: 'e.event_name',
  eventsource: 'e.event_source', source: 'e.event_source',
  ip: 'e.source_ip', sourceipaddress: 'e.source_ip',
  actor: 'e.identity_arn', arn: 'e.identity_arn', identityarn: 'e.identity_arn', user: 'e.identity_arn',
  key: 'e.access_key_id', accesskeyid: 'e.access_key_id',
  agent: 'e.user_agent', useragent: 'e.user_agent',
  error: 'e.error_code', errorcode: 'e.error_code',
  region: 'e.aws_region', awsregion: 'e.aws_region',
  account: 'e.account_id', accountid: 'e.account_id',
  eventid: 'e.event_id', id: 'e.event_id',
};
const SPECIAL = new Set(['tag', 'starred', 'from', 'to', 'readonly']);

type Token = { kind: '(' | ')' | 'word'; text: string; quoted: boolean };

function tokens(q: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i];
    if (/\s/.test(c)) i++;
    else if (c === '(' || c === ')') {
      out.push({ kind: c, text: c, quoted: false });
      i++;
    } else {
      // A word runs to white space or a parenthesis; a quoted part ("…") may hold either.
      let text = '';
      let quoted = false;
      while (i < q.length && !/[\s()]/.test(q[i])) {
        if (q[i] === '"') {
          const end = q.indexOf('"', i + 1);
          if (end < 0) throw new QueryError('a quote is not closed');
          text += q.slice(i + 1, end);
          quoted = true;
          i = end + 1;
        } else text += q[i++];
      }
      out.push({ kind: 'word', text, quoted });
    }
  }
  return out;
}

/** Throws a QueryError when `query` does not parse (without a case: tag: and starred: compile to constants). */
export function checkQuery(query: string): void {
  // Free text stays as it is: the SQL is not run, and only the case's index can cut it into words.
  compileQuery(query, false, (text) => ({ sql: '1', arg: text }));
}

// A comparison with a missing value (no error code) is NULL in SQL; NOT of it must still be true.
const negate = (sql: string): string => `NOT coalesce(${sql}, 0)`;

export type CompiledQuery = { sql: string; args: (string | number)[] };

export function compileTimelineQuery(db: CaseDb, query: string, reading: ScopeReading): CompiledQuery | null {
  return compileQuery(query, hasAnnotations(db), (text) => textCondition(db, text, reading));
}

/** `fts`: the condition for free text and its argument, or null when the text holds no word. */
function compileQuery(query: string, annotations: boolean, fts: (text: string) => { sql: string; arg: string } | null): CompiledQuery | null {
  if (query.length > MAX_CHARS) throw new QueryError(`a query holds at most ${MAX_CHARS} characters`);
  const toks = tokens(query);
  if (!toks.length) return null;
  let pos = 0;
  let terms = 0;
  const args: (string | number)[] = [];
  const peek = () => toks[pos];
  const isOp = (t: Token | undefined, op: string) => t?.kind === 'word' && !t.quoted && t.text === op;

  const orExpr = (depth: number): string => {
    const parts = [andExpr(depth)];
    while (isOp(peek(), 'OR')) {
      pos++;
      parts.push(andExpr(depth));
    }
    return parts.length > 1 ? `(${parts.join(' OR ')})` : parts[0];
  };
  const andExpr = (depth: number): string => {
    const parts = [unary(depth)];
    for (;;) {
      const t = peek();
      if (!t || t.kind === ')' || isOp(t, 'OR')) break;
      if (isOp(t, 'AND')) pos++;
      parts.push(unary(depth));
    }
    return parts.length > 1 ? `(${parts.join(' AND ')})` : parts[0];
  };
  const unary = (depth: number): string => {
    const t = peek();
    if (!t) throw new QueryError('the query ends where a term was expected');
    if (isOp(t, 'NOT')) {
      pos++;
      return negate(unary(depth));
    }
    if (t.kind === 'word' && !t.quoted && t.text.startsWith('-') && t.text.length > 1) {
      toks[pos] = { ...t, text: t.text.slice(1) };
      return negate(unary(depth));
    }
    if (t.kind === '(') {
      if (depth >= MAX_DEPTH) throw new QueryError(`parentheses nest at most ${MAX_DEPTH} deep`);
      pos++;
      const inner = orExpr(depth + 1);
      if (peek()?.kind !== ')') throw new QueryError('a parenthesis is not closed');
      pos++;
      return `(${inner})`;
    }
    if (t.kind === ')') throw new QueryError('a closing parenthesis without its opening one');
    pos++;
    if (++terms > MAX_TERMS) throw new QueryError(`a query holds at most ${MAX_TERMS} terms`);
    return term(t);
  };
  const term = (t: Token): string => {
    const colon = t.text.indexOf(':');
    const field = colon > 0 ? t.text.slice(0, colon).toLowerCase() : '';
    const value = colon > 0 ? t.text.slice(colon + 1) : '';
    if (colon > 0 && COLUMNS[field]) return match(COLUMNS[field], value);
    if (colon > 0 && SPECIAL.has(field)) return special(field, value);
    // Free text (an ARN's colons included): the full-text index, every word of it.
    const words = fts(t.text.replace(/[*?]/g, ' '));
    if (!words) return '1';
    args.push(words.arg);
    return words.sql;
  };
  const match = (column: string, value: string): string => {
    if (!value) throw new QueryError(`a value is missing after '${column.slice(2)}:'`);
    if (!/[*?]/.test(value)) {
      args.push(value);
      return `${column} = ?`;
    }
    // Wildcards: LIKE with every character of the value literal but * and ?.
    args.push(value.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%').replace(/\?/g, '_'));
    return `${column} LIKE ? ESCAPE '\\'`;
  };
  const special = (field: string, value: string): string => {
    switch (field) {
      case 'from':
      case 'to': {
        let ms: number;
        try {
          ms = parseTime(value);
        } catch {
          throw new QueryError(`not a time: '${value.slice(0, 80)}' (use ISO 8601, e.g. from:2024-08-01T12:00:00Z)`);
        }
        args.push(ms);
        return field === 'from' ? 'e.event_time >= ?' : 'e.event_time <= ?';
      }
      case 'readonly':
        return /^(true|yes|1)$/i.test(value) ? 'e.read_only = 1' : '(e.read_only IS NULL OR e.read_only = 0)';
      case 'starred': {
        if (!annotations) return /^(true|yes|1)$/i.test(value) ? '0' : '1';
        const sql = "e.event_id IN (SELECT target_id FROM annotations WHERE target_kind = 'event' AND kind = 'star')";
        return /^(true|yes|1)$/i.test(value) ? sql : `NOT ${sql}`;
      }
      default: {
        if (!value) throw new QueryError("a tag is missing after 'tag:'");
        if (!annotations) return '0';
        args.push(value.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%').replace(/\?/g, '_'));
        return "e.event_id IN (SELECT target_id FROM annotations WHERE target_kind = 'event' AND kind = 'tag' AND value LIKE ? ESCAPE '\\')";
      }
    }
  };

  const sql = orExpr(0);
  if (pos < toks.length) throw new QueryError(toks[pos].kind === ')' ? 'a closing parenthesis without its opening one' : `unexpected '${toks[pos].text.slice(0, 80)}'`);
  return { sql, args };
}
