// VPC flow logs as Amazon Security Lake keeps them: OCSF Network Activity events (class 4001) whose
// metadata names Amazon VPC as the product, exported as JSON or in Security Lake's Parquet. Each is
// turned back into the flow log record's fields (the endpoints' addresses, ports and interface, the
// connection's protocol, flags and direction, the traffic's packets and bytes, the times in seconds,
// the action and log status) and read by the flow line parser's checks (FlowLineParser.readFields),
// as a text flow log's fields are. What OCSF does not map (the traffic path, the sublocation) is left
// empty.
import { ocsfFields } from './ocsf-fields.ts';

/** The flow log fields an OCSF flow event gives, in the order ocsfFlowFields returns their values. */
export const OCSF_FLOW_FIELDS = [
  'version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes',
  'start', 'end', 'action', 'log-status', 'vpc-id', 'subnet-id', 'instance-id', 'tcp-flags', 'type', 'pkt-srcaddr',
  'pkt-dstaddr', 'region', 'az-id', 'pkt-src-aws-service', 'pkt-dst-aws-service', 'flow-direction',
];

export type FlowFieldValue = string | number | null;

export const VIA_OCSF_FLOWS = 'Security Lake (OCSF) VPC flow log events: flow fields from OCSF, without the traffic path and sublocation it does not map';

/** An OCSF Network Activity event made from a VPC flow log record. */
export function isOcsfVpcFlow(o: Record<string, unknown>): boolean {
  return String(o.class_uid) === '4001' && ocsfFields(o).text('metadata.product.name') === 'Amazon VPC';
}

/** OCSF's action (and disposition) as the flow log's: Allowed is ACCEPT, Denied or Blocked REJECT. */
const ACTIONS = new Map([['allowed', 'ACCEPT'], ['denied', 'REJECT'], ['blocked', 'REJECT'], ['accept', 'ACCEPT'], ['reject', 'REJECT']]);
/** OCSF's connection direction as the flow log's flow-direction. */
const DIRECTIONS = new Map([['inbound', 'ingress'], ['outbound', 'egress'], ['ingress', 'ingress'], ['egress', 'egress']]);

/** The event's flow log fields, in OCSF_FLOW_FIELDS order; null where the event has none. */
export function ocsfFlowFields(o: Record<string, unknown>): FlowFieldValue[] {
  const f = ocsfFields(o);
  const value = (path: string): FlowFieldValue => {
    const v = f.value(path);
    return typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? v : null;
  };
  const either = (name: string) => value(`src_endpoint.${name}`) ?? value(`dst_endpoint.${name}`);
  const action = f.text('action') ?? f.text('disposition');
  const direction = f.text('connection_info.direction');
  return [
    value('metadata.product.version'),
    value('cloud.account.uid') ?? value('cloud.account_uid'),
    either('interface_uid'),
    value('src_endpoint.ip'),
    value('dst_endpoint.ip'),
    value('src_endpoint.port'),
    value('dst_endpoint.port'),
    value('connection_info.protocol_num'),
    value('traffic.packets'),
    value('traffic.bytes'),
    seconds(f.value('start_time')),
    seconds(f.value('end_time')),
    action === null ? null : (ACTIONS.get(action.toLowerCase()) ?? action),
    value('status_code'),
    either('vpc_uid'),
    either('subnet_uid'),
    either('instance_uid'),
    value('connection_info.tcp_flags'),
    value('connection_info.protocol_ver'),
    firstOf(f.value('src_endpoint.intermediate_ips')),
    firstOf(f.value('dst_endpoint.intermediate_ips')),
    value('cloud.region'),
    value('cloud.zone'),
    value('src_endpoint.svc_name'),
    value('dst_endpoint.svc_name'),
    direction === null ? null : (DIRECTIONS.get(direction.toLowerCase()) ?? direction),
  ];
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
