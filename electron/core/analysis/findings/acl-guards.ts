// What an opened network ACL guarded (QUESTIONS.md: "Did someone open a port to debug production?"):
// the subnets associated with it in the case's snapshots, and the instances in those subnets (the
// snapshots' instance-subnet edges, and instances launched into them by the case's RunInstances
// calls), production ones first, in the words an opened security group uses. An administration or
// database port opened to the world on production is critical, as for a group.
import type { Finding } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { stmt } from '../prepared.ts';
import { instancesInWords, INSTANCE_NAME_CHARS } from './instances-in-words.ts';
import { clipStrings } from '../../../../shared/api/bounds.ts';

export const ACL_OPENED_RULE = 'ec2-network-acl-open-to-world';
/** Subnets named in the words; the rest are counted. */
const SUBNETS_NAMED = 5;
/** Subnets and instances read per ACL: an ACL of a large VPC guards hundreds of subnets and thousands of instances. */
const SUBNETS_READ = 200;
const INSTANCES_READ = 1000;

type Guarded = { subnets: string[]; instances: string[] };

export function withAclGuards(db: CaseDb, findings: Finding[]): Finding[] {
  const subnetsOf = stmt(db, `SELECT DISTINCT dst FROM edges WHERE src = ? AND kind = 'network-acl-subnet' ORDER BY dst LIMIT ${SUBNETS_READ}`).pluck();
  // Launched into a subnet: the subnet's RunInstances links ('used'), the instances each one created.
  const instancesIn = stmt(db, `SELECT DISTINCT src FROM edges WHERE kind = 'instance-subnet' AND dst IN (SELECT value FROM json_each(@subnets))
    UNION SELECT s.value FROM event_resource_rows sr JOIN event_resource_rows ir ON ir.event = sr.event JOIN strings s ON s.id = ir.resource
    WHERE sr.resource IN (SELECT id FROM strings WHERE value IN (SELECT value FROM json_each(@subnets))) AND sr.touch = (SELECT id FROM strings WHERE value = 'used')
      AND ir.touch = (SELECT id FROM strings WHERE value = 'created') AND s.value LIKE 'i-%'
    ORDER BY 1 LIMIT ${INSTANCES_READ}`).pluck();
  const nameOf = stmt(db, 'SELECT name FROM resources WHERE id = ?').pluck();
  // Each ACL once, however many of its openings were found.
  const guardedBy = new Map<string, Guarded>();
  return findings.map((f) => {
    if (f.rule?.id !== ACL_OPENED_RULE || f.errorCode !== null || f.value === null) return f;
    let guarded = guardedBy.get(f.value);
    if (!guarded) {
      const subnets = subnetsOf.all(f.value) as string[];
      guardedBy.set(f.value, (guarded = { subnets, instances: subnets.length ? instancesIn.all({ subnets: JSON.stringify(subnets) }) as string[] : [] }));
    }
    if (!guarded.subnets.length) return f;
    const subnets = guarded.subnets.slice(0, SUBNETS_NAMED).map((s) => {
      const name = nameOf.get(s) as string | null | undefined;
      const id = clipStrings(s, INSTANCE_NAME_CHARS);
      return name ? `${id} (${clipStrings(name, INSTANCE_NAME_CHARS)})` : id;
    });
    const more = guarded.subnets.length - subnets.length;
    const where = `${subnets.join(', ')}${more ? ` and ${more}${guarded.subnets.length === SUBNETS_READ ? ' or more' : ''} more subnets` : ''}`;
    if (!guarded.instances.length) return { ...f, detail: `${f.detail} Per the case's snapshots it guards ${where}, where the case knows no instance.` };
    const w = instancesInWords(db, guarded.instances, Date.parse(f.lastTime));
    const cut = guarded.instances.length === INSTANCES_READ ? `, of the first ${INSTANCES_READ.toLocaleString('en-US')} instances read` : '';
    return {
      ...f, detail: `${f.detail} Per the case's snapshots it guards ${where}, with ${w.named}${cut}${w.production}.`,
      severity: w.productionCount > 0 && f.severity === 'high' ? 'critical' : f.severity,
    };
  });
}
