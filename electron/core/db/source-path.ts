// A source's path as the case keeps it (migration 0140): its folder, up to and with its last '/' or '\'
// ('' when it has none), kept once in strings, and its name. The writer and the migration split alike.

export function splitSourcePath(path: string): { folder: string; name: string } {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1;
  return { folder: path.slice(0, cut), name: path.slice(cut) };
}
