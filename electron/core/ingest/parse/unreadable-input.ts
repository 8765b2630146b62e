// An input that cannot be read, yielded by the walk in its place so that nothing is skipped silently:
// its open() rejects with the reason, which the writer records like any other rejected source.
import { formatBytes } from './format-bytes.ts';
import { SourceError } from './source-error.ts';
import type { InputFile } from './types.ts';

export function unreadable(path: string, reason: string): InputFile {
  return { path, size: 0, open: () => Promise.reject(new SourceError(reason, path)) };
}

export function tooLarge(what: 'file' | 'zip member' | 'tar member', maxBytes: number): string {
  return `${what} larger than ${formatBytes(maxBytes)} (the per-file limit; raise it with --max-bytes)`;
}
