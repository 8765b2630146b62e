// npm run gen -- --events N --flows M --out DIR [--seed S] [--users U] [--instances I] [--hours H] [--start ISO] [--gzip-level L]
//   and the account shape knobs (README.md): --calls-per-key, --instance-key-hours, --lambdas, --ci-pipelines, --ecs-services,
//   --accounts, --redacted-keys, --unrecorded-issues, --s3-data-events, --records-per-file, --no-config, --flow-version, --ipv6
import { parseArgs } from 'node:util';
import { generateAccount } from './generate.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '5000' },
    flows: { type: 'string', default: '5000' },
    out: { type: 'string' },
    seed: { type: 'string', default: '1' },
    users: { type: 'string' },
    instances: { type: 'string' },
    hours: { type: 'string' },
    start: { type: 'string' },
    'gzip-level': { type: 'string' },
    'calls-per-key': { type: 'string' },
    'instance-key-hours': { type: 'string' },
    lambdas: { type: 'string' },
    'ci-pipelines': { type: 'string' },
    'ecs-services': { type: 'string' },
    'unrecorded-issues': { type: 'string' },
    's3-data-events': { type: 'string' },
    accounts: { type: 'string' },
    'redacted-keys': { type: 'string' },
    'records-per-file': { type: 'string' },
    'no-config': { type: 'boolean', default: false },
    'flow-version': { type: 'string' },
    ipv6: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help || !values.out) {
  console.log('usage: npm run gen -- --events N --flows M --out DIR [--seed S] [--users U] [--instances I] [--hours H] [--start ISO] [--gzip-level 1-9]');
  console.log('       [--calls-per-key N] [--instance-key-hours H] [--lambdas N] [--ci-pipelines N] [--ecs-services N] [--accounts N] [--redacted-keys 0-1] [--unrecorded-issues 0-1] [--s3-data-events 0-1] [--records-per-file N] [--no-config] [--flow-version 2|5] [--ipv6 0-1]');
  process.exit(values.help ? 0 : 2);
}

const int = (v: string | undefined, name: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer`);
    process.exit(2);
  }
  return n;
};

const num = (v: string | undefined, name: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`--${name} must be a non-negative number`);
    process.exit(2);
  }
  return n;
};

const seed = /^\d+$/.test(values.seed!) ? Number(values.seed) : values.seed!;
const shape = {
  callsPerKey: int(values['calls-per-key'], 'calls-per-key'),
  instanceKeyHours: num(values['instance-key-hours'], 'instance-key-hours'),
  lambdas: int(values.lambdas, 'lambdas'),
  ciPipelines: int(values['ci-pipelines'], 'ci-pipelines'),
  ecsServices: int(values['ecs-services'], 'ecs-services'),
  accounts: int(values.accounts, 'accounts'),
  redactedKeys: num(values['redacted-keys'], 'redacted-keys'),
  unrecordedIssues: num(values['unrecorded-issues'], 'unrecorded-issues'),
  s3DataEvents: num(values['s3-data-events'], 's3-data-events'),
  ipv6: num(values.ipv6, 'ipv6'),
  recordsPerFile: int(values['records-per-file'], 'records-per-file'),
  config: values['no-config'] ? false : undefined,
  flowVersion: values['flow-version'] === undefined ? undefined : (Number(values['flow-version']) as 2 | 5),
};
const t0 = performance.now();
try {
  const summary = await generateAccount({
    out: values.out,
    events: int(values.events, 'events')!,
    flows: int(values.flows, 'flows')!,
    seed,
    users: int(values.users, 'users'),
    instances: int(values.instances, 'instances'),
    hours: int(values.hours, 'hours'),
    start: values.start,
    gzipLevel: int(values['gzip-level'], 'gzip-level'),
    shape,
  });
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(JSON.stringify({ ...summary, seconds: Number(secs) }, null, 2));
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
