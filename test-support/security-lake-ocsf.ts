// A CloudTrail record as Amazon Security Lake's CloudTrail table keeps it (source version 2, OCSF 1.1),
// field for field as the OCSF project's CloudTrail mapping lists them: what the reader of Security Lake
// exports is tested against. Fields the mapping has no place for go to `unmapped` as text, as a map of
// strings holds them.

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Top-level record fields the mapping does not place. */
const UNMAPPED = ['readOnly', 'managementEvent', 'sharedEventID', 'additionalEventData', 'tlsDetails', 'sessionCredentialFromConsole'];

export function asSecurityLakeOcsf(r: Obj): Obj {
  const ui = isObj(r.userIdentity) ? r.userIdentity : {};
  const ctx = isObj(ui.sessionContext) ? ui.sessionContext : {};
  const attributes = isObj(ctx.attributes) ? ctx.attributes : {};
  const issuer = isObj(ctx.sessionIssuer) ? ctx.sessionIssuer : {};
  const time = Date.parse(String(r.eventTime));
  const failed = r.errorCode !== undefined;
  const unmapped: Record<string, string> = {};
  for (const name of UNMAPPED) {
    const v = r[name];
    if (v === undefined) continue;
    if (name === 'tlsDetails' && isObj(v)) for (const [k, x] of Object.entries(v)) unmapped[`${name}.${k}`] = String(x);
    else unmapped[name] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  const drop = (o: Obj): Obj => JSON.parse(JSON.stringify(o)) as Obj;
  return drop({
    class_uid: 6003,
    class_name: 'API Activity',
    category_uid: 6,
    activity_id: 99,
    type_uid: 600399,
    severity_id: 1,
    status: failed ? 'Failure' : 'Success',
    time,
    time_dt: Number.isNaN(time) ? undefined : new Date(time).toISOString(),
    metadata: {
      version: '1.1.0',
      profiles: ['cloud', 'datetime'],
      uid: r.eventID,
      event_code: r.eventType,
      product: { name: 'CloudTrail', vendor_name: 'AWS', version: r.eventVersion, feature: { name: r.eventCategory } },
    },
    cloud: { provider: 'AWS', region: r.awsRegion, account: { uid: r.recipientAccountId } },
    api: {
      operation: r.eventName,
      version: r.apiVersion,
      service: { name: r.eventSource },
      request: { uid: r.requestID, data: r.requestParameters == null ? undefined : JSON.stringify(r.requestParameters) },
      response: { error: r.errorCode, message: r.errorMessage, data: r.responseElements == null ? undefined : JSON.stringify(r.responseElements) },
    },
    actor: {
      user: { type: ui.type, uid: ui.arn, uid_alt: ui.principalId, name: ui.userName, credential_uid: ui.accessKeyId, account: { uid: ui.accountId } },
      session: isObj(ui.sessionContext)
        ? { issuer: issuer.arn, created_time_dt: attributes.creationDate, is_mfa: attributes.mfaAuthenticated === undefined ? undefined : attributes.mfaAuthenticated === 'true' }
        : undefined,
      invoked_by: ui.invokedBy,
      idp: { name: ui.identityProvider ?? (isObj(ui.webIdFederationData) ? ui.webIdFederationData.federatedProvider : undefined) },
    },
    src_endpoint: /^[\d.:a-f]+$/i.test(String(r.sourceIPAddress)) ? { ip: r.sourceIPAddress, uid: r.vpcEndpointId } : { domain: r.sourceIPAddress, uid: r.vpcEndpointId },
    http_request: { user_agent: r.userAgent },
    resources: Array.isArray(r.resources) ? r.resources.filter(isObj).map((x) => ({ uid: x.ARN, type: x.type, owner: { account: { uid: x.accountId } } })) : undefined,
    unmapped,
  });
}
