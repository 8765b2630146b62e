// The versions AWS Config recorded for a resource (ingest/normalize/config/aws-config-items.ts), set
// beside what the case's events say: each recorded version is explained by the successful changes
// since the previous one (and the CloudTrail events Config itself ties to it), or it is not; for a
// security group the rules replayed from those events are compared with the rules Config recorded.
// Each change event learns which recorded version followed it, or that none did.
import type { ConfigAgreement, ConfigRecordedVersion, SecurityGroupRule, WhoChangedItem } from '../../../../shared/engine-types.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { iso, stmt } from '../prepared.ts';
import { sameRule } from './sg-rules.ts';
import { sgVersions } from './sg-versions.ts';
import { configWithinBound, storedConfig } from './stored-config.ts';

const CONFIG_KIND = 'config:get-resource-config-history';
/** Recorded versions set beside the events: the latest ones, as who-changed lists the latest changes. */
const MAX_RECORDED_VERSIONS = 500;
/** A rule described for a difference, e.g. "ingress tcp 8080 from 10.0.0.0/8". */
function ruleText(r: SecurityGroupRule): string {
  const ports = r.fromPort === null ? 'all' : r.fromPort === r.toPort ? String(r.fromPort) : `${r.fromPort}-${r.toPort}`;
  const peer = r.cidr ?? r.ipv6Cidr ?? r.prefixListId ?? r.peerGroupId ?? '?';
  return `${r.direction} ${r.protocol === '-1' ? 'all' : r.protocol} ${ports} ${r.direction === 'ingress' ? 'from' : 'to'} ${peer}`;
}

/** A version whose text is too long to read (stored-config.ts) is still listed, with no configuration. */
type Stored = { id: number; time: number; config: string | null };
type Meta = { status?: unknown; stateId?: unknown; relatedEvents?: unknown };

export function configRecorded(db: CaseDb, resourceId: string, items: WhoChangedItem[]): ConfigRecordedVersion[] {
  const rows = (stmt(db, `SELECT v.id, v.observed_at AS time, CASE WHEN ${configWithinBound('v.config')} THEN v.config END AS config
    FROM resource_versions v JOIN sources s ON s.id = v.source_id WHERE v.resource_id = ? AND v.origin = 'snapshot' AND s.kind = ?
    ORDER BY v.observed_at DESC, v.id DESC LIMIT ${MAX_RECORDED_VERSIONS}`).all(resourceId, CONFIG_KIND) as Stored[]).reverse();
  if (rows.length === 0) return [];
  const changes = items.filter((it) => !it.attempt);
  const inCase = new Set<string>();
  const related = rows.flatMap((r) => relatedOf(configObject(r.config)));
  if (related.length) {
    for (const id of stmt(db, 'SELECT event_id FROM event_rows WHERE event_id IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify(related)) as string[]) inCase.add(id);
  }
  // For a security group, the rules replayed from events up to each recorded version (its `before`).
  const replayed = resourceId.startsWith('sg-') ? new Map(sgVersions(db, resourceId).filter((v) => v.origin === 'snapshot').map((v) => [v.versionId, v])) : null;

  const out: ConfigRecordedVersion[] = [];
  let previous: number | null = null;
  for (const r of rows) {
    const config = configObject(r.config);
    const meta = (config?.awsConfig ?? {}) as Meta;
    const relatedEvents = relatedOf(config);
    const relatedInCase = relatedEvents.filter((id) => inCase.has(id));
    const between = changes.filter((it) => Date.parse(it.eventTime) <= r.time && (previous === null || Date.parse(it.eventTime) > previous));
    let agreement: ConfigAgreement;
    let detail: string;
    const sg = replayed?.get(r.id);
    if (previous === null) {
      agreement = 'first';
      detail = `AWS Config's earliest version in the case (${String(meta.status ?? 'status not given')})`;
    } else if (between.length === 0 && relatedInCase.length === 0) {
      agreement = 'unexplained';
      detail = relatedEvents.length
        ? `AWS Config recorded a change caused by ${relatedEvents.join(', ')}, which the case does not hold: no event in the case explains it`
        : 'AWS Config recorded a change that no event in the case explains';
    } else if (sg?.before && sg.before.complete) {
      const recorded = sg.after.rules;
      const fromEvents = sg.before.rules;
      const missing = fromEvents.filter((a) => !recorded.some((b) => sameRule(a, b)));
      const extra = recorded.filter((a) => !fromEvents.some((b) => sameRule(a, b)));
      if (missing.length || extra.length) {
        agreement = 'differs';
        detail = [
          extra.length ? `Config has ${extra.map(ruleText).join(', ')} that the events do not add` : '',
          missing.length ? `the events leave ${missing.map(ruleText).join(', ')} that Config does not have` : '',
        ].filter(Boolean).join('; ');
      } else {
        agreement = 'agrees';
        detail = `the rules replayed from ${between.length} change${between.length === 1 ? '' : 's'} match the rules Config recorded`;
      }
    } else {
      agreement = 'agrees';
      detail = relatedInCase.length ? `Config ties it to ${relatedInCase.join(', ')}, in the case` : `${between.length} change${between.length === 1 ? '' : 's'} in the case since the previous version`;
    }
    out.push({
      versionId: r.id, capturedAt: iso(r.time)!, status: typeof meta.status === 'string' ? meta.status : null,
      stateId: typeof meta.stateId === 'string' ? meta.stateId : null, relatedEvents, relatedInCase,
      eventsBetween: between.map((it) => it.eventId), agreement, detail, config,
    });
    previous = r.time;
  }
  markItems(changes, out);
  return out;
}

/** Each successful change learns the first recorded version at or after it, or that Config recorded none after it. */
function markItems(changes: WhoChangedItem[], recorded: ConfigRecordedVersion[]): void {
  const first = Date.parse(recorded[0].capturedAt);
  const last = recorded[recorded.length - 1];
  for (const it of changes) {
    const t = Date.parse(it.eventTime);
    const next = recorded.find((v) => Date.parse(v.capturedAt) >= t);
    if (next) {
      it.recorded = { versionId: next.versionId, capturedAt: next.capturedAt, agreement: next.agreement, detail: next.detail };
    } else if (t > first) {
      it.recorded = { versionId: last.versionId, capturedAt: last.capturedAt, agreement: 'not-recorded', detail: `AWS Config recorded no version after this change (its last in the case is ${last.capturedAt})` };
    }
  }
}

function configObject(text: string | null): Record<string, unknown> | null {
  const v = storedConfig(text);
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function relatedOf(config: Record<string, unknown> | null): string[] {
  const meta = (config?.awsConfig ?? null) as Meta | null;
  return Array.isArray(meta?.relatedEvents) ? meta.relatedEvents.filter((e): e is string => typeof e === 'string') : [];
}
