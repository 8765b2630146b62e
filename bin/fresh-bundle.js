// Which built bundle a launcher may run: dist/<folder>/<entry> when its build-info.json (written last
// by tools/build/bundles.ts) is there and no project file it lists has changed since the build. A
// developer editing sources, or a checkout without a build, gets null: run the sources instead.
// Plain JavaScript, no dependencies: it runs before anything else, on every start.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The bundle's entry file, or null when it is missing or older than a source it was built from. */
export function freshBundle(folder, entry) {
  const dir = join(ROOT, 'dist', folder);
  let info;
  try {
    info = JSON.parse(readFileSync(join(dir, 'build-info.json'), 'utf8'));
    statSync(join(dir, entry));
  } catch {
    return null;
  }
  if (!Array.isArray(info.inputs) || typeof info.builtAt !== 'number') return null;
  for (const file of info.inputs) {
    let modified;
    try {
      modified = statSync(join(ROOT, file)).mtimeMs;
    } catch {
      return null; // a source that is gone: the bundle no longer matches the tree
    }
    if (modified > info.builtAt) return null;
  }
  return join(dir, entry);
}
