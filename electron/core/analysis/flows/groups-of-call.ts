// The security groups one call gave an instance or an interface, read from its raw record. Pure.
// The response is preferred: RunInstances and CreateNetworkInterface echo, per instance and per
// interface, the groups actually applied (a request may name none and get the VPC's default group).
import { field, items, path, str, strings } from '../history/json-access.ts';

export const GROUP_SETTING_CALLS = ['RunInstances', 'CreateNetworkInterface', 'ModifyInstanceAttribute', 'ModifyNetworkInterfaceAttribute'];

/** Groups `resourceId` (i-… or eni-…) had right after the call, or null when the call does not say. */
export function groupsOfCall(raw: Record<string, unknown>, resourceId: string): string[] | null {
  const req = field(raw, 'requestParameters');
  const res = field(raw, 'responseElements');
  switch (str(raw.eventName)) {
    case 'RunInstances': {
      for (const inst of items(field(res, 'instancesSet'))) {
        const nis = items(field(inst, 'networkInterfaceSet'));
        if (str(field(inst, 'instanceId')) === resourceId) {
          const own = groupIds(field(inst, 'groupSet'));
          if (own.length) return own;
          // The primary interface's groups are the instance's.
          const primary = nis.find((n) => num0(path(n, 'attachment', 'deviceIndex'))) ?? nis[0];
          const g = primary ? groupIds(field(primary, 'groupSet')) : [];
          if (g.length) return g;
          return requestGroups(req);
        }
        for (const n of nis) {
          if (str(field(n, 'networkInterfaceId')) !== resourceId) continue;
          const g = groupIds(field(n, 'groupSet'));
          if (g.length) return g;
          const own = groupIds(field(inst, 'groupSet'));
          return own.length ? own : requestGroups(req);
        }
      }
      return null;
    }
    case 'CreateNetworkInterface': {
      const ni = field(res, 'networkInterface');
      if (str(field(ni, 'networkInterfaceId')) !== resourceId) return null;
      const g = groupIds(field(ni, 'groupSet'));
      return g.length ? g : groupIds(field(req, 'groupSet'));
    }
    case 'ModifyInstanceAttribute':
    case 'ModifyNetworkInterfaceAttribute': {
      const target = str(field(req, 'instanceId')) ?? str(field(req, 'networkInterfaceId'));
      if (target !== resourceId) return null;
      const g = groupIds(field(req, 'groupSet'));
      return g.length ? g : null;
    }
    default:
      return null;
  }
}

/** The instance an interface belongs to, when the call says: RunInstances' interfaces, AttachNetworkInterface. */
export function instanceOfInterfaceInCall(raw: Record<string, unknown>, eni: string): string | null {
  const req = field(raw, 'requestParameters');
  const res = field(raw, 'responseElements');
  switch (str(raw.eventName)) {
    case 'RunInstances':
      for (const inst of items(field(res, 'instancesSet'))) {
        if (items(field(inst, 'networkInterfaceSet')).some((n) => str(field(n, 'networkInterfaceId')) === eni)) return str(field(inst, 'instanceId'));
      }
      return null;
    case 'AttachNetworkInterface':
      return str(field(req, 'networkInterfaceId')) === eni ? str(field(req, 'instanceId')) : null;
    default:
      return null;
  }
}

function groupIds(set: unknown): string[] {
  return strings(set, 'groupId');
}

/** Groups named in the request: groupSet / securityGroupIdSet, or those of the first interface spec. */
function requestGroups(req: unknown): string[] {
  const direct = groupIds(field(req, 'groupSet'));
  if (direct.length) return direct;
  return [...new Set(items(field(req, 'networkInterfaceSet')).flatMap((n) => groupIds(field(n, 'groupSet'))))];
}

function num0(v: unknown): boolean {
  return v === 0 || v === '0';
}
