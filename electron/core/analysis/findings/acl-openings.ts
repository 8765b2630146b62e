// What an opened network ACL exposed, and whether it stayed open (QUESTIONS.md: "Did someone open a
// port to debug production? … Was it revoked later?"), told as an opened security group is
// (exposure-ends.ts). What it guarded: the subnets associated with it in the case's snapshots or moved to
// it by the case's calls up to the opening, less those a call moved on to another ACL before it
// (history/acl-associations.ts), and the
// instances in those subnets (the snapshots' instance-subnet edges, and instances launched into them
// by the case's RunInstances calls), production ones first; an administration or database port opened
// to the world on production is critical. Whether it closed: the ACL's versions (history/acl-versions.ts,
// as who-changed shows them) after the finding's calls, the first where the entry at the opened place
// no longer lets the world in, or a lower-numbered deny entry for the whole internet refuses all of it
// first (entries are evaluated in order). Which connections from outside it let into those subnets is a
// finding of the flows part (opening-connections.ts).
import type { Finding, ResolvedActor } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { iso, stmt } from '../prepared.ts';
import { instancesInWords, withName } from './instances-in-words.ts';
import { aclVersions, type AclVersion } from '../history/acl-versions.ts';
import { AclAssociations, type SubnetMove, type SubnetMoveTo } from '../history/acl-associations.ts';
import { asRule, deniedBefore, entryKey } from '../history/network-acl-entries.ts';
import { aclEntryExposure } from './builtin/checks-network.ts';
import { closingWords, firstClosed, openedBy, type Opening } from './exposure-ends.ts';

export const ACL_OPENED_RULE = 'ec2-network-acl-open-to-world';
/** Subnets named in the words; the rest are counted. */
const SUBNETS_NAMED = 5;
/** Subnets and instances read per ACL: an ACL of a large VPC guards hundreds of subnets and thousands of instances. */
const SUBNETS_READ = 200;
const INSTANCES_READ = 1000;

/**
 * The subnets an ACL guarded at a moment: those its snapshots associate with it, and those calls moved to
 * it; `away` are those of either that a later call, still before the moment, moved to another ACL.
 */
export type AclSubnets = { subnets: string[]; moved: SubnetMove[]; away: SubnetMoveTo[] };
/** Every subnet of `s`: the snapshots' and those calls moved. */
export function guardedSubnets(s: AclSubnets): string[] {
  return [...s.subnets, ...s.moved.map((m) => m.subnet)];
}

/** What an ACL guarded at an opening: its subnets and their instances. */
type AclFacts = AclSubnets & { instances: string[] };

/** Reads, for one findings run, what network ACLs guarded and how their openings went: each ACL's versions once. */
export class AclOpenings {
  private readonly versionsOf = new Map<string, AclVersion[]>();
  private readonly associations: AclAssociations;

  constructor(private readonly db: CaseDb) {
    this.associations = new AclAssociations(db);
  }

  /** The subnets `aclId` guarded at `at`: a subnet whose latest move up to `at` took it to another ACL is not one of them. */
  subnetsAt(aclId: string, at: number): AclSubnets {
    const snapshots = stmt(this.db, `SELECT DISTINCT dst FROM edges WHERE src = ? AND kind = 'network-acl-subnet' ORDER BY dst LIMIT ${SUBNETS_READ}`).pluck().all(aclId) as string[];
    const moved = this.associations.subnetsMovedTo(aclId, at).filter((m) => !snapshots.includes(m.subnet)).slice(0, SUBNETS_READ);
    const away: SubnetMoveTo[] = [];
    const stays = (subnet: string) => {
      const last = this.associations.lastMoveOf(subnet, at);
      if (last === null || last.acl === aclId) return true;
      away.push(last);
      return false;
    };
    return { subnets: snapshots.filter(stays), moved: moved.filter((m) => stays(m.subnet)), away };
  }

  /** The opening the calls `eventIds` made in `aclId`; null when its versions do not show them open anything. */
  opening(aclId: string, eventIds: string[]): Opening | null {
    let versions = this.versionsOf.get(aclId);
    if (!versions) this.versionsOf.set(aclId, (versions = aclVersions(this.db, aclId)));
    const calls = openedBy(this.db, versions, eventIds, (v) => {
      const before = new Set((v.before?.entries ?? []).map((e) => JSON.stringify(e)));
      return v.after.entries.filter((e) => aclEntryExposure(e) !== null && !before.has(JSON.stringify(e)));
    });
    if (calls === null) return null;
    const { first, last, opened } = calls;
    const places = new Set(opened.map(entryKey));
    // Open while an entry at an opened place still lets the world in (a replace that narrows it closes it)
    // and no deny entry in front of it refuses all it lets in.
    const stillOpen = (v: AclVersion) => v.after.entries.some((e) => places.has(entryKey(e)) && aclEntryExposure(e) !== null
      && !v.after.entries.some((d) => deniedBefore(d, e)));
    return { rules: opened.filter((e) => !e.egress).map(asRule), from: versions[first].time, openedAt: versions[last].time, closed: firstClosed(versions.slice(last + 1), stillOpen) };
  }
}

