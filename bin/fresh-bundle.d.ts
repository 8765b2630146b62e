// Types of fresh-bundle.js (plain JavaScript: the launchers load it before any TypeScript tooling).
export const ROOT: string;
export function freshBundle(folder: string, entry: string): string | null;
