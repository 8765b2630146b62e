// A stored finding's body (its JSON) read back for the list. The case is handed over too: a body is
// listed only when it has the fields every view of a finding reads, of their types, and the columns the
// list orders and filters by (held to their values by the table's constraints) are taken over the
// body's own. A body of `{}` had reached the command line's and the workbench's findings as a finding
// without a severity, and failed them whole.
import type { Finding } from '../../../../shared/engine-types.ts';
import { obj } from '../../json-values.ts';
import { FLOW_FINDING_INTERFACES } from '../../../../shared/api/bounds.ts';

type Columns = Pick<Finding, 'id' | 'kind' | 'category' | 'severity' | 'firstTime' | 'lastTime'>;

const isText = (v: unknown): v is string => typeof v === 'string';
const textOrNull = (v: unknown) => v === null || isText(v);
const texts = (v: unknown) => Array.isArray(v) && v.every(isText);

/** Whether `v` is an actor as a finding carries it: the fields the views read, of their types. */
function isActor(v: unknown): boolean {
  const a = obj(v);
  const origin = obj(a?.origin);
  return !!a && !!origin && textOrNull(a.arn) && isText(origin.kind) && isText(origin.id) && isText(origin.label) && typeof origin.proven === 'boolean'
    && Array.isArray(a.chain) && a.chain.every((l) => obj(l) !== null) && Array.isArray(a.flags) && a.flags.every((f) => isText(obj(f)?.kind) && isText(obj(f)?.detail));
}

function isRule(v: unknown): boolean {
  const r = obj(v);
  return !!r && isText(r.id) && isText(r.source) && isText(r.title) && isText(r.level) && texts(r.techniques) && isText(r.explanation) && texts(r.proof) && texts(r.falsePositives);
}

/** Whether `v` is what a finding of flow records says of them, fields of their types, its list within its bound. */
function isFlows(v: unknown): boolean {
  const x = obj(v);
  return !!x && isText(x.source) && textOrNull(x.accountId) && texts(x.interfaces) && (x.interfaces as string[]).length <= FLOW_FINDING_INTERFACES
    && textOrNull(x.instanceId) && typeof x.records === 'number' && typeof x.rejected === 'number';
}

/** The finding a stored body holds, with the row's columns over its own; null when the body is not a finding's. */
export function storedFindingBody(text: string | undefined, columns: Columns): Finding | null {
  let parsed: unknown;
  try {
    parsed = text === undefined ? null : JSON.parse(text);
  } catch {
    return null;
  }
  const f = obj(parsed);
  if (!f || !isText(f.title) || !isText(f.detail) || typeof f.count !== 'number' || !texts(f.eventIds) || !texts(f.eventNames)) return null;
  if (!textOrNull(f.sourceIPAddress) || !textOrNull(f.value) || !textOrNull(f.errorCode)) return null;
  if (f.actor !== null && !isActor(f.actor)) return null;
  if (f.rule !== undefined && !isRule(f.rule)) return null;
  if (f.evidence !== undefined && !(Array.isArray(f.evidence) && f.evidence.every((e) => isText(obj(e)?.field) && isText(obj(e)?.value)))) return null;
  if (f.flows !== undefined && !isFlows(f.flows)) return null;
  return { ...(f as unknown as Finding), ...columns };
}
