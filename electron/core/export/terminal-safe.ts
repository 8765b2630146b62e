// Record values are attacker-controlled: a user agent or a file name can carry ANSI escapes that
// rewrite a terminal, or bidi overrides that reorder what it shows. Text output shows control
// characters as visible escapes instead (\u001b), the form JSON uses, so JSON output stays valid JSON.
// That includes --json: JSON.stringify escapes only C0, so C1 controls (U+009B is a one-byte CSI),
// bidi overrides and isolates and U+2028/2029 are escaped here (json-output-escapes.test.ts).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// The same less newline and tab: what whole lines of output may contain.
const CONTROL_IN_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One value in a line of text: every control character escaped, newlines and tabs included. */
export function safe(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '-';
  return String(value).replace(CONTROL, escape);
}

/** Text bound for a terminal: every control character but newline and tab escaped. */
export function terminalText(text: string): string {
  return text.replace(CONTROL_IN_LINES, escape);
}

/**
 * A stream whose writes go through terminalText: what the CLI hands its commands as stdout and
 * stderr, so a path, a reason or an error message printed anywhere cannot reach the terminal raw.
 * Everything else (isTTY, columns, events, end) is the stream's own.
 */
export function terminalSafeStream<S extends NodeJS.WritableStream>(stream: S): S {
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
    return (stream.write as (c: string, ...r: unknown[]) => boolean)(terminalText(text), ...rest);
  };
  return new Proxy(stream, {
    get(target, prop) {
      if (prop === 'write') return write;
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
