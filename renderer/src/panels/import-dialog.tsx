// Import files and folders into the open case. In browser mode the files live on the machine that
// runs `trailscope serve`, so the user types or pastes their paths there. In the desktop app files
// dropped on the window (or chosen from the File menu) open this dialog on their running import.
import { useEffect, useRef, useState } from 'react';
import type { JobStatus } from '../../../shared/api/types.ts';
import { call } from '../api/client.ts';
import { useJobStatus } from './use-job-status.ts';
import { InputsNotReadWhole, notReadWholeSummary } from './inputs-not-read-whole.tsx';

function duration(ms: number | null): string {
  if (ms === null) return 'estimating';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function ImportDialog({ onClose, initialJob = null }: { onClose(): void; initialJob?: JobStatus | null }) {
  const [paths, setPaths] = useState('');
  const [job, setJob] = useJobStatus(initialJob, 250);
  const [error, setError] = useState<string | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);


  const fraction = job && job.bytesTotal ? job.bytesDone / job.bytesTotal : null;
  return (
    <dialog ref={dialog} aria-labelledby="import-title" onClose={onClose} onCancel={onClose}>
      <h2 id="import-title">Import into this case</h2>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          const list = paths.split(/\r?\n/).map((p) => p.trim()).filter(Boolean);
          if (!list.length) return setError('Enter at least one path.');
          setError(null);
          const r = await call('import:start', { paths: list });
          if (!r.ok) return setError(r.error.message);
          const s = await call('job:status', { jobId: r.value.jobId });
          if (s.ok) setJob(s.value);
        }}
      >
        <label>
          Files or folders on the server (one path per line)
          <textarea value={paths} rows={4} cols={60} onChange={(e) => setPaths(e.target.value)} disabled={job?.state === 'running'} />
        </label>
        <div className="buttons">
          <button type="submit" disabled={job?.state === 'running'}>
            Start import
          </button>
          <button type="button" disabled={job?.state !== 'running'} onClick={async () => {
              if (!job) return;
              const r = await call('job:cancel', { jobId: job.jobId });
              if (r.ok) setJob(r.value);
            }}>
            Cancel import
          </button>
          <button type="button" onClick={() => dialog.current?.close()}>
            Close
          </button>
        </div>
      </form>
      {error ? <p role="alert">{error}</p> : null}
      {job ? (
        <div className="progress" aria-label="Import progress">
          <progress max={1} value={fraction ?? undefined} aria-label="Import progress" />
          <p role="status">
            {job.state === 'running' ? 'Importing' : job.state === 'done' ? 'Import finished' : job.state === 'cancelled' ? 'Import cancelled' : 'Import failed'}
            {`: ${job.filesDone}${job.filesTotal !== null ? ` of ${job.filesTotal}` : ''} files, ${job.records.toLocaleString('en')} events, ${job.flows.toLocaleString('en')} flow records`}
            {job.state === 'running' ? `, ${job.rate.toLocaleString('en')} records/s, ${duration(job.etaMs)} left` : ''}
            {job.rejectedFiles || job.partlyReadFiles ? `, ${notReadWholeSummary(job.rejectedFiles, job.partlyReadFiles, job.partlyReadRecords)}` : ''}
          </p>
          {job.current ? <p className="muted mono">{job.current}</p> : null}
          {job.error ? <p role="alert">{job.error}</p> : null}
          {job.notes.map((n) => (
            <p key={n} role="alert">
              {n}
            </p>
          ))}
          <InputsNotReadWhole rejected={job.rejected} rejectedFiles={job.rejectedFiles} partlyRead={job.partlyRead} partlyReadFiles={job.partlyReadFiles} />
        </div>
      ) : null}
    </dialog>
  );
}
