// Credential churn of busy accounts: Lambda functions whose every cold start assumes the execution
// role, CI pipelines (GitHub Actions through OIDC) whose every run assumes its deploy role, and ECS
// services whose every task assumes the task role. Each run gets a new key and keeps it for a handful
// of calls, so a month holds hundreds of thousands of keys: Lambda's and CI's behind a few session
// names, ECS's each behind a name of its own (the task's id). Only built when the account shape asks.
import type { Rng } from './prng.ts';
import type { Account, AccountShape, Role } from './types.ts';
import type { Actor } from './background.ts';
import { rotatingSession } from './background.ts';
import { MENUS } from './catalog.ts';
import { iamUniqueId } from './prng.ts';
import { assumedRoleIdentity, serviceIdentity } from './records.ts';
import { assumeRole, assumeRoleWithWebIdentity } from './sessions.ts';
import { isoSeconds } from './time-ip.ts';
import { UA } from './user-agents.ts';

const DAY = 86_400_000;
/** Calls one Lambda execution environment or one CI run makes when the shape does not say. */
const LAMBDA_CALLS_PER_RUN = 25;
const CI_CALLS_PER_RUN = 15;
const TASK_CALLS_PER_RUN = 20;
const SERVICES = ['checkout', 'catalog', 'inventory', 'shipping', 'recommendations', 'gateway'];
const FUNCTIONS = ['orders', 'billing', 'thumbnails', 'audit-export', 'webhooks', 'reports', 'search-index', 'notifications', 'etl', 'sessions'];
const JOBS = ['handler', 'worker', 'sync', 'processor'];
const REPOS = ['web', 'api', 'infra', 'mobile-backend', 'data-pipeline', 'payments', 'docs-site', 'auth'];
const GITHUB_OIDC = 'token.actions.githubusercontent.com';

function addRole(rng: Rng, account: Account, name: string, trust: unknown, policies: string[], startMs: number): Role {
  const role: Role = {
    name, path: '/', trust, policies,
    id: iamUniqueId(rng, 'AROA'),
    arn: `arn:aws:iam::${account.id}:role/${name}`,
    createDate: isoSeconds(startMs - rng.int(30, 600) * DAY),
  };
  account.roles.push(role);
  return role;
}

/** A public address of the kind AWS (Lambda outside a VPC) or GitHub's hosted runners (Azure) call from. */
function cloudIp(rng: Rng, firstOctets: readonly number[]): string {
  return `${rng.pick(firstOctets)}.${rng.int(16, 250)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

/** A role that the AWS service `service` may assume. */
function serviceTrust(service: string) {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] };
}

export function churnActors(rng: Rng, account: Account, shape: AccountShape, startMs: number): Actor[] {
  const actors: Actor[] = [];
  const acct = account.id;
  const always = { from: startMs, until: Number.POSITIVE_INFINITY };

  /**
   * Runs of a workload the AWS service `service` starts (a Lambda cold start, an ECS task): each run the
   * service assumes `role` under the session `named()` gives and its key makes `calls` calls from `ip()`.
   */
  const serviceRuns = (service: string, role: Role, calls: number, named: () => string, durationSeconds: number, ua: string, ip: () => string): Actor => ({
    weight: 6, menu: MENUS.lambda, ...always, errorRate: 0.004, readOnlyPrincipal: false, region: () => 'us-east-1',
    session: rotatingSession(calls, (t, out) => {
      const sessionName = named();
      const issued = assumeRole(rng, { account, time: t, region: 'us-east-1', caller: serviceIdentity(service), ip: service, ua: service, role, sessionName, durationSeconds });
      out.push(issued.record);
      return { identity: assumedRoleIdentity(acct, role, sessionName, issued.accessKeyId, t), expiresMs: issued.expiresMs, ua, ip: ip() };
    }),
  });

  for (let i = 0; i < (shape.lambdas ?? 0); i++) {
    const base = `${FUNCTIONS[i % FUNCTIONS.length]}-${JOBS[Math.floor(i / FUNCTIONS.length) % JOBS.length]}`;
    const name = i < FUNCTIONS.length * JOBS.length ? base : `${base}-${Math.floor(i / (FUNCTIONS.length * JOBS.length)) + 1}`;
    const role = addRole(rng, account, `${name}-lambda-role`, serviceTrust('lambda.amazonaws.com'),
      ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole', `arn:aws:iam::${acct}:policy/app-runtime`], startMs);
    const ua = i % 3 === 2 ? UA.lambdaPython : UA.lambdaNode;
    // A cold start: the Lambda service assumes the execution role; the session is named after the function.
    actors.push(serviceRuns('lambda.amazonaws.com', role, shape.callsPerKey ?? LAMBDA_CALLS_PER_RUN, () => name, 43200, ua, () => cloudIp(rng, [3, 18, 34, 52, 54])));
  }

  const provider = `arn:aws:iam::${acct}:oidc-provider/${GITHUB_OIDC}`;
  for (let i = 0; i < (shape.ciPipelines ?? 0); i++) {
    const repo = `example-corp/${REPOS[i % REPOS.length]}${i >= REPOS.length ? `-${Math.floor(i / REPOS.length) + 1}` : ''}`;
    const subject = `repo:${repo}:ref:refs/heads/main`;
    const role = addRole(rng, account, `gha-deploy-${repo.split('/')[1]}`, {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Federated: provider }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${GITHUB_OIDC}:aud`]: 'sts.amazonaws.com', [`${GITHUB_OIDC}:sub`]: subject } } }],
    }, ['arn:aws:iam::aws:policy/PowerUserAccess'], startMs);
    actors.push({
      weight: 4, menu: MENUS.terraform, ...always, errorRate: 0.003, readOnlyPrincipal: false, region: () => 'us-east-1',
      session: rotatingSession(shape.callsPerKey ?? CI_CALLS_PER_RUN, (t, out) => {
        // A run on a fresh hosted runner: a new address and a new key, and always the same session name.
        const ip = cloudIp(rng, [4, 13, 20, 40, 52]);
        const issued = assumeRoleWithWebIdentity(rng, { account, time: t, provider, subject, ip, ua: UA.githubOidc, role, sessionName: 'GitHubActions', durationSeconds: 3600 });
        out.push(issued.record);
        return { identity: assumedRoleIdentity(acct, role, 'GitHubActions', issued.accessKeyId, t, { webIdentityProvider: provider }), expiresMs: issued.expiresMs, ua: UA.githubCli, ip };
      }),
    });
  }
  for (let i = 0; i < (shape.ecsServices ?? 0); i++) {
    const name = `${SERVICES[i % SERVICES.length]}${i >= SERVICES.length ? `-${Math.floor(i / SERVICES.length) + 1}` : ''}`;
    const role = addRole(rng, account, `${name}-task-role`, serviceTrust('ecs-tasks.amazonaws.com'), [`arn:aws:iam::${acct}:policy/app-runtime`], startMs);
    const ua = i % 2 === 0 ? UA.lambdaNode.replace(/ exec-env\S+$/, ' exec-env/AWS_ECS_FARGATE') : UA.boto3;
    // A task starts: ECS assumes the task role, the session named after the task's id (32 hex digits).
    actors.push(serviceRuns('ecs-tasks.amazonaws.com', role, shape.callsPerKey ?? TASK_CALLS_PER_RUN, () => rng.hex(32), 21600, ua,
      () => `10.0.${rng.int(0, 15)}.${rng.int(4, 250)}`));
  }
  return actors;
}
