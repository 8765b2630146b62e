// trailscope pull --case FILE [--profile P] --regions R1,R2|all [--since 7d|DATE] [--until DATE]
//   [--what cloudtrail,flows,config] [--trail-bucket B] [--athena-database D --athena-table T --athena-workgroup W
//   [--athena-principal ARN]... [--athena-resource ID]... [--athena-event NAME]... [--athena-output s3://…]]
// Pulls a live AWS account into a case. Progress per collector and region on stderr; a summary on stdout.
import { resolve } from 'node:path';
import { EXIT_OK, EXIT_PARTIAL, UsageError, type CliCommand } from '../command.ts';
import { parseFlags, requireString } from '../parse-flags.ts';
import { openCase } from '../../core/db/open-case.ts';
import { COLLECTOR_GROUPS, parseWhen, pullAccount, redact, type CollectorGroup, type PullEvent, type PullProgress } from '../../core/pull/index.ts';

export const command: CliCommand = {
  name: 'pull',
  summary: 'Pull CloudTrail, flow logs and configuration from a live AWS account into a case file',
  usage:
    'trailscope pull --case FILE [--profile P] --regions R1,R2|all [--since 7d|DATE] [--until DATE] [--what cloudtrail,flows,config] ' +
    '[--trail-bucket B] [--athena-database D --athena-table T --athena-workgroup W [--athena-principal ARN] [--athena-resource ID] [--athena-event NAME]] [--json]',
  calls: [],
  mirrors: { calls: ['pull:start', 'pull:identity', 'pull:profiles', 'job:status', 'job:cancel'], why: 'pulls in this process with a progress bar and stops cleanly on Ctrl-C' },
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      case: { type: 'string' },
      profile: { type: 'string' },
      regions: { type: 'string' },
      since: { type: 'string', default: '7d' },
      until: { type: 'string' },
      what: { type: 'string', default: 'cloudtrail,flows,config' },
      'trail-bucket': { type: 'string' },
      'athena-database': { type: 'string' },
      'athena-table': { type: 'string' },
      'athena-workgroup': { type: 'string', default: 'primary' },
      'athena-principal': { type: 'string', multiple: true },
      'athena-resource': { type: 'string', multiple: true },
      'athena-event': { type: 'string', multiple: true },
      'athena-output': { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    const casePath = requireString(values.case, '--case FILE');
    const regions = requireString(values.regions, '--regions R1,R2|all').split(',').map((r) => r.trim()).filter(Boolean);
    const what = values.what.split(',').map((w) => w.trim()).filter(Boolean);
    for (const w of what) if (!(COLLECTOR_GROUPS as readonly string[]).includes(w)) throw new UsageError(`--what: unknown ${JSON.stringify(w)} (use ${COLLECTOR_GROUPS.join(',')})`);
    let since: Date;
    let until: Date;
    try {
      since = parseWhen(values.since);
      until = values.until ? parseWhen(values.until) : new Date();
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    if (since >= until) throw new UsageError('--since must be before --until');
    const athenaDb = values['athena-database'];
    if (athenaDb && !values['athena-table']) throw new UsageError('--athena-database needs --athena-table');

    const db = openCase(resolve(casePath), { cacheMiB: 128 });
    let lastPrint = 0;
    const onEvent = (e: PullEvent) => {
      if (e.kind !== 'collector') return void io.stderr.write(redact(e.kind === 'account' ? `Account ${e.account} (${e.arn})` : e.text) + '\n');
      const p = e.progress;
      const now = Date.now();
      // Finished collectors always print; running ones at most twice a second.
      if (p.status !== 'running' || now - lastPrint > 500) {
        lastPrint = now;
        io.stderr.write(redact(formatProgress(p)) + '\n');
      }
    };
    try {
      const report = await pullAccount(
        db,
        {
          profile: values.profile,
          regions,
          since,
          until,
          what: what as CollectorGroup[],
          trailBucket: values['trail-bucket'],
          athena: athenaDb
            ? {
                database: athenaDb,
                table: values['athena-table']!,
                workgroup: values['athena-workgroup'],
                principals: values['athena-principal'],
                resources: values['athena-resource'],
                eventNames: values['athena-event'],
                outputLocation: values['athena-output'],
              }
            : undefined,
        },
        { signal: io.signal, onEvent },
      );
      if (values.json) io.stdout.write(redact(JSON.stringify(report)) + '\n');
      else {
        const lines = [`Account ${report.account} (${report.arn}), regions ${report.regions.join(', ')}`];
        for (const c of report.collectors) lines.push(formatProgress(c));
        if (report.cancelled) lines.push('Interrupted: run the same command again to resume.');
        io.stdout.write(redact(lines.join('\n')) + '\n');
      }
      if (report.cancelled) return 130;
      return report.collectors.some((c) => c.status !== 'done') ? EXIT_PARTIAL : EXIT_OK;
    } finally {
      db.close();
    }
  },
};

function formatProgress(p: PullProgress): string {
  const extra = [p.retries ? `${p.retries} retries` : '', p.throttled ? `${p.throttled} throttled` : '', p.message ?? ''].filter(Boolean).join(', ');
  return `${p.status.padEnd(9)} ${p.collector} [${p.region}] ${p.stored} stored${p.duplicates ? `, ${p.duplicates} already in case` : ''}` +
    `${p.rejected ? `, ${p.rejected} rejected` : ''}${extra ? ` (${extra})` : ''}`;
}
