// The evidence manifest: one line per source as sha256sum writes it (the SHA-256 as ingested, two
// spaces, the path), sorted by path, and the SHA-256 of those lines. `trailscope verify --manifest`
// prints exactly these lines and the report states their hash, so a report pins every input of the
// case in one value anyone can recompute (`trailscope verify --case F --manifest | sha256sum`), and
// the lines check the original files with `sha256sum -c` where their paths still lead to them.
import { createHash } from 'node:crypto';
import type { SourceEntry } from '../../../shared/api/evidence.ts';
import { safe } from '../export/terminal-safe.ts';
import { byCodeUnit } from '../text-order.ts';

export type EvidenceManifest = { lines: string[]; sha256: string };

/**
 * sha256sum's line: a name holding a backslash, newline or carriage return is written escaped, the
 * line marked with a leading backslash (GNU coreutils' convention); any other control character as
 * the terminal-safe escape every printed value gets, so the printed line is the hashed one.
 */
export function manifestLine(sha256: string, path: string): string {
  let escaped = false;
  const name = path.replace(/[\\\n\r]/g, (c) => {
    escaped = true;
    return c === '\\' ? '\\\\' : c === '\n' ? '\\n' : '\\r';
  });
  // The hash is the case's text too (a crafted case's may hold anything): escaped alike.
  return `${escaped ? '\\' : ''}${safe(sha256)}  ${safe(name)}`;
}

export function evidenceManifest(sources: readonly Pick<SourceEntry, 'path' | 'sha256'>[]): EvidenceManifest {
  const lines = [...sources].sort((a, b) => byCodeUnit(a.path, b.path) || byCodeUnit(a.sha256, b.sha256)).map((s) => manifestLine(s.sha256, s.path));
  const hash = createHash('sha256');
  for (const line of lines) hash.update(`${line}\n`);
  return { lines, sha256: hash.digest('hex') };
}
