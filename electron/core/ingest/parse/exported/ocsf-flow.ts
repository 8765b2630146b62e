// VPC flow logs as Amazon Security Lake keeps them: OCSF Network Activity events (class 4001) whose
// metadata names Amazon VPC as the product, exported as JSON or in Security Lake's Parquet. Each is
// turned back into the flow log record's fields (the endpoints' addresses, ports and interface, the
// connection's protocol, flags and direction, the traffic's packets and bytes, the times in seconds,
// the action and log status) and read by the flow line parser's checks (FlowLineParser.readFields),
// as a text flow log's fields are. What OCSF does not map (the traffic path, the sublocation) is left
// empty.
import { ocsfFields } from './ocsf-fields.ts';

export type FlowFieldValue = string | number | null;

export const VIA_OCSF_FLOWS = 'Security Lake (OCSF) VPC flow log events: flow fields from OCSF, without the traffic path and sublocation it does not map';

/** An OCSF Network Activity event made from a VPC flow log record. */
export function isOcsfVpcFlow(o: Record<string, unknown>): boolean {
  return (o.class_uid === 4001 || o.class_uid === '4001') && ocsfFields(o).text('metadata.product.name') === 'Amazon VPC';
}

/** OCSF's action (and disposition) as the flow log's: Allowed is ACCEPT, Denied or Blocked REJECT. */
const ACTIONS = new Map([['allowed', 'ACCEPT'], ['denied', 'REJECT'], ['blocked', 'REJECT'], ['accept', 'ACCEPT'], ['reject', 'REJECT']]);
/** OCSF's connection direction as the flow log's flow-direction. */
const DIRECTIONS = new Map([['inbound', 'ingress'], ['outbound', 'egress'], ['ingress', 'ingress'], ['egress', 'egress']]);

const named = (names: Map<string, string>) => (v: unknown): FlowFieldValue => (typeof v === 'string' && v !== '' ? (names.get(v.toLowerCase()) ?? v) : null);
const plain = (v: unknown): FlowFieldValue => (typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? v : null);

/**
 * Each flow log field an OCSF flow event gives: the paths that may hold it (the first with a value
 * wins; an endpoint's interface, VPC, subnet and instance are the source's, else the destination's), and
 * how its value becomes the field's.
 */
const MAPPING: [field: string, paths: string[], value: (v: unknown) => FlowFieldValue][] = [
  ['version', ['metadata.product.version'], plain],
  ['account-id', ['cloud.account.uid', 'cloud.account_uid'], plain],
  ['interface-id', ['src_endpoint.interface_uid', 'dst_endpoint.interface_uid'], plain],
  ['srcaddr', ['src_endpoint.ip'], plain],
  ['dstaddr', ['dst_endpoint.ip'], plain],
  ['srcport', ['src_endpoint.port'], plain],
  ['dstport', ['dst_endpoint.port'], plain],
  ['protocol', ['connection_info.protocol_num'], plain],
  ['packets', ['traffic.packets'], plain],
  ['bytes', ['traffic.bytes'], plain],
  ['start', ['start_time'], seconds],
  ['end', ['end_time'], seconds],
  ['action', ['action', 'disposition'], named(ACTIONS)],
  ['log-status', ['status_code'], plain],
  ['vpc-id', ['src_endpoint.vpc_uid', 'dst_endpoint.vpc_uid'], plain],
  ['subnet-id', ['src_endpoint.subnet_uid', 'dst_endpoint.subnet_uid'], plain],
  ['instance-id', ['src_endpoint.instance_uid', 'dst_endpoint.instance_uid'], plain],
  ['tcp-flags', ['connection_info.tcp_flags'], plain],
  ['type', ['connection_info.protocol_ver'], plain],
  ['pkt-srcaddr', ['src_endpoint.intermediate_ips'], firstOf],
  ['pkt-dstaddr', ['dst_endpoint.intermediate_ips'], firstOf],
  ['region', ['cloud.region'], plain],
  ['az-id', ['cloud.zone'], plain],
  ['pkt-src-aws-service', ['src_endpoint.svc_name'], plain],
  ['pkt-dst-aws-service', ['dst_endpoint.svc_name'], plain],
  ['flow-direction', ['connection_info.direction'], named(DIRECTIONS)],
];

/** The flow log fields an OCSF flow event gives, in the order ocsfFlowFields returns their values. */
export const OCSF_FLOW_FIELDS = MAPPING.map(([field]) => field);

/** The event's flow log fields, in OCSF_FLOW_FIELDS order; null where the event has none. */
export function ocsfFlowFields(o: Record<string, unknown>): FlowFieldValue[] {
  const f = ocsfFields(o);
  return MAPPING.map(([, paths, value]) => {
    for (const path of paths) {
      const v = value(f.value(path));
      if (v !== null) return v;
    }
    return null;
  });
}

/** OCSF times are epoch milliseconds; a flow log's are seconds. Anything else is handed on to be refused. */
function seconds(v: unknown): FlowFieldValue {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? Math.floor(v / 1000) : v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Math.floor(Number(v) / 1000);
  return typeof v === 'string' && v !== '' ? v : null;
}

/** A packet-level address: the first of the endpoint's intermediate addresses, when it has one. */
function firstOf(v: unknown): FlowFieldValue {
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' && first !== '' ? first : null;
}
