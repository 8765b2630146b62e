// Where the real public samples live (CloudTrail, flow logs, config, SigmaHQ rules; see its README):
// beside the repository, at ../shared/data/real. Every test and benchmark finds them through here.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REAL = fileURLToPath(new URL('../../shared/data/real/', import.meta.url));

/** A file or folder of the real samples, e.g. realSample('stratus-red-team', 'x.json'). */
export function realSample(...parts: string[]): string {
  return join(REAL, ...parts);
}
