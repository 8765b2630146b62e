// Progress of an ingest, reported at most every 100 ms: enough for a smooth bar, cheap for the writer.
export type IngestProgress = {
  phase: 'scanning' | 'reading' | 'indexing' | 'analysing' | 'done';
  filesTotal: number;
  filesDone: number;
  bytesTotal: number;
  bytesDone: number;
  events: number;
  flows: number;
  resources: number;
  rejected: number;
  currentPath: string | null;
  elapsedMs: number;
  /** Records (events + flows) a second so far. */
  rate: number;
  /** Estimated milliseconds left, from bytes read so far; null until there is a basis. */
  etaMs: number | null;
};

export function makeProgressReporter(onProgress: ((p: IngestProgress) => void) | undefined, intervalMs = 100) {
  const started = performance.now();
  let lastSent = 0;
  return (state: Omit<IngestProgress, 'elapsedMs' | 'rate' | 'etaMs'>, force = false): void => {
    if (!onProgress) return;
    const now = performance.now();
    if (!force && now - lastSent < intervalMs) return;
    lastSent = now;
    const elapsedMs = now - started;
    const rate = elapsedMs > 0 ? ((state.events + state.flows) * 1000) / elapsedMs : 0;
    const fraction = state.bytesTotal > 0 ? state.bytesDone / state.bytesTotal : 0;
    const etaMs = fraction > 0.01 && fraction < 1 ? (elapsedMs * (1 - fraction)) / fraction : fraction >= 1 ? 0 : null;
    onProgress({ ...state, elapsedMs, rate, etaMs });
  };
}
