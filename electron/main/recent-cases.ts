// The recent-cases list, kept in the user's data directory.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const FILE = 'recent-cases.json';

export function recentCases(dir: string): string[] {
  try {
    const list = JSON.parse(readFileSync(join(dir, FILE), 'utf8')) as unknown;
    return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string').slice(0, 10) : [];
  } catch {
    return [];
  }
}

export function rememberCase(dir: string, path: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, FILE), JSON.stringify([path, ...recentCases(dir).filter((p) => p !== path)].slice(0, 10)));
}
