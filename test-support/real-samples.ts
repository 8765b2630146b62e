// Loads the public samples under ../shared/data/real (see its README) for tests and benchmarks.
// Panther keeps its test events inside YAML; most are JSON-style flow mappings, which are read here
// without a YAML parser (trailing commas removed). Block-style YAML events are skipped.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REAL } from './real-data.ts';

export { REAL };

export function readJson(relative: string): unknown {
  return JSON.parse(readFileSync(join(REAL, relative), 'utf8'));
}

function walk(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p, ext));
    else if (name.endsWith(ext)) out.push(p);
  }
  return out.sort();
}

export function stratusRecords(technique: string): Record<string, unknown>[] {
  return readJson(`stratus-red-team/${technique}.json`) as Record<string, unknown>[];
}

export function allStratusRecords(): { file: string; record: unknown }[] {
  return walk(join(REAL, 'stratus-red-team'), '.json').flatMap((file) =>
    (JSON.parse(readFileSync(file, 'utf8')) as unknown[]).map((record) => ({ file, record })),
  );
}

/** `{...}` after "Log:", balanced outside strings. */
function flowBlocks(text: string): string[] {
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const m = text.indexOf('Log:', at);
    if (m < 0) return out;
    let i = m + 4;
    while (i < text.length && /\s/.test(text[i])) i++;
    at = i;
    if (text[i] !== '{') continue;
    let depth = 0;
    let inString = false;
    const start = i;
    for (; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) break;
      }
    }
    out.push(text.slice(start, i + 1));
    at = i + 1;
  }
}

function stripTrailingCommas(s: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      out += c;
      if (c === '\\') out += s[++i];
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    if (c === ',') {
      let j = i + 1;
      while (j < s.length && /\s/.test(s[j])) j++;
      if (s[j] === '}' || s[j] === ']') continue;
    }
    out += c;
  }
  return out;
}

/** Every CloudTrail test event of the Panther rules that is written as a JSON-style mapping. */
export function pantherEvents(): { file: string; record: unknown }[] {
  const out: { file: string; record: unknown }[] = [];
  for (const file of walk(join(REAL, 'panther-analysis/rules/aws_cloudtrail_rules'), '.yml')) {
    for (const block of flowBlocks(readFileSync(file, 'utf8'))) {
      try {
        out.push({ file, record: JSON.parse(stripTrailingCommas(block)) });
      } catch {
        // YAML-only syntax (unquoted keys, comments): not a JSON-style event
      }
    }
  }
  return out;
}

/** Streamalert test cases: the CloudTrail record inside an EventBridge envelope (`detail`) or bare. */
export function streamalertEvents(): { file: string; record: unknown }[] {
  const out: { file: string; record: unknown }[] = [];
  for (const file of walk(join(REAL, 'streamalert/rules'), '.json')) {
    for (const t of JSON.parse(readFileSync(file, 'utf8')) as { data?: Record<string, unknown> }[]) {
      const d = t.data;
      if (d === undefined || d === null) continue;
      if (typeof d.detail === 'object' && d.detail !== null && 'eventName' in d.detail) out.push({ file, record: d.detail });
      else if ('eventName' in d) out.push({ file, record: d });
      else if (Array.isArray(d.Records)) for (const r of d.Records) out.push({ file, record: r });
    }
  }
  return out;
}

/** The records of the awsdocs samples that parse as JSON (the .txt ones are invalid on purpose). */
export function awsdocsRecords(): { file: string; record: unknown }[] {
  const out: { file: string; record: unknown }[] = [];
  for (const file of walk(join(REAL, 'awsdocs-cloudtrail-user-guide/extracted'), '.json')) {
    const d = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    const recs = Array.isArray(d) ? d : typeof d === 'object' && d !== null && Array.isArray((d as { Records?: unknown[] }).Records) ? (d as { Records: unknown[] }).Records : [d];
    for (const record of recs) out.push({ file, record });
  }
  return out;
}
