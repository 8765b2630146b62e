// The recent-cases list, kept in the user's data directory: newest first, ten at most, each case
// once. No electron import here, so it is tested in plain Node.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const FILE = 'recent-cases.json';
const MAX = 10;

export function recentCases(dir: string): string[] {
  try {
    const list = JSON.parse(readFileSync(join(dir, FILE), 'utf8')) as unknown;
    return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string').slice(0, MAX) : [];
  } catch {
    return [];
  }
}

export function rememberCase(dir: string, path: string): string[] {
  const full = resolve(path);
  const list = [full, ...recentCases(dir).filter((p) => p !== full)].slice(0, MAX);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, FILE), JSON.stringify(list));
  return list;
}

export function clearRecentCases(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, FILE), '[]');
}

/** Menu entries: cases that no longer exist are listed but cannot be opened. */
export function recentMenuEntries(dir: string): { path: string; exists: boolean }[] {
  return recentCases(dir).map((path) => ({ path, exists: existsSync(path) }));
}
