// Records as Amazon Security Lake keeps them (source version 2, OCSF 1.1): a CloudTrail record field
// for field as the OCSF project's CloudTrail mapping lists them (fields it has no place for go to
// `unmapped` as text, as a map of strings holds them), and a VPC flow log record as a Network Activity
// event. What the readers of Security Lake's exports are tested against.

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

/** A flow log record (its fields by the format's names, '-' for none) as a Security Lake Network Activity event. */
export function flowAsSecurityLakeOcsf(f: Record<string, string>): Obj {
  const text = (name: string) => (f[name] === undefined || f[name] === '-' ? undefined : f[name]);
  const number = (name: string) => (text(name) === undefined ? undefined : Number(text(name)));
  const ms = (name: string) => (text(name) === undefined ? undefined : Number(text(name)) * 1000);
  const endpoint = (side: 'src' | 'dst') => ({
    ip: text(`${side}addr`),
    port: number(`${side}port`),
    svc_name: text(`pkt-${side}-aws-service`),
    intermediate_ips: text(`pkt-${side}addr`) === undefined ? undefined : [text(`pkt-${side}addr`)],
    ...(side === 'src' ? { interface_uid: text('interface-id'), vpc_uid: text('vpc-id'), subnet_uid: text('subnet-id'), instance_uid: text('instance-id') } : {}),
  });
  const direction = text('flow-direction');
  const action = text('action');
  return JSON.parse(JSON.stringify({
    class_uid: 4001,
    class_name: 'Network Activity',
    category_uid: 4,
    activity_id: 6,
    activity_name: 'Traffic',
    type_uid: 400106,
    severity_id: 1,
    time: ms('end') ?? ms('start'),
    start_time: ms('start'),
    end_time: ms('end'),
    metadata: { version: '1.1.0', profiles: ['cloud', 'security_control', 'datetime'], product: { name: 'Amazon VPC', vendor_name: 'AWS', version: text('version'), feature: { name: 'Flowlogs' } } },
    cloud: { provider: 'AWS', region: text('region'), zone: text('az-id'), account: { uid: text('account-id') } },
    src_endpoint: endpoint('src'),
    dst_endpoint: endpoint('dst'),
    connection_info: {
      protocol_num: number('protocol'),
      tcp_flags: number('tcp-flags'),
      protocol_ver: text('type'),
      direction: direction === 'ingress' ? 'Inbound' : direction === 'egress' ? 'Outbound' : direction,
    },
    traffic: { packets: number('packets'), bytes: number('bytes') },
    action: action === 'ACCEPT' ? 'Allowed' : action === 'REJECT' ? 'Denied' : action,
    disposition: action === 'ACCEPT' ? 'Allowed' : action === 'REJECT' ? 'Blocked' : action,
    status_code: text('log-status'),
  })) as Obj;
}

/** A value as Athena prints a struct, map or array cell: {name=value, …}, [a, b], null; text unquoted. */
function athenaText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(athenaText).join(', ')}]`;
  if (isObj(v)) return `{${Object.entries(v).map(([k, x]) => `${k}=${athenaText(x)}`).join(', ')}}`;
  return String(v);
}

/** A cell as Athena gives it: structs as text, scalars as text, null as nothing. */
function athenaCell(v: unknown): string | undefined {
  return v === null || v === undefined ? undefined : isObj(v) || Array.isArray(v) ? athenaText(v) : String(v);
}

/** Security Lake events as Athena's console saves a query's results: a header, every cell quoted, structs as text, nulls empty. */
export function asAthenaCsv(events: Obj[]): string {
  const columns = [...new Set(events.flatMap((e) => Object.keys(e)))];
  const cell = (v: unknown) => `"${(athenaCell(v) ?? '').replaceAll('"', '""')}"`;
  return [columns.map((c) => `"${c}"`).join(','), ...events.map((e) => columns.map((c) => cell(e[c])).join(','))].join('\n') + '\n';
}

/** The same results as `aws athena get-query-results` prints them: the first row repeating the column names, a null cell without VarCharValue. */
export function asAthenaQueryResults(events: Obj[]): Obj {
  const columns = [...new Set(events.flatMap((e) => Object.keys(e)))];
  const row = (values: (string | undefined)[]) => ({ Data: values.map((v) => (v === undefined ? {} : { VarCharValue: v })) });
  return {
    ResultSet: {
      Rows: [row(columns), ...events.map((e) => row(columns.map((c) => athenaCell(e[c]))))],
      ResultSetMetadata: { ColumnInfo: columns.map((c) => ({ Name: c, Type: 'varchar' })) },
    },
  };
}
