// A detection (Sigma's `detection:` block, and the `match` of a built-in rule) compiled into a test
// on a raw record plus a prefilter over the event columns the case stores (event name, source,
// identity type, agent, error…). The prefilter decides from columns alone whether a record cannot
// match, so the engine reads raw records only for candidates, and uses the event-name index when
// every branch of the condition names its events.
import { RuleError, parseCondition, type Cond } from './condition.ts';
import { compileFieldMatcher, type FieldMatcher } from './field-matcher.ts';
import { compileGlob, globMatch } from './glob.ts';

export const MAX_SELECTIONS = 256;
const MAX_FIELDS = 256;

/** Columns of event_rows whose value is the record field of the same name, unchanged. */
export const COLUMN_OF_FIELD: Record<string, Column> = {
  eventname: 'event_name', eventsource: 'event_source', awsregion: 'aws_region', 'useridentity.type': 'identity_type',
  'useridentity.arn': 'identity_arn', sourceipaddress: 'source_ip', useragent: 'user_agent', errorcode: 'error_code',
  errormessage: 'error_message', eventtype: 'event_type',
};
export type Column = 'event_name' | 'event_source' | 'aws_region' | 'identity_type' | 'identity_arn' | 'source_ip' | 'user_agent' | 'error_code' | 'error_message' | 'event_type';
export const COLUMNS: Column[] = ['event_name', 'event_source', 'aws_region', 'identity_type', 'identity_arn', 'source_ip', 'user_agent', 'error_code', 'error_message', 'event_type'];

/** Three-valued prefilter: false = cannot match; undefined = may match. */
export type Pre = { t: 'any' } | { t: 'col'; col: Column; test: (s: string) => boolean } | { t: 'and' | 'or'; items: Pre[] };
export type ColumnValues = Partial<Record<Column, string | null>>;

export type CompiledDetection = {
  test(record: Record<string, unknown>, text: () => string): boolean;
  pre: Pre;
};

type Selection = { test(record: Record<string, unknown>, text: () => string): boolean; pre: Pre };

export function compileDetection(detection: unknown): CompiledDetection {
  if (detection === null || typeof detection !== 'object' || Array.isArray(detection)) throw new RuleError('detection is not a map');
  const entries = Object.entries(detection as Record<string, unknown>);
  const selections = new Map<string, Selection>();
  let condition: unknown;
  for (const [name, def] of entries) {
    if (name === 'condition') condition = def;
    else if (name === 'timeframe') continue; // meaningful only with an aggregation, which is refused in the condition
    else {
      if (selections.size >= MAX_SELECTIONS) throw new RuleError(`more than ${MAX_SELECTIONS} selections`);
      selections.set(name, compileSelection(name, def));
    }
  }
  if (condition === undefined) throw new RuleError('detection has no condition');
  const texts = Array.isArray(condition) ? condition : [condition];
  if (!texts.length || texts.some((c) => typeof c !== 'string')) throw new RuleError('condition is not a string or a list of strings');
  const names = [...selections.keys()];
  const trees = texts.map((c) => parseCondition(c as string, names));
  const tree: Cond = trees.length === 1 ? trees[0] : { t: 'or', items: trees };
  return {
    test: (record, text) => evaluate(tree, selections, record, text),
    pre: prefilterOf(tree, selections),
  };
}

function compileSelection(name: string, def: unknown): Selection {
  if (Array.isArray(def)) {
    if (!def.length) throw new RuleError(`selection '${name}' is an empty list`);
    if (def.every((d) => d !== null && typeof d === 'object' && !Array.isArray(d))) {
      const maps = def.map((d) => compileMap(name, d as Record<string, unknown>));
      return { test: (r, t) => maps.some((s) => s.test(r, t)), pre: { t: 'or', items: maps.map((s) => s.pre) } };
    }
    if (def.every((d) => typeof d === 'string' || typeof d === 'number')) return keywords(def as (string | number)[]);
    throw new RuleError(`selection '${name}' mixes maps and plain values`);
  }
  if (def !== null && typeof def === 'object') return compileMap(name, def as Record<string, unknown>);
  if (typeof def === 'string' || typeof def === 'number') return keywords([def]);
  throw new RuleError(`selection '${name}' is empty`);
}

function compileMap(name: string, def: Record<string, unknown>): Selection {
  const fields = Object.entries(def);
  if (!fields.length) throw new RuleError(`selection '${name}' is an empty map`);
  if (fields.length > MAX_FIELDS) throw new RuleError(`selection '${name}' has more than ${MAX_FIELDS} fields`);
  let matchers: FieldMatcher[];
  try {
    matchers = fields.map(([k, v]) => compileFieldMatcher(k, v));
  } catch (e) {
    if (e instanceof RuleError) throw new RuleError(`selection '${name}': ${e.message}`);
    throw e;
  }
  const pre: Pre[] = [];
  for (const m of matchers) {
    const col = COLUMN_OF_FIELD[m.path.toLowerCase()];
    if (col && m.onString) pre.push({ t: 'col', col, test: m.onString });
  }
  return {
    test: (r) => matchers.every((m) => m.test(r)),
    pre: pre.length === 0 ? { t: 'any' } : pre.length === 1 ? pre[0] : { t: 'and', items: pre },
  };
}

/** Plain values: matched anywhere in the record's text, as Sigma keywords are. */
function keywords(values: (string | number)[]): Selection {
  const globs = values.map((v) => compileGlob(`*${String(v)}*`));
  return { test: (_r, text) => globs.some((g) => globMatch(g, text())), pre: { t: 'any' } };
}

function evaluate(c: Cond, s: Map<string, Selection>, r: Record<string, unknown>, text: () => string): boolean {
  switch (c.t) {
    case 'sel':
      return s.get(c.name)!.test(r, text);
    case 'and':
      return c.items.every((x) => evaluate(x, s, r, text));
    case 'or':
      return c.items.some((x) => evaluate(x, s, r, text));
    case 'not':
      return !evaluate(c.item, s, r, text);
  }
}

function prefilterOf(c: Cond, s: Map<string, Selection>): Pre {
  switch (c.t) {
    case 'sel':
      return s.get(c.name)!.pre;
    case 'and':
    case 'or':
      return { t: c.t, items: c.items.map((x) => prefilterOf(x, s)) };
    case 'not':
      // Columns may differ from the raw field in rare shapes ({content: …} wrappers), so a negation never excludes.
      return { t: 'any' };
  }
}

/** false when the columns prove the record cannot match; true when it may. A NULL column proves nothing. */
export function mayMatch(p: Pre, row: ColumnValues): boolean {
  return decide(p, row) !== false;
}

function decide(p: Pre, row: ColumnValues): boolean | undefined {
  switch (p.t) {
    case 'any':
      return undefined;
    case 'col': {
      const v = row[p.col];
      if (v === undefined || v === null) return undefined;
      return p.test(v) ? true : false;
    }
    case 'and': {
      let unknown = false;
      for (const x of p.items) {
        const d = decide(x, row);
        if (d === false) return false;
        if (d === undefined) unknown = true;
      }
      return unknown ? undefined : true;
    }
    case 'or': {
      let unknown = false;
      for (const x of p.items) {
        const d = decide(x, row);
        if (d === true) return true;
        if (d === undefined) unknown = true;
      }
      return unknown ? undefined : false;
    }
  }
}

/** The columns a prefilter reads. */
export function columnsOf(p: Pre, out = new Set<Column>()): Set<Column> {
  if (p.t === 'col') out.add(p.col);
  else if (p.t === 'and' || p.t === 'or') for (const x of p.items) columnsOf(x, out);
  return out;
}

export { RuleError };
