// A security group's rules over time: configuration snapshots, plus the versions between them
// reconstructed by replaying the group's successful rule changes forwards from a snapshot, and
// backwards before the first one. Without any snapshot the rules are those the events added (and
// not removed), marked incomplete unless the group's creation is in the case.
import type { SecurityGroupRule } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { changeOf } from './changes.ts';
import { items, member } from '../../json-values.ts';
import { storedConfig } from './stored-config.ts';
import { rulesFromPermissions, rulesFromRuleSet, sameRule } from './sg-rules.ts';
import { replaySteps, type ReplayedVersion } from './replay-steps.ts';

export type SgState = { rules: SecurityGroupRule[]; complete: boolean };
export type SgVersion = ReplayedVersion<SgState>;

export function sgVersions(db: CaseDb, groupId: string): SgVersion[] {
  const steps = replaySteps(db, groupId, rulesOfSnapshot);
  const out: SgVersion[] = [];
  const firstSnap = steps.findIndex((s) => s.kind === 'snap');

  // Forward from the first snapshot (or from nothing).
  let state: SgState = firstSnap >= 0 ? { rules: (steps[firstSnap] as { state: SecurityGroupRule[] }).state, complete: true } : { rules: [], complete: false };
  for (let i = Math.max(firstSnap, 0); i < steps.length; i++) {
    const s = steps[i];
    if (s.kind === 'snap') {
      out.push({ versionId: s.id, origin: 'snapshot', time: s.time, eventRow: null, before: i === firstSnap ? null : state, after: { rules: s.state, complete: true } });
      state = { rules: s.state, complete: true };
      continue;
    }
    const next = apply(state, s.raw, groupId, false);
    out.push({ versionId: -s.id, origin: 'event', time: s.time, eventRow: s.id, before: state, after: next });
    state = next;
  }
  // Backwards before the first snapshot: undo each change.
  if (firstSnap > 0) {
    let after: SgState = { rules: (steps[firstSnap] as { state: SecurityGroupRule[] }).state, complete: true };
    const earlier: SgVersion[] = [];
    for (let i = firstSnap - 1; i >= 0; i--) {
      const s = steps[i] as { kind: 'event'; time: number; id: number; raw: Record<string, unknown> };
      const change = changeOf(s.raw, groupId);
      if (change.kind === 'security-group-rules') after = { ...after, rules: withIds(after.rules, change.added) };
      const before = apply(after, s.raw, groupId, true);
      earlier.push({ versionId: -s.id, origin: 'event', time: s.time, eventRow: s.id, before, after });
      after = before;
    }
    out.unshift(...earlier.reverse());
  }
  return out;
}

/** The group's rules at `at` (ms), or null when nothing is known about the group by then. */
export function sgRulesAt(db: CaseDb, groupId: string, at: number): SgState | null {
  const versions = sgVersions(db, groupId);
  let found: SgState | null = null;
  for (const v of versions) {
    if (v.time <= at) found = v.after;
    else {
      // Before the first version: what the replay says, or else the first snapshot as the best knowledge.
      found ??= v.before ?? v.after;
      break;
    }
  }
  return found;
}

function apply(state: SgState, raw: Record<string, unknown>, groupId: string, reverse: boolean): SgState {
  const name = String(raw.eventName ?? '');
  if (name === 'CreateSecurityGroup') {
    // Before its creation a group had no rules; at creation AWS adds the allow-all egress rule.
    if (reverse) return { rules: [], complete: true };
    return { rules: [{ direction: 'egress', protocol: '-1', fromPort: null, toPort: null, cidr: '0.0.0.0/0', ipv6Cidr: null, prefixListId: null, peerGroupId: null, peerGroupOwner: null, ruleId: null, description: null }], complete: true };
  }
  if (name === 'DeleteSecurityGroup') return reverse ? { rules: state.rules, complete: state.complete } : { rules: [], complete: true };
  const change = changeOf(raw, groupId);
  if (change.kind !== 'security-group-rules') return state;
  let rules = state.rules;
  const add = reverse ? change.removed : change.added;
  const remove = reverse ? change.added : change.removed;
  if (name === 'ModifySecurityGroupRules' && !reverse) {
    rules = rules.filter((r) => !change.added.some((c) => c.ruleId && c.ruleId === r.ruleId));
  }
  rules = rules.filter((r) => !remove.some((x) => sameRule(r, x)));
  rules = withIds(rules, add);
  for (const a of add) if (!rules.some((r) => sameRule(r, a))) rules = [...rules, a];
  return { rules, complete: state.complete };
}

/** Snapshots from IpPermissions carry no sgr- ids; the call that added a rule does. */
function withIds(rules: SecurityGroupRule[], known: SecurityGroupRule[]): SecurityGroupRule[] {
  return rules.map((r) => {
    if (r.ruleId) return r;
    const k = known.find((x) => x.ruleId && sameRule(r, x));
    return k ? { ...r, ruleId: k.ruleId, description: r.description ?? k.description } : r;
  });
}

/** Rules read from one snapshot: AWS's ceiling for a group, so a crafted one of a million is not copied into every replayed version. */
export const MAX_SNAPSHOT_RULES = 1_000;

function rulesOfSnapshot(text: string): SecurityGroupRule[] {
  // A stored document a crafted or damaged case broke holds no rules.
  const cfg = storedConfig(text);
  const ruleSet = member(cfg, 'SecurityGroupRules') ?? member(cfg, 'rules');
  const rules = ruleSet && items(ruleSet).length > 0 && member(items(ruleSet)[0], 'securityGroupRuleId') !== undefined ? rulesFromRuleSet(ruleSet)
    : [...rulesFromPermissions(member(cfg, 'IpPermissions'), 'ingress'), ...rulesFromPermissions(member(cfg, 'IpPermissionsEgress'), 'egress')];
  return rules.slice(0, MAX_SNAPSHOT_RULES);
}
