// A folder for a generated account and the temporary cases a test ingests it into, all removed when
// the test file ends.
import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempCase, type TempCase } from './temp-case.ts';

export function generatedWithCases(name: string, ...cases: string[]): { gen: string; cases: TempCase[] } {
  const gen = mkdtempSync(join(tmpdir(), `trailscope-${name}-`));
  const made = cases.map((c) => tempCase(c));
  after(() => {
    for (const c of made) c.cleanup();
    rmSync(gen, { recursive: true, force: true });
  });
  return { gen, cases: made };
}
