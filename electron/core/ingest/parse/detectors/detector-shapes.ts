// Recognises the findings of AWS's detectors by their keys: GuardDuty's own finding (GetFindings
// prints PascalCase, EventBridge and the S3 export camelCase), Security Hub's ASFF, and OCSF
// records as Security Lake stores them. Only the shape is checked here; every field is read (and
// bounded) by the normalizers in ../../normalize/detectors/.
import type { DetectorFormat } from '../../types.ts';
import { isOcsfCloudTrail } from '../exported/ocsf-cloudtrail.ts';
import { isOcsfVpcFlow } from '../exported/ocsf-flow.ts';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `o.name` or `o.Name`: GuardDuty's JSON comes in both casings. */
function either(o: Obj, camel: string): unknown {
  return o[camel] ?? o[camel[0].toUpperCase() + camel.slice(1)];
}

/** GuardDuty: a type, a resource and a service object (ASFF has none of these three). */
export function isGuardDutyFinding(o: Obj): boolean {
  return typeof either(o, 'type') === 'string' && isObj(either(o, 'resource')) && isObj(either(o, 'service'));
}

/** ASFF: a ProductArn, an Id and its Resources (or the schema version every ASFF finding carries). */
export function isAsffFinding(o: Obj): boolean {
  return typeof o.ProductArn === 'string' && typeof o.Id === 'string' && (Array.isArray(o.Resources) || o.SchemaVersion === '2018-10-08');
}

/**
 * An OCSF event of any class: a class_uid beside its metadata. Those made from CloudTrail records and
 * VPC flow log records (Security Lake's own tables) are records, not a detector's:
 * exported/ocsf-cloudtrail.ts and exported/ocsf-flow.ts.
 */
export function isOcsfEvent(o: Obj): boolean {
  return (typeof o.class_uid === 'number' || typeof o.class_uid === 'string') && isObj(o.metadata) && !isOcsfCloudTrail(o) && !isOcsfVpcFlow(o);
}

/** OCSF classes that are findings: Security Finding (1.0, deprecated later) and Detection Finding. */
export const OCSF_FINDING_CLASSES = new Set([2001, 2004]);

/** An OCSF event of a finding's class (its class as a number or as text, as a query tool prints it). */
export function isOcsfFinding(o: Obj): boolean {
  return isOcsfEvent(o) && OCSF_FINDING_CLASSES.has(Number(o.class_uid));
}

export function detectorFormatOf(o: Obj): DetectorFormat | null {
  if (isAsffFinding(o)) return 'asff';
  if (isGuardDutyFinding(o)) return 'guardduty';
  if (isOcsfEvent(o)) return 'ocsf';
  return null;
}

/** The findings list of an object (GetFindings output, an ASFF batch, BatchImportFindings input). */
export function findingsListOf(o: Obj): unknown[] | null {
  const list = o.Findings ?? o.findings;
  return Array.isArray(list) ? list : null;
}

export const DETECTOR_NAMES: Record<DetectorFormat, string> = {
  guardduty: 'GuardDuty finding',
  asff: 'Security Hub (ASFF) finding',
  ocsf: 'OCSF finding',
};
