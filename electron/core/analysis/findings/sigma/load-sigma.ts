// Sigma rules for CloudTrail from a folder, offline. A rule file is untrusted input: its size, the
// number of files, YAML aliases, the detection's shape and its regular expressions are all bounded
// (see rules/safe-regex.ts), symlinks are not followed, and a rule that cannot be run is reported with
// the file name and the precise construct rather than dropped silently. Loaded rules become EventRules
// for the same engine as the built-in ones.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { FindingCategory, FindingSeverity } from '../../../../../shared/engine-types.ts';
import { compileDetection, RuleError } from '../rules/detection.ts';
import type { EventRule } from '../rules/rule-types.ts';

export type SigmaLimits = { maxFiles: number; maxFileBytes: number; maxDepth: number };
export const SIGMA_LIMITS: SigmaLimits = { maxFiles: 2000, maxFileBytes: 256 * 1024, maxDepth: 6 };
const MAX_ALIASES = 16;
const MAX_TEXT = 2000;

export type SigmaLoad = {
  rules: EventRule[];
  rejected: { file: string; reason: string }[];
};

const LEVELS: Record<string, FindingSeverity> = { informational: 'low', low: 'low', medium: 'medium', high: 'high', critical: 'critical' };
const TACTICS: Record<string, FindingCategory> = {
  'initial-access': 'initial-access', 'initial_access': 'initial-access', execution: 'execution', persistence: 'persistence',
  'privilege-escalation': 'privilege-escalation', 'privilege_escalation': 'privilege-escalation', 'defense-evasion': 'defense-evasion',
  'defense_evasion': 'defense-evasion', stealth: 'defense-evasion', 'credential-access': 'credential-access', 'credential_access': 'credential-access',
  discovery: 'discovery', 'lateral-movement': 'lateral-movement', 'lateral_movement': 'lateral-movement', collection: 'exfiltration',
  exfiltration: 'exfiltration', impact: 'impact',
};

/** A rule file's text as read from a folder: `file` is its path inside the folder, `path` the full one. */
export type SigmaText = { file: string; path: string; yaml: string };

/** Every .yml/.yaml file under `dir` (sorted, symlinks skipped), each loaded or rejected with its reason. */
export function loadSigmaFolder(dir: string, limits: SigmaLimits = SIGMA_LIMITS): SigmaLoad {
  const read = readSigmaFolder(dir, limits);
  const compiled = compileSigmaTexts(read.texts, limits);
  return { rules: compiled.rules, rejected: [...read.rejected, ...compiled.rejected] };
}

