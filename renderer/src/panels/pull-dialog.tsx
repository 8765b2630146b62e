// Pull a live AWS account into the open case. The dialog sends names only (a profile, regions, a
// window, what to pull): credentials are resolved by the app's own process through the standard
// AWS chain and never reach this page. Choosing a profile first checks who it signs in as (STS
// GetCallerIdentity, run by the app): Start waits for that account, and the pull refuses to run as
// any other. Progress is polled per collector and region.
import { useEffect, useRef, useState } from 'react';
import type { JobStatus, PullCollectorStatus, PullIdentity } from '../../../shared/api/types.ts';
import { PULL_WHAT } from '../../../shared/api/pull-what.ts';
import { AWS_REGIONS } from '../../../shared/api/aws-regions.ts';
import { call } from '../api/client.ts';
import { useJobStatus } from './use-job-status.ts';
import { AthenaFields, EMPTY_ATHENA, athenaOptions, type AthenaDraft } from './pull-athena-fields.tsx';

const WHAT_LABELS: Record<(typeof PULL_WHAT)[number], string> = {
  cloudtrail: 'CloudTrail events',
  flows: 'VPC flow logs',
  config: 'Configuration (EC2, IAM)',
};

const STATUS_TEXT: Record<PullCollectorStatus['status'], string> = {
  running: 'running',
  done: 'done',
  denied: 'denied',
  failed: 'failed',
  cancelled: 'cancelled',
};

function stateText(job: JobStatus): string {
  if (job.state === 'running') return 'Pulling';
  if (job.state === 'done') return job.pull?.collectors.some((c) => c.status !== 'done') ? 'Pull finished with problems' : 'Pull finished';
  return job.state === 'cancelled' ? 'Pull cancelled' : 'Pull failed';
}

/** The "Check account" step: null before any answer, `checking` while STS is asked. */
type Check = { profile: string; state: 'checking' } | { profile: string; state: 'done'; identity: PullIdentity };

function AccountCheck({ check, onRecheck, disabled }: { check: Check | null; onRecheck(): void; disabled: boolean }) {
  const who = (profile: string) => (profile ? `profile "${profile}"` : 'the default chain');
  const identity = check?.state === 'done' ? check.identity : null;
  return (
    <div role="region" aria-label="Account" aria-live="polite" aria-busy={check?.state === 'checking'} className="account-check">
      {check === null || check.state === 'checking' ? <p className="muted">Checking which account {who(check?.profile ?? '')} signs in to…</p> : null}
      {identity?.account ? (
        <p>
          Account <strong className="mono">{identity.account}</strong> <span className="muted">as</span> <span className="mono">{identity.arn}</span>
        </p>
      ) : null}
      {identity?.error ? (
        <p role="alert" style={{ color: '#991b1b' }}>
          {identity.error}
        </p>
      ) : null}
      <button type="button" onClick={onRecheck} disabled={disabled || check?.state === 'checking'}>
        Check account
      </button>
    </div>
  );
}

