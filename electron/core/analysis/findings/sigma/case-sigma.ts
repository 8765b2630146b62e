// Sigma rule folders loaded into the case (table `sigma_rules`, migration 0085). Loading a folder
// reads its files once, with the loader's bounds, and stores each rule's text (or why it could not
// load): findings() then runs the stored rules on every open, in the app and in `trailscope findings`,
// and the folder is never read again (a case names no file to follow). The stored texts are case data
// and so untrusted: they are compiled with the same bounds as files.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SigmaFolder } from '../../../../../shared/api/finding-decisions.ts';
import type { CaseDb } from '../../../db/open-case.ts';
import { iso, stmt } from '../../prepared.ts';
import type { ExtraRules } from '../findings.ts';
import { compileSigmaTexts, readSigmaFolder, SIGMA_LIMITS, type SigmaText } from './load-sigma.ts';

export class SigmaFolderError extends Error {
  override name = 'SigmaFolderError';
}

const MAX_TEXT = 4096;
const clip = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s);

function hasTable(db: CaseDb): boolean {
  return stmt(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sigma_rules'").pluck().get() === 1;
}

type Row = { folder: string; file: string; yaml: string | null; rejected: string | null; at: number };

function rows(db: CaseDb): Row[] {
  if (!hasTable(db)) return [];
  // One more than the bound, so a case holding too many says so rather than dropping some silently.
  return stmt(db, `SELECT folder, file, yaml, rejected, loaded_at AS at FROM sigma_rules ORDER BY folder, file LIMIT ${SIGMA_LIMITS.maxFiles * 2 + 1}`).all() as Row[];
}

/** Reads a folder's rules into the case, replacing what an earlier load of the same folder stored. */
export function loadSigmaIntoCase(db: CaseDb, dir: string, at = Date.now()): SigmaFolder {
  const folder = resolve(dir);
  let isDir = false;
  try {
    isDir = statSync(folder).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new SigmaFolderError(`'${dir}' is not a folder`);
  const read = readSigmaFolder(folder);
  const others = (stmt(db, 'SELECT count(*) FROM sigma_rules WHERE folder <> ? AND yaml IS NOT NULL').pluck().get(folder) as number);
  if (others + read.texts.length > SIGMA_LIMITS.maxFiles) {
    throw new SigmaFolderError(`the case would hold ${others + read.texts.length} Sigma rule files, more than ${SIGMA_LIMITS.maxFiles}: remove a folder first`);
  }
  const compiled = compileSigmaTexts(read.texts);
  const why = new Map(compiled.rejected.map((r) => [r.file, r.reason]));
  db.transaction(() => {
    stmt(db, 'DELETE FROM sigma_rules WHERE folder = ?').run(folder);
    const insert = stmt(db, 'INSERT INTO sigma_rules (folder, file, yaml, rejected, loaded_at) VALUES (?, ?, ?, ?, ?)');
    for (const t of read.texts) {
      const reason = why.get(t.path);
      insert.run(folder, t.file, reason ? null : t.yaml, reason ?? null, at);
    }
    for (const r of read.rejected) insert.run(folder, r.file.startsWith(folder) ? r.file.slice(folder.length + 1) || '.' : r.file, null, r.reason, at);
  })();
  return sigmaFolders(db).find((f) => f.folder === folder) ?? { folder, loadedAt: iso(at)!, rules: [], rejected: [] };
}

export function removeSigmaFolder(db: CaseDb, folder: string): boolean {
  if (!hasTable(db)) return false;
  return stmt(db, 'DELETE FROM sigma_rules WHERE folder = ?').run(folder).changes > 0;
}

/** The folders loaded into the case, each with its rules (as compiled now) and the files that did not load. */
export function sigmaFolders(db: CaseDb): SigmaFolder[] {
  const out = new Map<string, SigmaFolder>();
  const all = rows(db);
  const compiled = compile(all);
  for (const r of all) {
    let f = out.get(r.folder);
    if (!f) out.set(r.folder, (f = { folder: clip(r.folder), loadedAt: iso(r.at)!, rules: [], rejected: [] }));
    const reason = r.rejected ?? compiled.why.get(key(r));
    if (reason !== undefined) f.rejected.push({ file: clip(r.file), reason: clip(reason) });
    else {
      const rule = compiled.byKey.get(key(r));
      if (rule) f.rules.push({ file: clip(r.file), id: rule.id, title: rule.title, level: rule.level });
    }
  }
  return [...out.values()];
}

const key = (r: { folder: string; file: string }) => `${r.folder}\u0000${r.file}`;

function compile(all: Row[]) {
  const texts: SigmaText[] = all.filter((r) => r.yaml !== null).map((r) => ({ file: r.file, path: key(r), yaml: r.yaml! }));
  const c = compileSigmaTexts(texts);
  // compileSigmaTexts keeps the order of its texts for the rules it loads.
  const why = new Map(c.rejected.map((x) => [x.file, x.reason]));
  const byKey = new Map<string, (typeof c.rules)[number]['meta']>();
  let i = 0;
  for (const t of texts) if (!why.has(t.path)) byKey.set(t.path, c.rules[i++].meta);
  return { rules: c.rules, why, byKey };
}

/** The case's stored rules, ready for the engine; null when the case holds none. */
export function caseSigmaRules(db: CaseDb): ExtraRules | null {
  const all = rows(db);
  if (!all.length) return null;
  const c = compile(all);
  const rejected = all.flatMap((r) => {
    const reason = r.rejected ?? c.why.get(key(r));
    return reason === undefined ? [] : [{ file: clip(`${r.folder}/${r.file}`), reason: clip(reason) }];
  });
  return { rules: c.rules, rejected };
}
