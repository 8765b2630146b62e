// Everyday account traffic: instance roles, CI, Terraform, engineers on the CLI and in the console,
// a cross-account auditor. Each actor keeps its current session and starts a new one (AssumeRole or
// ConsoleLogin record) when the old one has expired, so every ASIA key is issued before it is used.
import type { Rng } from './prng.ts';
import type { Account, Instance, Region, Role, User } from './types.ts';
import type { Cast } from './model.ts';
import type { Api, Menu } from './catalog.ts';
import { MENUS, pickApi } from './catalog.ts';
import type { CloudTrailRecord, Identity } from './records.ts';
import { assumedRoleIdentity, buildRecord, denied, serviceIdentity, userIdentity } from './records.ts';
import { assumeRole, consoleLogin } from './sessions.ts';
import { accessKeyId } from './prng.ts';
import { UA, cliCommand } from './user-agents.ts';
import type { AccountShape } from './types.ts';
import { churnActors } from './churn.ts';
import { S3DataEvents } from './s3-data-events.ts';

export type Session = { identity: Identity; expiresMs: number; ua: string; ip: string };

export type Actor = {
  weight: number;
  menu: Menu;
  /** Active from/until (ms); outside it the actor is skipped. */
  from: number;
  until: number;
  errorRate: number;
  readOnlyPrincipal: boolean;
  region: () => Region;
  /** Returns the session to use at time t, pushing a session-start record when one is needed. */
  session: (t: number, out: CloudTrailRecord[]) => Session;
  self?: Instance;
};

export type TrafficOptions = { startMs: number; endMs: number; victimInstanceUntil: number; shape?: AccountShape };

/**
 * A holder of temporary keys: asks `issue` for a new key when the current one has expired or has
 * made `callsPerKey` calls (1: a new key for every call).
 */
export function rotatingSession(callsPerKey: number, issue: (t: number, out: CloudTrailRecord[]) => Session): Actor['session'] {
  let current: Session | null = null;
  let uses = 0;
  return (t, out) => {
    if (!current || current.expiresMs <= t || uses >= callsPerKey) {
      current = issue(t, out);
      uses = 0;
    }
    uses++;
    return current;
  };
}

export class Traffic {
  private readonly actors: Actor[] = [];
  private readonly cumulative: number[] = [];
  private total = 0;
  private readonly rng: Rng;
  private readonly account: Account;
  /** S3 data events of the workloads (shape.s3DataEvents), or null. */
  private readonly objects: S3DataEvents | null;

