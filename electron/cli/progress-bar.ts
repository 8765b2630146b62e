// A one-line progress bar on stderr (only when stderr is a terminal): counts, rate, ETA.
import type { IngestProgress } from '../core/ingest/progress.ts';

export function makeProgressBar(out: NodeJS.WritableStream & { columns?: number }) {
  let last = '';
  return {
    update(p: IngestProgress): void {
      const width = Math.max(10, Math.min(30, (out.columns ?? 80) - 70));
      const fraction = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : 0;
      const filled = Math.round(fraction * width);
      const eta = p.etaMs === null ? '--' : formatDuration(p.etaMs);
      const line =
        `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
        // Until the inputs are counted (reading goes on meanwhile: a cold disk takes a while) there is no total.
        `${p.filesDone}${p.phase === 'scanning' ? '' : `/${p.filesTotal}`} files  ${p.events} events  ${p.flows} flows  ` +
        `${Math.round(p.rate).toLocaleString('en-US')}/s  ETA ${eta}` +
        (p.rejected ? `  ${p.rejected} rejected` : '') +
        (p.phase === 'scanning' ? '  counting files…' : p.phase === 'indexing' ? '  building indexes…' : p.phase === 'analysing' ? '  resolving actors…' : '');
      if (line !== last) out.write(`\r${line}\x1b[K`);
      last = line;
    },
    finish(): void {
      if (last) out.write('\n');
    },
  };
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
