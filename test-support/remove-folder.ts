// A test's temporary folder, removed when the test ends. node:test runs a test's `after` hooks in the
// order they were registered and stops at the first that throws: a folder registered before the
// workbench it holds is removed while the workbench's workers may still write there (ENOTEMPTY), and
// the hooks after it (closing the server) then never run, which kept the test process alive until CI's
// limit. Retried the way `rm -rf` on a busy folder would be.
import { rmSync } from 'node:fs';

export function removeFolder(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 10 });
}