  constructor(rng: Rng, account: Account, cast: Cast, opts: TrafficOptions) {
    this.rng = rng;
    this.account = account;
    const acct = account.id;
    const roleByName = new Map(account.roles.map((r) => [r.name, r]));
    const always = { from: opts.startMs, until: Number.POSITIVE_INFINITY };
    const callsPerKey = opts.shape?.callsPerKey ?? Number.POSITIVE_INFINITY;
    const instanceKeySeconds = Math.round((opts.shape?.instanceKeyHours ?? 6) * 3600);

    // Instance roles: EC2 fetches credentials for the instance profile (session named after the instance).
    for (const inst of account.instances) {
      const role = roleByName.get(inst.roleName)!;
      const vpc = account.vpcs.find((v) => v.id === inst.vpcId)!;
      const ip = inst.publicIp ?? vpc.natIp;
      const ua = inst.app === 'worker' || inst.app === 'api' ? UA.boto3 : UA.ssmAgent;
      const until = inst === cast.victimInstance ? opts.victimInstanceUntil : inst.terminatedAt ?? Number.POSITIVE_INFINITY;
      this.add({
        weight: 10, menu: MENUS.instance, from: inst.launchMs ?? opts.startMs, until, errorRate: 0.002, readOnlyPrincipal: false, self: inst,
        region: () => inst.region,
        session: rotatingSession(callsPerKey, (t, out) => {
          const issued = assumeRole(rng, { account, time: t, region: inst.region, caller: serviceIdentity('ec2.amazonaws.com'), ip: 'ec2.amazonaws.com', ua: 'ec2.amazonaws.com', role, sessionName: inst.id, durationSeconds: instanceKeySeconds });
          out.push(issued.record);
          return { identity: assumedRoleIdentity(acct, role, inst.id, issued.accessKeyId, t, { ec2: true }), expiresMs: issued.expiresMs, ua, ip };
        }),
      });
    }

    const usEast = (): Region => 'us-east-1';
    const mostlyUs = (): Region => (rng.chance(0.85) ? 'us-east-1' : 'eu-west-1');
    const direct = (user: User, ua: () => string, ips: string[]): ((t: number) => Session) => {
      const identity = userIdentity(acct, user, user.keys.find((k) => k.status === 'Active')?.id ?? user.keys[0]?.id);
      return () => ({ identity, expiresMs: Number.POSITIVE_INFINITY, ua: ua(), ip: rng.pick(ips) });
    };
    const roleSessions = (caller: User, role: Role, names: () => string, ua: () => string, ips: string[], seconds: number): Actor['session'] => {
      const callerId = userIdentity(acct, caller, caller.keys[0]?.id);
      return rotatingSession(callsPerKey, (t, out) => {
        const ip = rng.pick(ips);
        const agent = ua();
        const name = names();
        const issued = assumeRole(rng, { account, time: t, region: 'us-east-1', caller: callerId, ip, ua: agent, role, sessionName: name, durationSeconds: seconds });
        out.push(issued.record);
        return { identity: assumedRoleIdentity(acct, role, name, issued.accessKeyId, t), expiresMs: issued.expiresMs, ua: agent, ip };
      });
    };

    // The CI user: direct calls with its key, and deployment sessions in the prod admin role.
    const ci = cast.victimUser;
    const ciDirect = direct(ci, () => UA.goSdk, ci.ips);
    this.add({ weight: 8, menu: MENUS.ci, ...always, errorRate: 0.002, readOnlyPrincipal: false, region: usEast, session: (t) => ciDirect(t) });
    let deploy = 0;
    this.add({ weight: 10, menu: MENUS.terraform, ...always, errorRate: 0.002, readOnlyPrincipal: false, region: usEast,
      session: roleSessions(ci, cast.prodAdminRole, () => `ci-deploy-${1000 + deploy++}`, () => UA.terraform, ci.ips, 3600) });
    // Terraform plans through its role.
    let run = 0;
    this.add({ weight: 12, menu: MENUS.terraform, ...always, errorRate: 0.003, readOnlyPrincipal: false, region: mostlyUs,
      session: roleSessions(cast.terraformUser, cast.terraformRole, () => `terraform-run-${rng.hex(8)}-${run++}`, () => UA.terraform, cast.terraformUser.ips, 3600) });
    const monitoring = account.users.find((u) => u.name === 'monitoring')!;
    const monDirect = direct(monitoring, () => UA.boto3, monitoring.ips);
    this.add({ weight: 6, menu: MENUS.ops, ...always, errorRate: 0.01, readOnlyPrincipal: true, region: mostlyUs, session: (t) => monDirect(t) });

    // Engineers.
    const humans = account.users.filter((u) => u.kind === 'human-cli' || u.kind === 'human-console');
    const humanWeight = 40 / Math.max(1, humans.length);
    for (const user of humans) {
      const readOnly = user.groups.every((g) => g === 'ReadOnly');
      if (user.kind === 'human-cli') {
        const d = direct(user, () => UA.cli(rng, 'ec2.describe-instances'), user.ips);
        this.add({ weight: humanWeight * 0.6, menu: MENUS.ops, ...always, errorRate: readOnly ? 0.04 : 0.015, readOnlyPrincipal: readOnly, region: mostlyUs, session: (t) => d(t) });
        this.add({ weight: humanWeight * 0.4, menu: MENUS.ops, ...always, errorRate: 0.01, readOnlyPrincipal: true, region: mostlyUs,
          session: roleSessions(user, cast.readonlyRole, () => user.name, () => UA.cli(rng, 'ec2.describe-instances'), user.ips, 3600) });
      } else {
        let current: Session | null = null;
        const browser = rng.pick(UA.browser);
        this.add({ weight: humanWeight, menu: MENUS.console, ...always, errorRate: readOnly ? 0.03 : 0.01, readOnlyPrincipal: readOnly, region: mostlyUs,
          session: (t, out) => {
            if (!current || current.expiresMs <= t) {
              const ip = rng.pick(user.ips);
              if (rng.chance(0.08)) out.push(consoleLogin(rng, { account, time: t, user, ip, ua: browser, success: false }));
              else {
                out.push(consoleLogin(rng, { account, time: t, user, ip, ua: browser, success: true }));
                current = { identity: userIdentity(acct, user, accessKeyId(rng, 'ASIA'), { creationMs: t, mfa: user.mfa }), expiresMs: t + 8 * 3600_000, ua: browser, ip };
              }
            }
            return current ?? { identity: userIdentity(acct, user), expiresMs: 0, ua: browser, ip: user.ips[0] };
          } });
      }
    }

    // The external auditor's account assumes the audit role.
    const auditCaller: Identity = { type: 'AWSAccount', principalId: `${account.foreignRoleId}:auditor`, accountId: account.foreignId };
    this.add({ weight: 3, menu: MENUS.audit, ...always, errorRate: 0.02, readOnlyPrincipal: true, region: mostlyUs,
      session: rotatingSession(callsPerKey, (t, out) => {
        const issued = assumeRole(rng, { account, time: t, region: 'us-east-1', caller: auditCaller, ip: '18.206.107.24', ua: UA.boto3, role: cast.auditRole, sessionName: 'auditor', durationSeconds: 3600, externalId: 'audit-7f3c', crossAccount: true });
        out.push(issued.record);
        return { identity: assumedRoleIdentity(acct, cast.auditRole, 'auditor', issued.accessKeyId, t), expiresMs: issued.expiresMs, ua: UA.boto3, ip: '18.206.107.24' };
      }) });

    // Lambda functions and CI pipelines (only when the shape asks for them): keys issued per run.
    for (const actor of churnActors(rng, account, opts.shape ?? {}, opts.startMs)) this.add(actor);
    // Forked only when asked for, so that an account without the knob is generated byte for byte as before.
    const share = opts.shape?.s3DataEvents ?? 0;
    this.objects = share > 0 ? new S3DataEvents(rng.fork('s3-data'), acct, share) : null;
  }

