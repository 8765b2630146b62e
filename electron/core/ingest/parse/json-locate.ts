// Where JSON text goes wrong, for inputs JSON.parse refused without saying where (V8 reports no
// position for "Unexpected token"). Only runs on failure, so clarity beats speed; iterative, so deeply
// nested hostile input cannot overflow the stack.
import { describeChar } from './json-message.ts';

export type JsonFault = { at: number; what: string };

export function locateJsonError(text: string): JsonFault | null {
  let i = 0;
  const n = text.length;
  const stack: ('{' | '[')[] = [];
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const fault = (what: string): JsonFault => ({ at: i, what: i >= n ? 'unexpected end of input' : `${what} ${describeChar(text[i])}` });
  const string = (): boolean => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return false;
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return false;
      } else i++;
    }
    return false;
  };
  const scalar = (): boolean => {
    const m = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) return false;
    i += m[0].length;
    return true;
  };
  // value: parse one value; afterValue: expect , or closer
  let expectValue = true;
  for (;;) {
    ws();
    if (expectValue) {
      const c = text[i];
      if (c === '{') {
        stack.push('{');
        i++;
        ws();
        if (text[i] === '}') {
          i++;
          stack.pop();
          expectValue = false;
          if (stack.length === 0) break;
          continue;
        }
        if (text[i] !== '"') return fault('expected a property name but found');
        if (!string()) return fault('invalid character in a string:');
        ws();
        if (text[i] !== ':') return fault("expected ':' but found");
        i++;
        continue;
      }
      if (c === '[') {
        stack.push('[');
        i++;
        ws();
        if (text[i] === ']') {
          i++;
          stack.pop();
          expectValue = false;
          if (stack.length === 0) break;
        }
        continue;
      }
      if (c === '"') {
        if (!string()) return fault('invalid character in a string:');
      } else if (!scalar()) return fault('unexpected character:');
      expectValue = false;
      if (stack.length === 0) break;
      continue;
    }
    const top = stack[stack.length - 1];
    const c = text[i];
    if (c === ',') {
      i++;
      expectValue = true;
      if (top === '{') {
        ws();
        if (text[i] !== '"') return fault('expected a property name but found');
        if (!string()) return fault('invalid character in a string:');
        ws();
        if (text[i] !== ':') return fault("expected ':' but found");
        i++;
      }
      continue;
    }
    if ((top === '{' && c === '}') || (top === '[' && c === ']')) {
      i++;
      stack.pop();
      if (stack.length === 0) break;
      continue;
    }
    return fault(top === '{' ? "expected ',' or '}' but found" : "expected ',' or ']' but found");
  }
  ws();
  if (i < n) return { at: i, what: `found ${describeChar(text[i])} after the end of the JSON value` };
  return null;
}
