// The subnets calls moved to a network ACL. ReplaceNetworkAclAssociation names the ACL and the
// association it moves (aclassoc-…), not the subnet: the subnet is the one a snapshot of the case's ACLs
// lists under that association or, for an association an earlier call made (its newAssociationId), the
// one that call moved. An intruder who associates a prod subnet with an ACL of his own leaves no snapshot
// of that ACL with the subnet in it: without this, its opening would guard nothing. And a subnet moved
// on to another ACL before an opening is no longer guarded by the one it left (lastMoveOf).
import type { CaseDb } from '../../db/open-case.ts';
import { readRawEvent } from '../../db/raw-events.ts';
import { items, member, path, str, text } from '../../json-values.ts';
import { stmt } from '../prepared.ts';
import { timeOrder } from '../event-order.ts';
import { configWithinBound, storedConfig } from './stored-config.ts';

export type SubnetMove = { subnet: string; time: number; eventRow: number };
/** A move of the case with the ACL it moved the subnet to. */
export type SubnetMoveTo = SubnetMove & { acl: string };
/** A move's call as its record says: the association it moved, to which ACL, and the one it made. */
type CaseMove = { id: number; time: number; association: string | null; acl: string | null; made: string | null };

/** Moves read per ACL, moves read in the case to follow an association back, and how far back. */
const MOVES_READ = 200;
const CASE_MOVES_READ = 1_000;
const CHAIN_STEPS = 10;
/** Snapshots searched for one association (the latest first). */
const SNAPSHOTS_SEARCHED = 5;
/** The shapes AWS gives: texts of any other (a crafted record or snapshot) name no association and no subnet. */
const ASSOCIATION = /^aclassoc-[0-9a-f]{8,17}$/;
const SUBNET = /^subnet-[0-9a-f]{8,17}$/;
const ACL = /^acl-[0-9a-f]{8,17}$/;

/** Resolves associations to subnets for one findings run: the case's moves are read once. */
export class AclAssociations {
  private madeBy: Map<string, string> | null = null;
  private bySubnet: Map<string, SubnetMoveTo[]> | null = null;
  private read: CaseMove[] | null = null;

  constructor(private readonly db: CaseDb) {}

  /** The subnets successful calls moved to `aclId` up to `at`, latest first, each once. */
  subnetsMovedTo(aclId: string, at: number): SubnetMove[] {
    const moves = stmt(this.db, `SELECT e.id, e.event_time AS t FROM event_resource_rows r JOIN event_rows e ON e.id = r.event
      WHERE r.resource = (SELECT id FROM strings WHERE value = ?) AND r.event_time <= ? AND r.touch = (SELECT id FROM strings WHERE value = 'attached')
        AND e.error_code IS NULL AND e.event_name = (SELECT id FROM strings WHERE value = 'ReplaceNetworkAclAssociation')
      ORDER BY ${timeOrder('r.event_time', 'e.id', 'DESC')} LIMIT ${MOVES_READ}`).all(aclId, at) as { id: number; t: number }[];
    const out: SubnetMove[] = [];
    for (const m of moves) {
      const association = str(path(readRawEvent(this.db, m.id), 'requestParameters', 'associationId'));
      const subnet = association === null ? null : this.subnetOf(association);
      if (subnet !== null && !out.some((o) => o.subnet === subnet)) out.push({ subnet, time: m.t, eventRow: m.id });
    }
    return out;
  }

  /**
   * The latest move of `subnet` up to `at` (of the case's latest moves, CASE_MOVES_READ), whichever ACL
   * it went to: a subnet a snapshot or an earlier move gave an ACL, moved on since, no longer is its.
   */
  lastMoveOf(subnet: string, at: number): SubnetMoveTo | null {
    if (!this.bySubnet) {
      this.bySubnet = new Map();
      for (const { id, time, association, acl } of this.caseMoves()) {
        if (association === null || acl === null || !ACL.test(acl)) continue;
        const moved = this.subnetOf(association);
        if (moved === null) continue;
        const list = this.bySubnet.get(moved) ?? [];
        list.push({ subnet: moved, time, eventRow: id, acl });
        this.bySubnet.set(moved, list);
      }
      for (const list of this.bySubnet.values()) list.sort((a, b) => a.time - b.time || a.eventRow - b.eventRow);
    }
    const list = this.bySubnet.get(subnet) ?? [];
    let last: SubnetMoveTo | null = null;
    for (const m of list) if (m.time <= at) last = m;
    return last;
  }

  private subnetOf(association: string): string | null {
    let current: string | undefined = association;
    for (let step = 0; step < CHAIN_STEPS && current !== undefined && ASSOCIATION.test(current); step++) {
      const inSnapshot = this.inSnapshots(current);
      if (inSnapshot !== null) return inSnapshot;
      current = this.moves().get(current);
    }
    return null;
  }

  /** The subnet the latest ACL snapshots list under `association`. */
  private inSnapshots(association: string): string | null {
    const configs = stmt(this.db, `SELECT config FROM resource_versions WHERE resource_id >= 'acl-' AND resource_id < 'acl.' AND origin = 'snapshot'
      AND ${configWithinBound('config')} AND instr(config, ?) > 0 ORDER BY observed_at DESC LIMIT ${SNAPSHOTS_SEARCHED}`).pluck().all(association) as string[];
    for (const config of configs) {
      const listed = items(member(storedConfig(config), 'Associations')).find((a) => text(a, 'NetworkAclAssociationId') === association);
      const subnet = listed === undefined ? null : text(listed, 'SubnetId');
      if (subnet !== null && SUBNET.test(subnet)) return subnet;
    }
    return null;
  }

  /** Each association a move made (its newAssociationId) to the one it moved: the case's latest moves. */
  private moves(): Map<string, string> {
    if (this.madeBy) return this.madeBy;
    this.madeBy = new Map();
    for (const m of this.caseMoves()) if (m.made !== null && m.association !== null && ASSOCIATION.test(m.made) && ASSOCIATION.test(m.association)) this.madeBy.set(m.made, m.association);
    return this.madeBy;
  }

  /** The case's latest successful moves (CASE_MOVES_READ), each as its record says: read once for both uses. */
  private caseMoves(): CaseMove[] {
    if (this.read) return this.read;
    const rows = stmt(this.db, `SELECT id, event_time FROM event_rows WHERE event_name = (SELECT id FROM strings WHERE value = 'ReplaceNetworkAclAssociation')
      AND error_code IS NULL ORDER BY id DESC LIMIT ${CASE_MOVES_READ}`).raw().all() as [number, number][];
    this.read = rows.map(([id, time]) => {
      const raw = readRawEvent(this.db, id);
      return { id, time, association: str(path(raw, 'requestParameters', 'associationId')), acl: str(path(raw, 'requestParameters', 'networkAclId')),
        made: str(path(raw, 'responseElements', 'newAssociationId')) };
    });
    return this.read;
  }
}
