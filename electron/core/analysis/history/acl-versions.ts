// A network ACL's entries over time: its configuration snapshots, and between them the versions its
// successful entry calls make, replayed forwards. An ACL holds one entry per number and direction, so
// a create or replace sets the entry at its place and a delete empties it. Before the first snapshot
// the replay starts from nothing and is marked incomplete, unless the ACL's creation is in the case: a
// replace or a delete says nothing of the entry it took away, so the entries cannot be undone
// backwards as a security group's rules are.
import type { CaseDb } from '../../db/open-case.ts';
import { member, str } from '../../json-values.ts';
import { storedConfig } from './stored-config.ts';
import { replaySteps, type ReplayedVersion } from './replay-steps.ts';
import { entriesOfSnapshot, entryKey, entryOfCall, type NetworkAclEntry } from './network-acl-entries.ts';

export type AclState = { entries: NetworkAclEntry[]; complete: boolean };
export type AclVersion = ReplayedVersion<AclState>;

export function aclVersions(db: CaseDb, aclId: string): AclVersion[] {
  const steps = replaySteps(db, aclId, (config) => entriesOfSnapshot(storedConfig(config), aclId));
  const out: AclVersion[] = [];
  let state: AclState | null = null;
  for (const s of steps) {
    if (s.kind === 'snap') {
      const after = { entries: s.state, complete: true };
      out.push({ versionId: s.id, origin: 'snapshot', time: s.time, eventRow: null, before: state, after });
      state = after;
      continue;
    }
    const before = state ?? { entries: [], complete: false };
    const after = apply(before, s.raw, aclId);
    out.push({ versionId: -s.id, origin: 'event', time: s.time, eventRow: s.id, before, after });
    state = after;
  }
  return out;
}

function apply(state: AclState, raw: Record<string, unknown>, aclId: string): AclState {
  const name = str(raw.eventName) ?? '';
  // A new ACL holds only the deny-all entries no call can change; a deleted one holds nothing.
  if (name === 'CreateNetworkAcl' || name === 'DeleteNetworkAcl') return { entries: [], complete: true };
  if (name !== 'CreateNetworkAclEntry' && name !== 'ReplaceNetworkAclEntry' && name !== 'DeleteNetworkAclEntry') return state;
  const entry = entryOfCall(member(raw, 'requestParameters'));
  if (entry.aclId !== null && entry.aclId !== aclId) return state;
  const key = entryKey(entry);
  const kept = state.entries.filter((e) => entryKey(e) !== key);
  return { entries: name === 'DeleteNetworkAclEntry' ? kept : [...kept, { ...entry, aclId }], complete: state.complete };
}
