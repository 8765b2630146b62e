// A running job's status, polled until it ends; when it ends, the case's data version is bumped so
// every view that shows case data reloads (an import or a pull has added to it).
import { useEffect, useState } from 'react';
import type { JobStatus } from '../../../shared/api/types.ts';
import { call } from '../api/client.ts';
import { useStore } from '../store.ts';

export function useJobStatus(initial: JobStatus | null, intervalMs: number) {
  const [job, setJob] = useState<JobStatus | null>(initial);
  useEffect(() => {
    if (!job || job.state !== 'running') return;
    const timer = setTimeout(async () => {
      const r = await call('job:status', { jobId: job.jobId });
      if (r.ok) {
        setJob(r.value);
        if (r.value.state !== 'running') useStore.getState().set({ dataVersion: useStore.getState().dataVersion + 1 });
      }
    }, intervalMs);
    return () => clearTimeout(timer);
  }, [job, intervalMs]);
  return [job, setJob] as const;
}
