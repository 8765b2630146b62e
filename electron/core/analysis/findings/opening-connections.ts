// The connections from outside that an opening let in while it was open (QUESTIONS.md: "Did accepted
// flows from outside use it meanwhile?", "The chain from traffic to person"), a finding of its own next
// to the opening's: the opening's call, its actor and its group or ACL, and the addresses that came in
// (outside-flows.ts), the most data first. It is the stored findings' `flows` part (stored-findings.ts):
// the only one that reads flow records, so a flow log import recomputes it alone, not every built-in
// rule. The openings are found again by their two rules (rules run apart give what they give together)
// and told what they guarded as the builtin part tells them, so the connections are as severe as their
// opening (critical through a port opened on production); one reported as low (a web port, or routine)
// opens nothing worth it: the web's clients are its use.
import type { Finding, ResolvedActor } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { iso, stmt } from '../prepared.ts';
import { clipStrings } from '../../../../shared/api/bounds.ts';
import { builtinEventRules } from './builtin/builtin-rules.ts';
import { runEventRules } from './rules/run-rules.ts';
import type { ActorScope } from './new-values.ts';
import { SubnetsByAddress } from '../flows/subnets-by-address.ts';
import { GroupOpenings, OPENED_RULE, withExposureEnds, type Opening } from './exposure-ends.ts';
import { ACL_OPENED_RULE, AclOpenings, guardedSubnets, withAclOpenings } from './acl-openings.ts';
import { addressCount, behindGroup, behindSubnets, FLOW_RECORDS_PER_RUN, outsideFlows, outsideFlowsWords, type Behind, type OutsideFlows } from './outside-flows.ts';

export const CONNECTIONS_RULE = 'opening-connections';
/** Characters of the opening's value (a group or ACL id from the record) and of its title in the words. */
const VALUE_CHARS = 100;
const TITLE_CHARS = 300;

/** The connections each opening of the case (or of `scope`'s credentials) let in, as findings, and what the run could not read. */
export function openingConnections(db: CaseDb, actors: Map<number, ResolvedActor>, scope?: ActorScope): { findings: Finding[]; notes: string[] } {
  if (stmt(db, 'SELECT 1 FROM flow_blocks LIMIT 1').get() === undefined) return { findings: [], notes: [] };
  const rules = builtinEventRules().filter((r) => r.meta.id === OPENED_RULE || r.meta.id === ACL_OPENED_RULE);
  const found = runEventRules(db, rules, actors, scope).findings.filter((f) => f.errorCode === null && f.value !== null && f.severity !== 'low');
  // One reader of each group's and ACL's versions for the words and for the windows below.
  const groups = new GroupOpenings(db);
  const acls = new AclOpenings(db);
  const openings = withAclOpenings(db, actors, withExposureEnds(db, actors, found, null, groups), acls);
  const budget = { flowRecords: FLOW_RECORDS_PER_RUN };
  const byAddress = new SubnetsByAddress(db);
  const findings: Finding[] = [];
  let unread = 0;
  for (const f of openings) {
    const target = f.value!;
    let opening: Opening | null;
    let behind: Behind | null;
    if (f.rule?.id === OPENED_RULE) {
      opening = groups.opening(target, f.eventIds);
      behind = behindGroup(db, target, byAddress);
    } else {
      opening = acls.opening(target, f.eventIds);
      const guards = opening ? acls.subnetsAt(target, opening.openedAt) : null;
      const subnets = guards ? guardedSubnets(guards) : [];
      behind = subnets.length ? behindSubnets(db, subnets, byAddress) : null;
    }
    if (opening === null || behind === null) continue;
    const seen = outsideFlows(db, opening.rules, behind, opening.from, opening.closed?.time ?? null, budget);
    if (seen === 'unread') unread++;
    else if (seen !== null) findings.push(connectionsFinding(f, seen));
  }
  const notes = unread ? [`${unread.toLocaleString('en-US')} opening${unread === 1 ? '' : 's'} not checked against the flow records: this run read ${FLOW_RECORDS_PER_RUN.toLocaleString('en-US')} of them for others`] : [];
  return { findings, notes };
}

/** The finding: anchored on the opening's calls and actor, named by the address that moved the most. */
function connectionsFinding(opening: Finding, seen: OutsideFlows): Finding {
  const top = seen.peers[0];
  const others = seen.letGo ? `${addressCount(seen)} others` : seen.peers.length > 1 ? `${(seen.peers.length - 1).toLocaleString('en-US')} more` : '';
  return {
    kind: 'opening-connections', category: 'initial-access', severity: opening.severity,
    title: `Connections from outside through ${clipStrings(opening.value!, VALUE_CHARS)}: ${top.address}${others ? ` and ${others}` : ''}`,
    detail: `${outsideFlowsWords(seen)} The opening: ${clipStrings(opening.title, TITLE_CHARS)}.`,
    // Its events are the opening's calls (the records are counted in the words).
    firstTime: iso(seen.first)!, lastTime: iso(seen.last)!, count: opening.count,
    eventIds: opening.eventIds, eventNames: opening.eventNames, sourceIPAddress: top.address, value: opening.value, errorCode: null, actor: opening.actor,
    evidence: [{ field: 'srcaddr', value: top.address }],
  };
}