/** The findings, each opening of an ACL told what it guarded and whether a later change closed it (`acls`: as for withExposureEnds' groups). */
export function withAclOpenings(db: CaseDb, actors: Map<number, ResolvedActor>, findings: Finding[], acls = new AclOpenings(db)): Finding[] {
  // Launched into a subnet: the subnet's RunInstances links ('used'), the instances each one created.
  const instancesIn = stmt(db, `SELECT DISTINCT src FROM edges WHERE kind = 'instance-subnet' AND dst IN (SELECT value FROM json_each(@subnets))
    UNION SELECT s.value FROM event_resource_rows sr JOIN event_resource_rows ir ON ir.event = sr.event JOIN strings s ON s.id = ir.resource
    WHERE sr.resource IN (SELECT id FROM strings WHERE value IN (SELECT value FROM json_each(@subnets))) AND sr.touch = (SELECT id FROM strings WHERE value = 'used')
      AND ir.touch = (SELECT id FROM strings WHERE value = 'created') AND s.value LIKE 'i-%'
    ORDER BY 1 LIMIT ${INSTANCES_READ}`).pluck();
  return findings.map((f) => {
    if (f.rule?.id !== ACL_OPENED_RULE || f.errorCode !== null || f.value === null) return f;
    const at = Date.parse(f.lastTime);
    const guards = acls.subnetsAt(f.value, at);
    const all = guardedSubnets(guards);
    const instances = all.length ? instancesIn.all({ subnets: JSON.stringify(all) }) as string[] : [];
    const guarded = guardedWords(db, { ...guards, instances }, at);
    const opening = acls.opening(f.value, f.eventIds);
    const words = [guarded.words, opening ? closingWords(db, actors, opening.closed, 'network ACL') : ''].filter(Boolean).join(' ');
    if (!words) return f;
    return { ...f, detail: `${f.detail} ${words}`, severity: guarded.production && f.severity === 'high' ? 'critical' : f.severity };
  });
}

/** The subnets and instances an ACL guards, production instances first (their tags at `at`), in words; '' when neither a snapshot nor a call associates one. */
function guardedWords(db: CaseDb, known: AclFacts, at: number): { words: string; production: boolean } {
  const guarded = guardedSubnetWords(db, known, at);
  const away = known.away.slice(0, SUBNETS_NAMED).map((m) => `${withName(db, m.subnet)} (moved to ${m.acl} at ${iso(m.time)})`);
  const more = known.away.length - away.length;
  const left = away.length ? ` It no longer guarded ${away.join(', ')}${more ? ` and ${more} more subnets` : ''}.` : '';
  return { words: `${guarded.words}${left}`.trim(), production: guarded.production };
}

function guardedSubnetWords(db: CaseDb, known: AclFacts, at: number): { words: string; production: boolean } {
  const total = known.subnets.length + known.moved.length;
  if (!total) return { words: '', production: false };
  const named = [...known.subnets.map((s) => withName(db, s)), ...known.moved.map((m) => `${withName(db, m.subnet)} (moved to it at ${iso(m.time)})`)].slice(0, SUBNETS_NAMED);
  const more = total - named.length;
  const where = `${named.join(', ')}${more ? ` and ${more}${known.subnets.length === SUBNETS_READ ? ' or more' : ''} more subnets` : ''}`;
  const per = known.moved.length === 0 ? 'Per the case\'s snapshots it' : known.subnets.length === 0 ? 'It' : 'Per the case\'s snapshots and the calls that moved subnets to it, it';
  if (!known.instances.length) return { words: `${per} guards ${where}, where the case knows no instance.`, production: false };
  const w = instancesInWords(db, known.instances, at);
  const cut = known.instances.length === INSTANCES_READ ? `, of the first ${INSTANCES_READ.toLocaleString('en-US')} instances read` : '';
  return { words: `${per} guards ${where}, with ${w.named}${cut}${w.production}.`, production: w.productionCount > 0 };
}
