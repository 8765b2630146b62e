// Rows of a timeline sorted by another column than time (timeline:sorted): at most SORT_LIMIT of
// them, fetched by offset a page at a time as they come on screen. The first page (which carries the
// total) is fetched before the source exists, so the list knows its length from the start.
import type { TimelineFilterInput } from '../../../shared/api/index.ts';
import type { SortColumn, SortedTimelinePage } from '../../../shared/api/types.ts';
import type { TimelineRow } from '../../../shared/engine-types.ts';
import { call } from '../api/client.ts';

export const SORTED_PAGE = 500;

// A page of SORTED_PAGE rows from its offset. An answer may hold fewer (its character budget cut it):
// the rest of the page is asked for from where it stopped.
type Page = { rows: TimelineRow[]; loading: boolean };

export class SortedRowSource {
  readonly total: number;
  private readonly pages = new Map<number, Page>();
  private failed: string | null = null;

  constructor(
    private readonly filter: TimelineFilterInput,
    private readonly by: SortColumn,
    private readonly descending: boolean,
    first: SortedTimelinePage,
    private readonly onLoaded: () => void,
  ) {
    this.total = first.total;
    this.pages.set(0, { rows: first.rows, loading: false });
  }

  /** The first page of a sorted timeline: its rows and how many match (or why it cannot be sorted). */
  static first(filter: TimelineFilterInput, by: SortColumn, descending: boolean) {
    return call('timeline:sorted', { filter, by, descending, offset: 0, limit: SORTED_PAGE });
  }

  get error(): string | null {
    return this.failed;
  }

  row(index: number): TimelineRow | null {
    if (index < 0 || index >= this.total) return null;
    const p = Math.floor(index / SORTED_PAGE);
    const page = this.pages.get(p);
    const row = page?.rows[index % SORTED_PAGE];
    if (row) return row;
    if (!page?.loading && !this.failed) void this.load(p);
    return null;
  }

  /** Where an event sits in the sorted list: pages are read in order until it is found (at most SORT_LIMIT rows). */
  async indexOf(id: number): Promise<number | null> {
    for (let p = 0; p * SORTED_PAGE < this.total; p++) {
      const want = Math.min(SORTED_PAGE, this.total - p * SORTED_PAGE);
      while ((this.pages.get(p)?.rows.length ?? 0) < want && !this.failed) {
        if (this.pages.get(p)?.loading) await new Promise((resolve) => setTimeout(resolve, 20));
        else await this.load(p);
      }
      if (this.failed) return null;
      const at = this.pages.get(p)!.rows.findIndex((r) => r.id === id);
      if (at >= 0) return p * SORTED_PAGE + at;
    }
    return null;
  }

  private async load(p: number): Promise<void> {
    const page = this.pages.get(p) ?? { rows: [], loading: false };
    this.pages.set(p, page);
    page.loading = true;
    const r = await call('timeline:sorted', { filter: this.filter, by: this.by, descending: this.descending, offset: p * SORTED_PAGE + page.rows.length, limit: SORTED_PAGE - page.rows.length });
    page.loading = false;
    if (!r.ok) this.failed = r.error.message;
    else if (r.value.rows.length === 0) this.failed = 'the case changed while the list was read: sort again';
    else page.rows.push(...r.value.rows);
    this.onLoaded();
  }
}
