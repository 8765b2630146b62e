// The moves the Flows and Findings views offer: from a flow or a finding to the event, the resource
// history or the timeline. Each one leaves the view it came from as it was (its tab stays mounted).
import { call } from '../api/client.ts';
import type { FlowFindingInfo } from '../../../shared/api/types.ts';
import { flowTargetOf, useStore } from '../store.ts';

/** Selects an event by its CloudTrail id, scrolls the timeline to it (clearing filters that hide it) and shows its details. */
export async function showEvent(eventId: string): Promise<string | null> {
  const r = await call('event:get', { eventId });
  if (!r.ok) return r.error.message;
  const s = useStore.getState();
  s.revealEvent(r.value.row.id, r.value.row.eventTime, r.value.row.readOnly === true);
  s.set({ sideTab: 'selection' });
  return null;
}

/** Selects a resource and shows its history (who changed it). */
export function showHistory(resourceId: string): void {
  const s = useStore.getState();
  s.selectNode(resourceId);
  s.set({ sideTab: 'selection' });
}

/** The timeline narrowed to one address (in place of a clicked node, which would say the same less precisely). */
export function filterTimelineByIp(ip: string): void {
  useStore.getState().setFilter({ ip, node: undefined });
}

/** The timeline narrowed to one actor: a key, an ARN or a resolved origin. */
export function filterTimelineByActor(actor: string): void {
  useStore.getState().setFilter({ actor, node: undefined });
}

/** The Flows view of a finding's records: the instance it names (every interface of it; the scanner, or the host scanned from outside) when the case knows it, else the source address. */
export function showFlows(flows: FlowFindingInfo): void {
  const target = (flows.instanceId ? flowTargetOf(flows.instanceId) : null) ?? flowTargetOf(`ip/${flows.source}`);
  if (!target) return;
  const s = useStore.getState();
  s.selectNode(target);
  s.set({ sideTab: 'flows' });
}
