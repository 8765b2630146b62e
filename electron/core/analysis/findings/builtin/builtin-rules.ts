// The built-in rule catalogue: every rule's metadata (title, severity, ATT&CK techniques, explanation,
// proving fields, false positives), compiled once into the engine's EventRule, and looked up by id by
// the analyzers that raise the others.
import type { FindingRule } from '../../../../../shared/engine-types.ts';
import { compileDetection } from '../rules/detection.ts';
import type { BuiltinRuleDef, Check, EventRule } from '../rules/rule-types.ts';
import { ACCESS_RULES, ANALYZER_RULES } from './rules-access.ts';
import { EVASION_RULES } from './rules-evasion.ts';
import { IAM_RULES } from './rules-iam.ts';
import { IMPACT_RULES } from './rules-impact.ts';
import { networkAclOpened, securityGroupOpened } from './checks-network.ts';
import { scaledToZero } from './checks-scaling.ts';
import { adminGroup, adminPolicy, federationToken, forOtherUser, forSelf, functionUrlPublic, lambdaPermissionOpened, otherPolicy, policyVersion, rolePassed, trustOpened } from './checks-iam.ts';
import { bucketPublic, ec2Shared, parametersRead, rdsShared, replicationDestination, secretsRead } from './checks-data.ts';
import { commandSent, consoleLoginWithoutMfa, detectorDisabled, instanceReached, layersAdded, modelInvoked, selectorsNarrowed, unusualInstances, userDataChanged, userDataRead } from './checks-activity.ts';

export const BUILTIN_RULE_DEFS: BuiltinRuleDef[] = [...IMPACT_RULES, ...IAM_RULES, ...EVASION_RULES, ...ACCESS_RULES, ...ANALYZER_RULES];

const CHECKS: Record<string, Check> = {
  securityGroupOpened, networkAclOpened, adminPolicy, otherPolicy, policyVersion, trustOpened, rolePassed, adminGroup, forOtherUser, forSelf,
  federationToken, lambdaPermissionOpened, functionUrlPublic, ec2Shared, rdsShared, bucketPublic, replicationDestination, secretsRead,
  parametersRead, userDataChanged, userDataRead, commandSent, instanceReached, layersAdded, consoleLoginWithoutMfa, selectorsNarrowed,
  detectorDisabled, unusualInstances, modelInvoked, scaledToZero,
};

export function metaOf(def: BuiltinRuleDef): FindingRule {
  return {
    id: def.id, source: 'builtin', title: def.title, level: def.severity, techniques: def.techniques, explanation: def.explanation,
    proof: def.proof, falsePositives: def.falsePositives,
  };
}

const BY_ID = new Map(BUILTIN_RULE_DEFS.map((d) => [d.id, d]));

/** The metadata of a built-in rule; throws on an unknown id (a programming error). */
export function builtinRule(id: string): FindingRule {
  const def = BY_ID.get(id);
  if (!def) throw new Error(`no built-in rule '${id}'`);
  return metaOf(def);
}

let compiled: EventRule[] | null = null;

/** The per-event built-in rules, compiled once per process. */
export function builtinEventRules(): EventRule[] {
  if (compiled) return compiled;
  if (BY_ID.size !== BUILTIN_RULE_DEFS.length) throw new Error('built-in rule ids are not unique');
  compiled = BUILTIN_RULE_DEFS.filter((d) => d.match).map((d) => {
    if (d.check && !CHECKS[d.check]) throw new Error(`rule ${d.id} names an unknown check '${d.check}'`);
    return {
      meta: metaOf(d), kind: d.kind, category: d.category,
      detection: compileDetection({ selection: d.match, condition: 'selection' }),
      check: d.check ? CHECKS[d.check] : undefined, value: d.value, routine: d.routine, group: d.group ?? 'value', skipAutomation: true,
    };
  });
  return compiled;
}
