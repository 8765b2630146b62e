// The target of `trailscope note` and `trailscope tag`: exactly one of --event (the record's
// eventID), --node (a graph node id), --finding (a finding's id) or --flow (a flow conversation key).
import { UsageError } from './command.ts';
import type { AnnotationTarget } from '../../shared/api/annotations.ts';

export const TARGET_FLAGS = { event: { type: 'string' }, node: { type: 'string' }, finding: { type: 'string' }, flow: { type: 'string' } } as const;

export function targetOf(values: Partial<Record<AnnotationTarget, string | undefined>>): { target: AnnotationTarget; targetId: string } {
  const given = (['event', 'node', 'finding', 'flow'] as const).filter((k) => values[k] !== undefined);
  if (given.length !== 1) throw new UsageError('name exactly one of --event EVENT_ID, --node ID, --finding ID or --flow KEY');
  const target = given[0];
  const targetId = values[target]!.trim();
  if (!targetId) throw new UsageError(`--${target} needs a value`);
  return { target, targetId };
}

