// Struct, map and array values as Athena and CloudTrail Lake print them in CSV and JSON results:
// {type=IAMUser, principalid=AIDA…, sessioncontext={attributes={mfaauthenticated=false}}, invokedby=null}
// and [{arn=arn:aws:…, accountid=…, type=AWS::S3::Object}]. The text is ambiguous (values are not
// quoted), so a value ends at ", name=" or at the bracket that closes its container; a value that
// contains such a sequence itself is cut there. Results cast to JSON are parsed as JSON instead.

import { setOwn } from './own-field.ts';

const MAX_DEPTH = 32;

/** The value of a struct/map/array text, JSON text, or undefined when the text is neither. */
export function parseStructText(text: string): unknown {
  const s = text.trim();
  if (!(s.startsWith('{') && s.endsWith('}')) && !(s.startsWith('[') && s.endsWith(']'))) return undefined;
  if (s.startsWith('{"') || s.startsWith('[{"') || s.startsWith('["') || s === '{}' || s === '[]') {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      // not JSON after all: fall through to the struct grammar
    }
  }
  const p = new Parser(s);
  try {
    const v = p.value(0, '');
    return p.i === s.length ? v : undefined;
  } catch {
    return undefined;
  }
}

class Parser {
  i = 0;
  constructor(private readonly s: string) {}

  /** A value ending before `closer` (the bracket of the enclosing container, '' at top level). */
  value(depth: number, closer: string): unknown {
    if (depth > MAX_DEPTH) throw new Error('nested too deep');
    const c = this.s[this.i];
    // A map value that is JSON (CloudTrail Lake prints nested request parameters so): {"items":[…]}.
    if ((c === '{' || c === '[') && (this.s[this.i + 1] === '"' || (c === '[' && this.s[this.i + 1] === '{'))) {
      const end = jsonEnd(this.s, this.i);
      if (end > 0) {
        try {
          const v = JSON.parse(this.s.slice(this.i, end)) as unknown;
          this.i = end;
          return v;
        } catch {
          // not JSON: read it as struct text
        }
      }
    }
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    return this.scalar(closer);
  }

  private object(depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++; // '{'
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      const eq = this.s.indexOf('=', this.i);
      if (eq < 0) throw new Error('expected name=value');
      const key = this.s.slice(this.i, eq).trim();
      if (key === '' || /[{}[\],]/.test(key)) throw new Error('bad name');
      this.i = eq + 1;
      setOwn(out, key, this.value(depth + 1, '}'));
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      if (this.s.startsWith(', ', this.i)) this.i += 2;
      else if (this.s[this.i] === ',') this.i++;
      else throw new Error("expected ',' or '}'");
    }
  }

  private array(depth: number): unknown[] {
    const out: unknown[] = [];
    this.i++; // '['
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1, ']'));
      if (this.s[this.i] === ']') {
        this.i++;
        return out;
      }
      if (this.s.startsWith(', ', this.i)) this.i += 2;
      else if (this.s[this.i] === ',') this.i++;
      else throw new Error("expected ',' or ']'");
    }
  }

  /** Up to the next ", name=" (in a struct), ", " (in an array) or the closing bracket before a separator. */
  private scalar(closer: string): string | null {
    const s = this.s;
    const start = this.i;
    let j = start;
    for (; j < s.length; j++) {
      const c = s[j];
      if (c === ',' && closer !== '' && (closer === ']' || /^,\s*[^\s=,{}[\]]+=/.test(s.slice(j, j + 200)))) break;
      if (c === closer && (j + 1 === s.length || s[j + 1] === ',' || s[j + 1] === '}' || s[j + 1] === ']')) break;
    }
    this.i = j;
    const text = s.slice(start, j);
    return text === 'null' ? null : text;
  }
}

/** The index just past the JSON object or array starting at `start` (brackets matched outside strings), or -1. */
function jsonEnd(s: string, start: number): number {
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      for (i++; i < s.length && s[i] !== '"'; i++) if (s[i] === '\\') i++;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}
