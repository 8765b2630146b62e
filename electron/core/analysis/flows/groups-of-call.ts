// The security groups one call gave an instance or an interface, read from its raw record. Pure.
// The response is preferred: RunInstances and CreateNetworkInterface echo, per instance and per
// interface, the groups actually applied (a request may name none and get the VPC's default group).
import { items, member, path, str, strings } from '../../json-values.ts';

export const GROUP_SETTING_CALLS = ['RunInstances', 'CreateNetworkInterface', 'ModifyInstanceAttribute', 'ModifyNetworkInterfaceAttribute'];

/** Groups `resourceId` (i-… or eni-…) had right after the call, or null when the call does not say. */
export function groupsOfCall(raw: Record<string, unknown>, resourceId: string): string[] | null {
  const req = member(raw, 'requestParameters');
  const res = member(raw, 'responseElements');
  switch (str(raw.eventName)) {
    case 'RunInstances': {
      for (const inst of items(member(res, 'instancesSet'))) {
        const nis = items(member(inst, 'networkInterfaceSet'));
        if (str(member(inst, 'instanceId')) === resourceId) {
          const own = groupIds(member(inst, 'groupSet'));
          if (own.length) return own;
          // The primary interface's groups are the instance's.
          const primary = nis.find((n) => num0(path(n, 'attachment', 'deviceIndex'))) ?? nis[0];
          const g = primary ? groupIds(member(primary, 'groupSet')) : [];
          if (g.length) return g;
          return requestGroups(req);
        }
        for (const n of nis) {
          if (str(member(n, 'networkInterfaceId')) !== resourceId) continue;
          const g = groupIds(member(n, 'groupSet'));
          if (g.length) return g;
          const own = groupIds(member(inst, 'groupSet'));
          return own.length ? own : requestGroups(req);
        }
      }
      return null;
    }
    case 'CreateNetworkInterface': {
      const ni = member(res, 'networkInterface');
      if (str(member(ni, 'networkInterfaceId')) !== resourceId) return null;
      const g = groupIds(member(ni, 'groupSet'));
      return g.length ? g : groupIds(member(req, 'groupSet'));
    }
    case 'ModifyInstanceAttribute':
    case 'ModifyNetworkInterfaceAttribute': {
      const target = str(member(req, 'instanceId')) ?? str(member(req, 'networkInterfaceId'));
      if (target !== resourceId) return null;
      const g = groupIds(member(req, 'groupSet'));
      return g.length ? g : null;
    }
    default:
      return null;
  }
}

/** The instance an interface belongs to, when the call says: RunInstances' interfaces, AttachNetworkInterface. */
export function instanceOfInterfaceInCall(raw: Record<string, unknown>, eni: string): string | null {
  const req = member(raw, 'requestParameters');
  const res = member(raw, 'responseElements');
  switch (str(raw.eventName)) {
    case 'RunInstances':
      for (const inst of items(member(res, 'instancesSet'))) {
        if (items(member(inst, 'networkInterfaceSet')).some((n) => str(member(n, 'networkInterfaceId')) === eni)) return str(member(inst, 'instanceId'));
      }
      return null;
    case 'AttachNetworkInterface':
      return str(member(req, 'networkInterfaceId')) === eni ? str(member(req, 'instanceId')) : null;
    default:
      return null;
  }
}

/**
 * The addresses a call gave an interface: RunInstances' interfaces and CreateNetworkInterface's, their
 * primary and secondary private addresses and IPv6 addresses, as the response echoes them.
 */
export function addressesOfInterfaceInCall(raw: Record<string, unknown>, eni: string): string[] {
  const res = member(raw, 'responseElements');
  const specs = str(raw.eventName) === 'RunInstances' ? items(member(res, 'instancesSet')).flatMap((inst) => items(member(inst, 'networkInterfaceSet')))
    : str(raw.eventName) === 'CreateNetworkInterface' ? [member(res, 'networkInterface')] : [];
  const spec = specs.find((n) => str(member(n, 'networkInterfaceId')) === eni);
  return spec === undefined ? [] : interfaceSpecAddresses(spec);
}

/** An interface's primary and secondary private addresses and IPv6 addresses, as a response echoes them. */
function interfaceSpecAddresses(spec: unknown): string[] {
  const out = [str(member(spec, 'privateIpAddress')), ...strings(member(spec, 'privateIpAddressesSet'), 'privateIpAddress'), ...strings(member(spec, 'ipv6AddressesSet'), 'ipv6Address')];
  return [...new Set(out.filter((a): a is string => a !== null))];
}

/** Each instance a RunInstances response launched, with the addresses it gave the instance and its interfaces. */
export function addressesOfLaunch(raw: Record<string, unknown>): { instance: string; addresses: string[] }[] {
  if (str(raw.eventName) !== 'RunInstances') return [];
  const launched: { instance: string; addresses: string[] }[] = [];
  for (const inst of items(member(member(raw, 'responseElements'), 'instancesSet'))) {
    const instance = str(member(inst, 'instanceId'));
    if (instance === null) continue;
    const own = [str(member(inst, 'privateIpAddress')), str(member(inst, 'ipv6Address'))].filter((a): a is string => a !== null);
    launched.push({ instance, addresses: [...new Set([...own, ...items(member(inst, 'networkInterfaceSet')).flatMap(interfaceSpecAddresses)])] });
  }
  return launched;
}

function groupIds(set: unknown): string[] {
  return strings(set, 'groupId');
}

/** Groups named in the request: groupSet / securityGroupIdSet, or those of the first interface spec. */
function requestGroups(req: unknown): string[] {
  const direct = groupIds(member(req, 'groupSet'));
  if (direct.length) return direct;
  return [...new Set(items(member(req, 'networkInterfaceSet')).flatMap((n) => groupIds(member(n, 'groupSet'))))];
}

function num0(v: unknown): boolean {
  return v === 0 || v === '0';
}
