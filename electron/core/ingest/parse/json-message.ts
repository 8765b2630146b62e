// Reasons about bad JSON that say where and what kind of fault, never what the input holds. A reason is
// stored in the case and shown to whoever opens it; the input may be a credentials file reached by
// mistake, so not even a letter or digit of it is repeated (punctuation is: it is the JSON structure).

/** One character of input described without repeating it, unless it is ASCII punctuation. */
export function describeChar(c: string | undefined): string {
  if (c === undefined || c === '') return 'the end of input';
  const code = c.charCodeAt(0);
  if (code >= 0x30 && code <= 0x39) return 'a digit';
  if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) return 'a letter';
  if (code > 0x20 && code < 0x7f) return `'${c[0]}'`;
  if (code === 0x20) return 'a space';
  if (code < 0x20 || code === 0x7f) return 'a control character';
  return 'a non-ASCII character';
}

/** describeChar for one byte of UTF-8 input. */
export function describeByte(c: number | undefined): string {
  if (c === undefined) return 'the end of input';
  return c >= 0x80 ? 'a non-ASCII byte' : describeChar(String.fromCharCode(c));
}

/**
 * V8's JSON.parse message without the parts that repeat the input: its echo of the text
 * (`Unexpected token 'x', "…" is not valid JSON`), the offending character and the position (callers
 * give positions in bytes of the whole input instead).
 */
export function cleanMessage(err: unknown): string {
  let message = err instanceof Error ? err.message : String(err);
  if (/ is not valid JSON$/.test(message)) {
    // The echo starts at its quote or at the "..." that stands for the text before it.
    const quote = message.indexOf('"');
    const dots = message.indexOf('...');
    const echo = dots >= 0 && (quote < 0 || dots < quote) ? dots : quote;
    message = echo > 0 ? message.slice(0, echo).replace(/,\s*$/, '') : 'not valid JSON';
  }
  return message
    .replace(/ in JSON at position \d+( \(line \d+ column \d+\))?$/, '')
    .replace(/^Unexpected token '([^]*)'$/, (_, c: string) => `Unexpected character: ${describeChar(c)}`)
    .slice(0, 200);
}
