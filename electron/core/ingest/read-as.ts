// How a source was read, kept on its row (sources.read_as) so an analyst can judge what was mapped:
// "Logstash export: time from @timestamp", "Athena query result: struct columns parsed". Readers
// attach a note to each record they reshape; a source's notes are the distinct ones, a few at most.

const MAX_NOTES = 8;
const SEPARATOR = '; ';

/** `current` (the stored text, or null) with `notes` added, each once, in the order first seen. */
export function mergeReadAs(current: string | null, notes: Iterable<string>): string | null {
  const all = current ? current.split(SEPARATOR) : [];
  for (const note of notes) {
    if (all.length >= MAX_NOTES) break;
    const clean = note.replace(/[\u0000-\u001f\u007f]/g, ' ').replaceAll(SEPARATOR, ', ').slice(0, 160);
    if (clean !== '' && !all.includes(clean)) all.push(clean);
  }
  return all.length > 0 ? all.join(SEPARATOR) : null;
}
