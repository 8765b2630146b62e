// The workbench's one account choice (an organisation trail holds many accounts): kept in the
// timeline filter, so it narrows the timeline, the graph, flows and findings alike and travels in the
// URL. Each account shows the name the records give it, as text.
import { accountLabel } from '../../../shared/account-label.ts';
import { useStore } from '../store.ts';

export function AccountSelect() {
  const info = useStore((s) => s.info);
  const chosen = useStore((s) => s.filter.accounts?.[0] ?? '');
  const setFilter = useStore((s) => s.setFilter);
  // A case of one account has nothing to choose between.
  if (!info || info.accountInfo.length < 2) return null;
  return (
    <label>
      Account
      <select value={chosen} onChange={(e) => setFilter({ accounts: e.target.value ? [e.target.value] : undefined })}>
        <option value="">All accounts</option>
        {info.accountInfo.map((a) => (
          <option key={a.id} value={a.id}>{accountLabel(a)}</option>
        ))}
      </select>
    </label>
  );
}