/** The rule files' texts under `dir`, bounded in number, size and depth; what could not be read, with why. */
export function readSigmaFolder(dir: string, limits: SigmaLimits = SIGMA_LIMITS): { texts: SigmaText[]; rejected: SigmaLoad['rejected'] } {
  const rejected: SigmaLoad['rejected'] = [];
  const files: string[] = [];
  const walk = (d: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    } catch (e) {
      rejected.push({ file: d, reason: `cannot read the folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isSymbolicLink()) continue;
      if (e.isDirectory()) {
        if (depth < limits.maxDepth) walk(p, depth + 1);
        else rejected.push({ file: p, reason: `folder deeper than ${limits.maxDepth} levels: not read` });
      } else if (e.isFile() && /\.ya?ml$/i.test(e.name)) files.push(p);
    }
  };
  walk(dir, 0);
  if (files.length > limits.maxFiles) {
    rejected.push({ file: dir, reason: `${files.length} rule files: only the first ${limits.maxFiles} were read` });
    files.length = limits.maxFiles;
  }
  const texts: SigmaText[] = [];
  for (const path of files) {
    try {
      const size = lstatSync(path).size;
      if (size > limits.maxFileBytes) {
        rejected.push({ file: path, reason: `file of ${size} bytes is larger than ${limits.maxFileBytes}` });
        continue;
      }
      texts.push({ file: relative(dir, path), path, yaml: readFileSync(path, 'utf8') });
    } catch (e) {
      if (!(e as NodeJS.ErrnoException).code) throw e;
      rejected.push({ file: path, reason: `cannot read: ${(e as NodeJS.ErrnoException).code}` });
    }
  }
  return { texts, rejected };
}

/**
 * Rules from their texts (read from a folder, or stored in a case, which is untrusted too: the same
 * bounds apply). Each is compiled or rejected with the precise construct; ids must be unique.
 */
export function compileSigmaTexts(texts: SigmaText[], limits: SigmaLimits = SIGMA_LIMITS): SigmaLoad {
  const out: SigmaLoad = { rules: [], rejected: [] };
  const ids = new Map<string, string>();
  for (const [i, t] of texts.entries()) {
    const name = basename(t.file);
    try {
      if (i >= limits.maxFiles) throw new RuleError(`more than ${limits.maxFiles} rule files: not loaded`);
      if (t.yaml.length > limits.maxFileBytes) throw new RuleError(`file of ${t.yaml.length} characters is larger than ${limits.maxFileBytes}`);
      const rule = sigmaRule(t.yaml, name);
      const taken = ids.get(rule.meta.id);
      if (taken) throw new RuleError(`id ${rule.meta.id} is already used by ${taken}`);
      ids.set(rule.meta.id, name);
      out.rules.push(rule);
    } catch (e) {
      if (!(e instanceof RuleError)) throw e;
      out.rejected.push({ file: t.path, reason: e.message });
    }
  }
  return out;
}

function text(v: unknown, what: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new RuleError(`${what} is not a string`);
  return v.length > MAX_TEXT ? `${v.slice(0, MAX_TEXT - 1)}…` : v;
}

/** One Sigma rule from its YAML text (`file` names it in messages and in findings). */
export function sigmaRule(yaml: string, file: string): EventRule {
  const docs = parseAllDocuments(yaml, { uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const real = list.filter((d) => d.contents !== null);
  if (real.length !== 1) throw new RuleError(real.length ? `${real.length} YAML documents: multi-document rules (action: global or repeat) are not supported` : 'empty file');
  const doc = real[0];
  if (doc.errors.length) throw new RuleError(`YAML error: ${doc.errors[0].message.split('\n')[0]}`);
  let r: unknown;
  try {
    r = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    throw new RuleError(`YAML error: ${(e as Error).message.split('\n')[0]}`);
  }
  if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new RuleError('not a Sigma rule (the document is not a map)');
  const rule = r as Record<string, unknown>;
  if (rule.correlation !== undefined) throw new RuleError('correlation rules are not supported (they need aggregation over time windows)');
  if (rule.action !== undefined) throw new RuleError(`'action: ${String(rule.action)}' (rule collections) is not supported`);
  const title = text(rule.title, 'title');
  if (!title) throw new RuleError('the rule has no title');
  const logsource = (rule.logsource ?? {}) as Record<string, unknown>;
  const product = String(logsource.product ?? '').toLowerCase();
  const service = String(logsource.service ?? '').toLowerCase();
  if (product !== 'aws' || service !== 'cloudtrail') {
    throw new RuleError(`logsource is product '${String(logsource.product ?? '')}' service '${String(logsource.service ?? '')}', not aws / cloudtrail`);
  }
  const levelText = String(rule.level ?? 'medium').toLowerCase();
  const level = LEVELS[levelText];
  if (!level) throw new RuleError(`level '${levelText}' is not informational, low, medium, high or critical`);
  const tags = Array.isArray(rule.tags) ? rule.tags.filter((t): t is string => typeof t === 'string').map((t) => t.toLowerCase()) : [];
  const techniques = tags.filter((t) => /^attack\.t\d{4}(\.\d{3})?$/.test(t)).map((t) => t.slice(7).toUpperCase());
  const tactic = tags.map((t) => TACTICS[t.slice(7)]).find((c) => c !== undefined) ?? 'discovery';
  const detection = compileDetection(rule.detection);
  const id = text(rule.id, 'id') ?? file;
  const falsePositives = Array.isArray(rule.falsepositives) ? rule.falsepositives.filter((x): x is string => typeof x === 'string').map((x) => text(x, 'false positive')!) : [];
  return {
    meta: {
      id, source: 'sigma', title, level, techniques, explanation: text(rule.description, 'description') ?? title,
      proof: fieldsOf(rule.detection), falsePositives, author: text(rule.author, 'author'), file,
    },
    kind: 'sigma', category: tactic, detection, group: 'actor', skipAutomation: false,
  };
}

/** The record fields a detection names (modifiers stripped), as the proof to show. */
function fieldsOf(detection: unknown): string[] {
  const out = new Set<string>();
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') for (const k of Object.keys(v)) out.add(k.split('|')[0]);
  };
  for (const [k, v] of Object.entries(detection as Record<string, unknown>)) if (k !== 'condition' && k !== 'timeframe') visit(v);
  out.delete('');
  return [...out].slice(0, 20);
}
