// Files and folders dropped on the window arrive as paths the preload read with
// webUtils.getPathForFile. Main trusts nothing from the renderer: the list is parsed with zod
// (absolute paths, bounded) and each must exist and be a file or a folder before an import starts.
// No electron import here, so it is tested in plain Node.
import { statSync } from 'node:fs';
import { isAbsolute, normalize } from 'node:path';
import { z } from 'zod';
import { fail, ok, type Result } from '../../shared/api/result.ts';

export const droppedPathsSchema = z
  .array(
    z
      .string()
      .min(1)
      .max(4096)
      .refine((p) => !p.includes('\0'), 'a path without NUL')
      .refine((p) => isAbsolute(p), 'an absolute path'),
  )
  .min(1, 'nothing was dropped')
  .max(200);

export function validateDroppedPaths(input: unknown): Result<string[]> {
  const parsed = droppedPathsSchema.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return fail('invalid-input', `dropped paths: ${first ? `${first.path.join('.') || 'input'}: ${first.message}` : 'invalid'}`);
  }
  const paths = [...new Set(parsed.data.map((p) => normalize(p)))];
  for (const p of paths) {
    try {
      const st = statSync(p);
      if (!st.isFile() && !st.isDirectory()) return fail('invalid-input', `not a file or folder: ${p}`);
    } catch {
      return fail('not-found', `no such file or folder: ${p}`);
    }
  }
  return ok(paths);
}
