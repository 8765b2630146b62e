// One detector finding, as read, → the row the writer stores (or a reason it cannot be).
import type { DetectorFindingRow, DetectorFormat, NormalizeResult } from '../../types.ts';
import { normalizeAsff } from './asff.ts';
import { obj } from './detector-fields.ts';
import { normalizeGuardDuty } from './guardduty.ts';
import { normalizeOcsf } from './ocsf.ts';

export function normalizeDetectorFinding(format: DetectorFormat, v: unknown): NormalizeResult<DetectorFindingRow> {
  const o = obj(v);
  if (o === null) return { ok: false, reason: 'finding that is not a JSON object' };
  if (format === 'guardduty') return normalizeGuardDuty(o);
  if (format === 'asff') return normalizeAsff(o);
  return normalizeOcsf(o);
}
