// A whole input could not be read (or stopped being readable part way). The writer records the source
// as rejected with `message` as its reason and moves on to the next input; records yielded before a
// mid-stream SourceError stay in the case.
export class SourceError extends Error {
  override readonly name = 'SourceError';
  /** The input's display path (`archive.zip!/inner/file` for zip members), when known. */
  readonly path: string | undefined;

  constructor(reason: string, path?: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.path = path;
  }
}

/** Node's fs error codes turned into a short reason a person understands. */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

/** A library's message about a hostile input (it may quote the input): one short line, no control characters. */
export function shortReason(err: unknown): string {
  const text = (err instanceof Error ? err.message : String(err)).replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, ' ').trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
