// Which instances a termination ended. "An instance is gone": the finding on the call names them with
// their names, production ones first (instances-in-words.ts), and a termination of instances tagged as
// production then is critical rather than high. A termination demoted as routine (deployments, scale-in
// by the identity that always does it) is left as it is.
import type { Finding } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { readRawEvent } from '../../db/raw-events.ts';
import { items, path, text } from '../../json-values.ts';
import { stmt } from '../prepared.ts';
import { instancesInWords } from './instances-in-words.ts';
import type { StoredWords } from './stored-words.ts';

export const TERMINATED_RULE = 'ec2-instances-terminated';

/** Terminations told their instances in one findings run: an account terminating by hand all day stays bounded (the rest keep the rule's words). */
export const TERMINATIONS_TOLD_PER_RUN = 1_000;

export function withInstancesEnded(db: CaseDb, findings: Finding[], stored?: StoredWords | null): Finding[] {
  const rowOf = stmt(db, 'SELECT id, event_time AS time FROM event_rows WHERE event_id = ?');
  let left = TERMINATIONS_TOLD_PER_RUN;
  return findings.map((f) => {
    if (f.rule?.id !== TERMINATED_RULE || f.errorCode !== null || f.severity !== 'high' || f.eventIds.length === 0) return f;
    const said = stored?.(f);
    if (said) return { ...f, ...said };
    if (left <= 0) return f;
    left--;
    const row = rowOf.get(f.eventIds[0]) as { id: number; time: number } | undefined;
    const raw = row ? readRawEvent(db, row.id) : null;
    const instances = raw ? endedBy(raw) : [];
    if (instances.length === 0) return f;
    const w = instancesInWords(db, instances, row!.time);
    return { ...f, detail: `Ended ${w.named}${w.production}. ${f.detail}`, severity: w.productionCount > 0 ? 'critical' : f.severity };
  });
}

/** The instances a TerminateInstances names, in its answer (what it ended) and its request, once each. */
function endedBy(raw: Record<string, unknown>): string[] {
  const ids = new Set<string>();
  for (const side of ['responseElements', 'requestParameters']) {
    for (const it of items(path(raw, side, 'instancesSet'))) {
      const id = text(it, 'instanceId');
      if (id !== null && id.startsWith('i-')) ids.add(id);
    }
  }
  return [...ids];
}
