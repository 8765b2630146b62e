// A case file SQLite cannot read: a broken header or a damaged page of its schema, or a file that is
// not a SQLite database at all. Said in words, with SQLite's own reason in brackets.
import { safe } from '../export/terminal-safe.ts';

export class DamagedCaseError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`The case file ${safe(path)} is damaged or is not a Trailscope case (${safe(reason)}). Trailscope cannot open it and did not change it.`);
    this.name = 'DamagedCaseError';
  }
}

/** SQLite's result codes for a file whose bytes are not a readable database. */
export function isDamageError(err: unknown): err is Error & { code: string } {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code);
}
