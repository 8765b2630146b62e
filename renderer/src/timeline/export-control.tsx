// Export of the current timeline selection (filters and window) as CSV, JSONL or Markdown.
import { useState } from 'react';
import { call } from '../api/client.ts';
import { saveFile } from '../api/save-file.ts';
import { useStore } from '../store.ts';

export function ExportControl() {
  const [format, setFormat] = useState<'csv' | 'jsonl' | 'markdown'>('csv');
  const [note, setNote] = useState('');
  return (
    <span className="export">
      <label>
        Export format
        <select value={format} onChange={(e) => setFormat(e.target.value as typeof format)}>
          <option value="csv">CSV</option>
          <option value="jsonl">JSONL (Timesketch)</option>
          <option value="markdown">Markdown</option>
        </select>
      </label>
      <button
        type="button"
        onClick={async () => {
          setNote('Exporting…');
          const r = await call('export:timeline', { filter: useStore.getState().filter, format });
          if (!r.ok) return setNote(`Export failed: ${r.error.message}`);
          saveFile(r.value.filename, r.value.mime, r.value.content);
          const n = `${r.value.rows.toLocaleString('en')} ${r.value.rows === 1 ? 'event' : 'events'}`;
          // Past the API's size limit the export stops; the CLI streams any size to a file.
          setNote(
            r.value.truncated
              ? `Exported the first ${n} to ${r.value.filename}: the export reached its size limit. \`trailscope timeline --out FILE\` writes them all.`
              : `Exported ${n} to ${r.value.filename}`,
          );
        }}
      >
        Export
      </button>
      <span role="status">{note}</span>
    </span>
  );
}
