// A Security Lake table's row as a query tool hands it over: one value per column, each struct, map or
// list printed as text ({product={name=CloudTrail, …}, uid=…}) by Athena's console (CSV) and its
// GetQueryResults. The text is parsed back (struct-text.ts) and the event read like the same event in
// JSON: a CloudTrail record (ocsf-cloudtrail.ts), a flow record's fields (ocsf-flow.ts) or a finding.
import type { Item } from '../classify.ts';
import { isOcsfFinding } from '../detectors/detector-shapes.ts';
import { isOcsfCloudTrail, ocsfRecord } from './ocsf-cloudtrail.ts';
import { isOcsfVpcFlow, ocsfFlowFields } from './ocsf-flow.ts';
import { setOwn } from './own-field.ts';
import { parseStructText } from './struct-text.ts';

/** Columns of a Security Lake table: its OCSF events' class in a column of its own. */
export function isOcsfColumns(columns: Record<string, unknown>): boolean {
  return Object.hasOwn(columns, 'class_uid');
}

export function ocsfColumnsItem(columns: Record<string, unknown>, pos: string): Item {
  const event: Record<string, unknown> = {};
  for (const [name, cell] of Object.entries(columns)) setOwn(event, name, typeof cell === 'string' ? (parseStructText(cell) ?? cell) : cell);
  if (isOcsfVpcFlow(event)) return { t: 'flow', fields: ocsfFlowFields(event), pos };
  if (isOcsfCloudTrail(event)) {
    const { record, via } = ocsfRecord(event);
    return { t: 'rec', v: record, via };
  }
  if (isOcsfFinding(event)) return { t: 'finding', format: 'ocsf', list: [event], pos };
  return { t: 'rej', r: { position: pos, reason: "OCSF event that is neither CloudTrail's, a VPC flow log's nor a finding" } };
}
