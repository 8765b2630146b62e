// Switching the desktop window to another case. The new case is opened before the current one is
// closed, so a case that cannot be opened (a newer Trailscope's, a damaged or modified file) leaves
// the user on the case they had, with the reason in hand. No electron import here: tested in Node.

export type ClosableCase = { close(): Promise<void> };

export type SwitchOutcome<W> = { ok: true; workbench: W } | { ok: false; current: W | null; reason: string };

/**
 * Opens `path` with `open`; on success closes `current` and returns the new one. On failure `current`
 * stays open and is returned with the reason, which the caller shows.
 */
export async function switchCase<W extends ClosableCase>(current: W | null, path: string, open: (path: string) => W): Promise<SwitchOutcome<W>> {
  let next: W;
  try {
    next = open(path);
  } catch (err) {
    return { ok: false, current, reason: err instanceof Error ? err.message : String(err) };
  }
  await current?.close();
  return { ok: true, workbench: next };
}
