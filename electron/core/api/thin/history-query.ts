// THIN QUERY (workbench-owned, see report): who changed a resource, used only until the engine's
// whoChanged is present. Mutating events on the resource in time order, the actor as recorded with
// the key-proven hop to whoever was issued the session's key, and the versions around each event.
import type { CaseDb } from '../../db/open-case.ts';
import type { WhoChangedResult, WhoChangedItem, ResolvedActor, ChainLink, ResourceVersionRef, IdentityKind } from '../../../../shared/engine-types.ts';
import type { ResourceType } from '../../../../shared/resource-ids.ts';

type Row = {
  id: number; event_id: string; event_time: number; event_name: string; event_source: string; aws_region: string | null;
  account_id: string | null; source_ip: string | null; user_agent: string | null; error_code: string | null; error_message: string | null;
  identity_type: string | null; identity_arn: string | null; access_key_id: string | null; touch: string;
};

function kindOf(type: string | null): IdentityKind {
  switch (type) {
    case 'IAMUser': return 'iam-user';
    case 'AssumedRole': return 'role-session';
    case 'Root': return 'root';
    case 'AWSService': return 'aws-service';
    case 'FederatedUser': return 'federated-user';
    case 'IdentityCenterUser': return 'identity-center-user';
    case 'AWSAccount': return 'aws-account';
    default: return 'unknown';
  }
}

function actorOf(db: CaseDb, r: Row): ResolvedActor {
  const first: ChainLink = {
    kind: kindOf(r.identity_type), id: r.identity_arn ?? 'unknown', label: r.identity_arn ?? 'unknown', accountId: r.account_id,
    accessKeyId: r.access_key_id, proof: 'proven', basis: 'identity', detail: 'as recorded on the event', issuedBy: null,
  };
  const chain = [first];
  let key = r.access_key_id;
  for (let hops = 0; key && hops < 5; hops++) {
    const c = db
      .prepare('SELECT c.kind, c.caller_arn, c.caller_type, c.caller_key, c.caller_ip, c.issued_at, e.event_id FROM credentials c LEFT JOIN event_rows e ON e.id = c.issued_event WHERE c.access_key_id = ?')
      .get(key) as { kind: string; caller_arn: string | null; caller_type: string | null; caller_key: string | null; caller_ip: string | null; issued_at: number | null; event_id: string | null } | undefined;
    if (!c || !c.caller_arn || c.kind === 'CreateAccessKey') break;
    chain.push({
      kind: kindOf(c.caller_type), id: c.caller_arn, label: c.caller_arn, accountId: null, accessKeyId: c.caller_key,
      proof: 'proven', basis: 'key', detail: `${key} issued by ${c.kind} to ${c.caller_arn}${c.caller_ip ? ` from ${c.caller_ip}` : ''}`,
      issuedBy: c.event_id ? { eventId: c.event_id, eventName: c.kind, eventTime: new Date(c.issued_at ?? 0).toISOString() } : null,
    });
    key = c.caller_key;
  }
  const last = chain[chain.length - 1];
  return { arn: r.identity_arn, origin: { kind: last.kind, id: last.id, label: last.label, accountId: last.accountId, proven: true }, chain, flags: [] };
}

function version(db: CaseDb, resourceId: string, eventRow: number, before: boolean, time: number): ResourceVersionRef | null {
  const v = (before
    ? db.prepare('SELECT v.id, v.origin, v.observed_at, v.config, e.event_id FROM resource_versions v LEFT JOIN event_rows e ON e.id = v.event WHERE v.resource_id = ? AND v.observed_at < ? ORDER BY v.observed_at DESC LIMIT 1').get(resourceId, time)
    : db.prepare('SELECT v.id, v.origin, v.observed_at, v.config, e.event_id FROM resource_versions v LEFT JOIN event_rows e ON e.id = v.event WHERE v.resource_id = ? AND v.event = ?').get(resourceId, eventRow)) as
    { id: number; origin: 'snapshot' | 'event'; observed_at: number; config: string; event_id: string | null } | undefined;
  if (!v) return null;
  return { versionId: v.id, origin: v.origin, observedAt: new Date(v.observed_at).toISOString(), eventId: v.event_id, config: JSON.parse(v.config) };
}

export function whoChangedThin(db: CaseDb, resourceId: string): WhoChangedResult {
  const res = db.prepare('SELECT id, type, name, arn FROM resources WHERE id = ?').get(resourceId) as { id: string; type: ResourceType; name: string | null; arn: string | null } | undefined;
  const rows = db
    .prepare(
      `SELECT e.id, e.event_id, e.event_time, e.event_name, e.event_source, e.aws_region, e.account_id, e.source_ip, e.user_agent, e.error_code, e.error_message,
              e.identity_type, e.identity_arn, e.access_key_id, er.touch
       FROM event_resources er JOIN events e ON e.id = er.event
       WHERE er.resource_id = ? AND er.touch NOT IN ('read', 'used') ORDER BY e.event_time, e.id LIMIT 1000`,
    )
    .all(resourceId) as Row[];
  const items: WhoChangedItem[] = rows.map((r) => ({
    eventId: r.event_id,
    eventTime: new Date(r.event_time).toISOString(),
    eventName: r.event_name,
    eventSource: r.event_source,
    awsRegion: r.aws_region,
    accountId: r.account_id,
    sourceIPAddress: r.source_ip,
    userAgent: r.user_agent,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    attempt: r.error_code !== null,
    touch: r.touch,
    actor: actorOf(db, r),
    change: { kind: 'other', summary: `${r.event_name} (${r.touch})` },
    before: version(db, resourceId, r.id, true, r.event_time),
    after: version(db, resourceId, r.id, false, r.event_time),
  }));
  return { resource: { id: resourceId, type: res?.type ?? null, name: res?.name ?? null, arn: res?.arn ?? null }, items };
}

export function actorOfEvent(db: CaseDb, eventRowId: number): ResolvedActor | null {
  const r = db
    .prepare("SELECT id, event_id, event_time, event_name, event_source, aws_region, account_id, source_ip, user_agent, error_code, error_message, identity_type, identity_arn, access_key_id, '' AS touch FROM events WHERE id = ?")
    .get(eventRowId) as Row | undefined;
  return r ? actorOf(db, r) : null;
}
