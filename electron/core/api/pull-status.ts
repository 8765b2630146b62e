// Folds a pull's events into the job status the dialog polls: the account once STS has answered,
// one row per collector and region, notes, and event/flow totals. Every text is redacted again on
// its way in (the pull already redacts; this is the API's own guard).
import type { JobStatus, PullCollectorStatus, PullJobInfo } from '../../../shared/api/types.ts';
import { redact, type PullEvent, type PullProgress, type PullReport } from '../pull/index.ts';

export function emptyPullInfo(): PullJobInfo {
  return { account: null, arn: null, regions: [], collectors: [], notes: [] };
}

function row(p: PullProgress): PullCollectorStatus {
  const message = p.message ? redact(p.message).slice(0, 500) : null;
  return {
    collector: p.collector,
    region: p.region,
    status: p.status,
    stored: p.stored,
    duplicates: p.duplicates,
    rejected: p.rejected,
    requests: p.requests,
    retries: p.retries,
    permission: p.status === 'denied' ? (p.permission ?? null) : null,
    message,
  };
}

function totals(status: JobStatus, info: PullJobInfo): void {
  const sum = (keep: (collector: string) => boolean) => info.collectors.filter((c) => keep(c.collector)).reduce((n, c) => n + c.stored, 0);
  status.records = sum((c) => c.startsWith('cloudtrail:'));
  // flows:describe-flow-logs stores configuration documents, not flow records.
  status.flows = sum((c) => c.startsWith('flows:') && c !== 'flows:describe-flow-logs');
  status.duplicates = info.collectors.reduce((n, c) => n + c.duplicates, 0);
  const seconds = (Date.now() - status.startedAt) / 1000;
  status.rate = seconds > 0 ? Math.round((status.records + status.flows) / seconds) : 0;
  const running = info.collectors.filter((c) => c.status === 'running');
  status.current = running.length ? running.map((c) => `${c.collector} [${c.region}]`).slice(0, 3).join(', ') : null;
}

export function applyPullEvent(status: JobStatus, e: PullEvent): void {
  const info = (status.pull ??= emptyPullInfo());
  if (e.kind === 'account') {
    [info.account, info.arn] = [e.account, redact(e.arn)];
    return;
  }
  if (e.kind === 'note') {
    const note = redact(e.text);
    if (note && !info.notes.includes(note)) info.notes.push(note);
    return;
  }
  const p = e.progress;
  const next = row(p);
  const i = info.collectors.findIndex((c) => c.collector === p.collector && c.region === p.region);
  if (i < 0) info.collectors.push(next);
  else info.collectors[i] = next;
  if (!info.regions.includes(p.region) && p.region !== 'global') info.regions.push(p.region);
  totals(status, info);
}

export function applyPullReport(status: JobStatus, report: PullReport): void {
  const info = (status.pull ??= emptyPullInfo());
  info.account = report.account || info.account;
  info.arn = report.arn ? redact(report.arn) : info.arn;
  info.regions = [...report.regions];
  // The report is the final word on every collector; keep rows only progress knew about (none expected).
  const final = report.collectors.map(row);
  const seen = new Set(final.map((c) => `${c.collector}@${c.region}`));
  info.collectors = [...final, ...info.collectors.filter((c) => !seen.has(`${c.collector}@${c.region}`))];
  totals(status, info);
}
