// How a `trailscope` command reaches a case: through the same service as the app (open-workbench.ts,
// `invoke` over the contract's dispatcher), so a command is flag parsing plus formatting of a call's
// answer. A refused input is the user's to fix (exit 2, like a usage error); other failures exit 1.
import { openWorkbench } from '../core/api/open-workbench.ts';
import { ServiceError, type Invoke } from '../core/api/service.ts';
import { UsageError } from './command.ts';
import type { SearchHit } from '../../shared/engine-types.ts';

export type CaseServiceOptions = { writes?: boolean; author?: string };

export async function withCase<T>(casePath: string, options: CaseServiceOptions, use: (invoke: Invoke) => Promise<T>): Promise<T> {
  const workbench = openWorkbench(casePath, { cli: { writes: options.writes ?? false, author: options.author } });
  try {
    return await use(workbench.invoke);
  } catch (err) {
    if (err instanceof ServiceError && err.kind === 'invalid-input') throw new UsageError(err.message);
    throw err;
  } finally {
    await workbench.close();
  }
}

/** What the search box would find for an id the case does not know (a typo, another account's resource). */
export function closeMatches(invoke: Invoke, query: string): Promise<SearchHit[]> {
  return invoke('graph:search', { query: query.slice(0, 512), limit: 8 });
}
