// Orders of texts, one of each kind for every module that sorts texts.

/** JavaScript's own order (UTF-16 code units), not the locale's: fast, and the same on every machine. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * SQLite's BINARY order of two texts (UTF-8 bytes, that is code points), which JavaScript's < (UTF-16
 * code units) breaks only past U+FFFF against U+E000–U+FFFF.
 */
export function binaryOrder(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (0xD800–0xDFFF) starts a code point above every one of U+E000–U+FFFF.
    const surrogate = (c: number) => c >= 0xd800 && c <= 0xdfff;
    if (surrogate(x) !== surrogate(y) && Math.max(x, y) >= 0xe000) return surrogate(x) ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
