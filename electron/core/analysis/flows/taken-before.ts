// Whether an interface took connections from outside before a rule was added: where the case does not
// record an interface's groups, a rule that would allow a later connection is named as the one that
// let it in only when nothing from outside came in on those ports before it (a bastion the office
// reaches on 22 through another rule is not let in by a group opened to the world at noon). Read by the
// connections through an opening (findings/outside-flows.ts) and the remote-access chains (flows-query.ts).
import type { SecurityGroupRule } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import type { FlowRow } from '../../db/flow-row.ts';
import { isPublicAddress } from '../attribution/instance-addresses.ts';
import { scanFlowRecords } from './flow-records.ts';
import { ruleAllows } from './rule-allows.ts';
import { EPHEMERAL_PORTS_FROM } from './probe-reader.ts';

/** Interfaces kept that took connections before: past it (a fleet behind a load balancer), which did not is unknown. */
const INTERFACES_TAKING = 10_000;

/** An accepted record of a connection from outside that one of `rules` allows (the record's action is the caller's filter). */
export function fromOutside(r: FlowRow, rules: SecurityGroupRule[], dstPorts: readonly number[] | undefined): r is FlowRow & { startTime: number; interfaceId: string; srcaddr: string } {
  if (r.flowDirection === 'egress' || r.startTime === null || !r.interfaceId || !isPublicAddress(r.srcaddr)) return false;
  // Without a flow direction (records before version 5), a record to an ephemeral port under a rule of
  // every port is most likely the answer to a connection the instance made itself, not one from outside.
  if (r.flowDirection === null && dstPorts === undefined && (r.dstport ?? 0) >= EPHEMERAL_PORTS_FROM) return false;
  return rules.some((rule) => ruleAllows(rule, r) >= 0);
}

/**
 * The interfaces (or only `eni`) that accepted a connection from outside that `rules` allow before
 * `until`: reachable then through something else. Each block read is `charge`d; null when the charge
 * ended the read, or more than INTERFACES_TAKING took some: then which did not is unknown.
 */
export function interfacesTakingConnections(db: CaseDb, rules: SecurityGroupRule[], dstPorts: readonly number[] | undefined, until: number,
  charge: (records: number) => boolean, eni?: string): Set<string> | null {
  const taking = new Set<string>();
  let complete = true;
  scanFlowRecords(db, { action: 'ACCEPT', to: until, dstPorts, eni }, (cols, i) => {
    const r = cols.row(i);
    if (r.startTime === null || r.startTime >= until || !fromOutside(r, rules, dstPorts)) return true;
    taking.add(r.interfaceId);
    // One interface asked about: its first such record answers.
    if (eni !== undefined) return false;
    return (complete = taking.size <= INTERFACES_TAKING);
  }, { decoded: (records) => (complete = charge(records)) });
  return complete ? taking : null;
}
