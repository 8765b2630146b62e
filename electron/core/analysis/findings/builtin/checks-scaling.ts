// Checks on Auto Scaling groups: a group told to run no instances ends every one it has, each by Auto
// Scaling's own role, so the person is only on the call that changed the group.
import { member, num, str } from '../../../json-values.ts';
import type { CheckResult, Rec } from '../rules/rule-types.ts';

/** UpdateAutoScalingGroup / SetDesiredCapacity down to zero instances, or DeleteAutoScalingGroup forcing its instances' end. */
export function scaledToZero(record: Rec): CheckResult {
  const rp = member(record, 'requestParameters');
  const group = str(member(rp, 'autoScalingGroupName'));
  if (group === null) return null;
  if (str(member(record, 'eventName')) === 'DeleteAutoScalingGroup') {
    return member(rp, 'forceDelete') === true ? { value: group, summary: `${group} deleted with its instances (forceDelete)` } : null;
  }
  const zero = (['desiredCapacity', 'maxSize'] as const).filter((k) => num(member(rp, k)) === 0);
  return zero.length ? { value: group, summary: `${group} set to ${zero.map((k) => (k === 'maxSize' ? 'a maximum' : 'a desired capacity')).join(' and ')} of 0 instances` } : null;
}