  private add(actor: Actor): void {
    this.actors.push(actor);
    this.total += actor.weight;
    this.cumulative.push(this.total);
  }

  private pickActor(t: number): Actor {
    for (;;) {
      const x = this.rng.next() * this.total;
      let lo = 0;
      let hi = this.cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.cumulative[mid] > x) hi = mid;
        else lo = mid + 1;
      }
      const a = this.actors[lo];
      if (t >= a.from && t < a.until) return a;
    }
  }

  /** Appends one call at time t (plus a session start before it when needed); returns how many records were added. */
  step(t: number, out: CloudTrailRecord[], maxRecords: number): number {
    const rng = this.rng;
    const before = out.length;
    let actor = this.pickActor(t);
    const pending: CloudTrailRecord[] = [];
    let s = actor.session(t, pending);
    if (pending.length + 1 > maxRecords) {
      // Only room for one record: emit the session start alone, or a call of an actor with a live session.
      if (pending.length === maxRecords) {
        out.push(...pending);
        return pending.length;
      }
      pending.length = 0;
      actor = this.actors.find((a) => a.menu === MENUS.ci)!;
      s = actor.session(t, pending);
    }
    out.push(...pending);
    out.push(this.call(rng, actor, s, t + pending.length * 1000));
    return out.length - before;
  }

  private call(rng: Rng, actor: Actor, s: Session, t: number): CloudTrailRecord {
    if (this.objects && (actor.menu === MENUS.instance || actor.menu === MENUS.lambda) && this.objects.wanted()) return this.objects.call(s, t, actor.region());
    const api: Api = pickApi(rng, actor.menu);
    const region = api.global ? 'us-east-1' : actor.region();
    const ctx = { account: this.account, region: region as Region, self: actor.self, time: t };
    const arn = s.identity.arn as string;
    let error: [string, string] | undefined;
    if ((actor.readOnlyPrincipal && !api.readOnly) || rng.chance(actor.errorRate)) {
      error = denied(arn, api.action, '*', api.source === 'ec2.amazonaws.com');
    } else if (rng.chance(0.0015)) {
      error = ['ThrottlingException', 'Rate exceeded'];
    }
    const ua = s.ua.startsWith('aws-cli/') ? s.ua.replace(/md\/command#.*$/, `md/command#${cliCommand(api.source, api.name)}`) : s.ua;
    const consoleCall = actor.menu === MENUS.console;
    // Calls the console makes on the user's behalf are logged with "AWS Internal" as address and agent.
    const internal = consoleCall && rng.chance(0.3);
    return buildRecord(rng, {
      time: t,
      region,
      source: api.source,
      name: api.name,
      identity: s.identity,
      ip: internal ? 'AWS Internal' : s.ip,
      ua: internal ? UA.consoleInternal : ua,
      params: api.params(rng, ctx),
      response: api.response ? api.response(rng, ctx) : null,
      readOnly: api.readOnly,
      error,
      console: consoleCall,
      recipient: this.account.id,
    });
  }
}
