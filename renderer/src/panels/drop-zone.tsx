// Files and folders dropped anywhere on the window start an import into the open case (desktop app).
// The browser must never navigate to a dropped file, so every drag over the window is taken here.
import { useEffect, useState } from 'react';
import type { JobStatus } from '../../../shared/api/types.ts';
import { call, importDroppedFiles } from '../api/client.ts';

const carriesFiles = (e: DragEvent) => Boolean(e.dataTransfer?.types.includes('Files'));

export function DropZone({ onImport, onError }: { onImport(job: JobStatus): void; onError(message: string): void }) {
  const [over, setOver] = useState(false);

  useEffect(() => {
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      depth++;
      setOver(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const overHandler = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const drop = async (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setOver(false);
      const files = [...(e.dataTransfer?.files ?? [])];
      if (!files.length) return;
      const r = await importDroppedFiles(files);
      if (!r.ok) return onError(r.error.message);
      const s = await call('job:status', { jobId: r.value.jobId });
      if (s.ok) onImport(s.value);
      else onError(s.error.message);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overHandler);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overHandler);
      window.removeEventListener('drop', drop);
    };
  }, [onImport, onError]);

  return over ? (
    <div className="drop-zone" role="status">
      Drop files or folders to import them into this case
    </div>
  ) : null;
}