export function PullDialog({ onClose, initialJob = null }: { onClose(): void; initialJob?: JobStatus | null }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [profiles, setProfiles] = useState<string[] | null>(null);
  // '' is the default credential chain (environment, then AWS_PROFILE or the default profile).
  const [profile, setProfile] = useState('');
  const [check, setCheck] = useState<Check | null>(null);
  const checkSeq = useRef(0);
  const [athena, setAthena] = useState<AthenaDraft>(EMPTY_ATHENA);
  const [allRegions, setAllRegions] = useState(false);
  const [regions, setRegions] = useState<Set<string>>(new Set(['us-east-1']));
  const [since, setSince] = useState('7d');
  const [until, setUntil] = useState('');
  const [what, setWhat] = useState<Set<string>>(new Set(PULL_WHAT));
  const [bucket, setBucket] = useState('');
  const [job, setJob] = useJobStatus(initialJob, 300);
  const [error, setError] = useState<string | null>(null);
  const running = job?.state === 'running';

  useEffect(() => {
    dialog.current?.showModal();
    void call('pull:profiles', {}).then((r) => {
      if (!r.ok) return setError(r.error.message);
      setProfiles(r.value.profiles);
    });
  }, []);

  // Every profile chosen is checked at once; an answer for a profile no longer chosen is dropped.
  async function checkAccount(name: string) {
    const seq = ++checkSeq.current;
    setCheck({ profile: name, state: 'checking' });
    const r = await call('pull:identity', name ? { profile: name } : {});
    if (seq !== checkSeq.current) return;
    const identity: PullIdentity = r.ok ? r.value : { profile: name || null, account: null, arn: null, error: r.error.message };
    setCheck({ profile: name, state: 'done', identity });
  }
  useEffect(() => {
    void checkAccount(profile);
  }, [profile]);
  const checked = check?.state === 'done' && check.profile === profile ? check.identity.account : null;


  const toggle = (set: Set<string>, value: string, on: boolean) => {
    const next = new Set(set);
    if (on) next.add(value);
    else next.delete(value);
    return next;
  };

  async function start() {
    const chosen = allRegions ? ['all'] : [...regions];
    if (!chosen.length) return setError('Choose at least one region.');
    if (!what.size && !athena.on) return setError('Choose what to pull, or an Athena slice.');
    if (!checked) return setError('Check the account first.');
    setError(null);
    const r = await call('pull:start', {
      profile: profile || undefined,
      account: checked,
      regions: chosen,
      since: since.trim(),
      until: until.trim() || undefined,
      what: PULL_WHAT.filter((w) => what.has(w)),
      trailBucket: bucket.trim() || undefined,
      athena: athenaOptions(athena),
    });
    if (!r.ok) return setError(r.error.message);
    const s = await call('job:status', { jobId: r.value.jobId });
    if (s.ok) setJob(s.value);
  }

  const collectors = job?.pull?.collectors ?? [];
  const finished = collectors.filter((c) => c.status !== 'running').length;
  const rejected = collectors.reduce((n, c) => n + c.rejected, 0);
  return (
    <dialog ref={dialog} aria-labelledby="pull-title" className="pull-dialog" onClose={onClose} onCancel={onClose}>
      <h2 id="pull-title">Pull from AWS</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <fieldset disabled={running}>
          <label>
            Profile
            <select value={profile} onChange={(e) => setProfile(e.target.value)}>
              <option value="">Default chain (environment, AWS_PROFILE, default profile)</option>
              {profiles?.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
          <AccountCheck check={check} onRecheck={() => void checkAccount(profile)} disabled={running} />
          <fieldset className="regions">
            <legend>Regions</legend>
            <label className="check">
              <input type="checkbox" checked={allRegions} onChange={(e) => setAllRegions(e.target.checked)} />
              All regions enabled in the account
            </label>
            <div className="region-grid">
              {AWS_REGIONS.map((r) => (
                <label key={r} className="check">
                  <input type="checkbox" disabled={allRegions} checked={!allRegions && regions.has(r)} onChange={(e) => setRegions(toggle(regions, r, e.target.checked))} />
                  {r}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="row">
            <label>
              Since (7d, 12h or a date)
              <input value={since} onChange={(e) => setSince(e.target.value)} required />
            </label>
            <label>
              Until (empty for now)
              <input value={until} onChange={(e) => setUntil(e.target.value)} placeholder="now" />
            </label>
          </div>
          <fieldset>
            <legend>What to pull</legend>
            {PULL_WHAT.map((w) => (
              <label key={w} className="check">
                <input type="checkbox" checked={what.has(w)} onChange={(e) => setWhat(toggle(what, w, e.target.checked))} />
                {WHAT_LABELS[w]}
              </label>
            ))}
          </fieldset>
          <label>
            Trail bucket (optional: read CloudTrail from S3 instead of LookupEvents)
            <input value={bucket} onChange={(e) => setBucket(e.target.value)} placeholder="my-org-cloudtrail" />
          </label>
          <AthenaFields draft={athena} onChange={setAthena} />
        </fieldset>
        <div className="buttons">
          <button type="submit" disabled={running || !checked} title={checked ? `Pull account ${checked}` : 'Check the account first'}>
            Start pull
          </button>
          <button
            type="button"
            disabled={!running}
            onClick={async () => {
              if (!job) return;
              const r = await call('job:cancel', { jobId: job.jobId });
              if (r.ok) setJob(r.value);
            }}
          >
            Cancel pull
          </button>
          <button type="button" onClick={() => dialog.current?.close()}>
            Close
          </button>
        </div>
      </form>
      {error ? <p role="alert">{error}</p> : null}
      {job ? (
        <div className="progress">
          <progress max={Math.max(1, collectors.length)} value={running ? finished : Math.max(1, collectors.length)} aria-label="Pull progress" />
          <p role="status">
            {`${stateText(job)}: ${job.records.toLocaleString('en')} events, ${job.flows.toLocaleString('en')} flow records`}
            {job.pull?.account ? ` from account ${job.pull.account}` : ''}
            {collectors.length ? `, ${finished} of ${collectors.length} collectors finished` : ''}
            {job.duplicates ? `, ${job.duplicates.toLocaleString('en')} records already in the case` : ''}
            {rejected ? `, ${rejected.toLocaleString('en')} records rejected` : ''}
          </p>
          {job.pull?.arn ? <p className="muted mono">Signed in as {job.pull.arn}</p> : null}
          {job.pull?.notes.map((n) => (
            <p key={n} className="muted">
              {n}
            </p>
          ))}
          {job.error ? <p role="alert">{job.error}</p> : null}
          {collectors.length ? (
            <table className="collectors">
              <caption>Collectors</caption>
              <thead>
                <tr>
                  <th scope="col">Collector</th>
                  <th scope="col">Region</th>
                  <th scope="col">Status</th>
                  <th scope="col">Stored</th>
                  <th scope="col">Rejected</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {collectors.map((c) => (
                  <tr key={`${c.collector}@${c.region}`} className={`status-${c.status}`}>
                    <td className="mono">{c.collector}</td>
                    <td>{c.region}</td>
                    <td>{STATUS_TEXT[c.status]}</td>
                    <td>{c.stored.toLocaleString('en')}</td>
                    <td>{c.rejected ? c.rejected.toLocaleString('en') : ''}</td>
                    <td>{c.status === 'denied' && c.permission ? `Needs permission ${c.permission}` : (c.message ?? '')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      ) : null}
    </dialog>
  );
}
