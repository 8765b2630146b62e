// The Athena slice of the "Pull from AWS" dialog: for organisations whose trails are too large to
// copy, a query over AWS's CloudTrail table runs where the data lives and only the rows in the window
// and this scope come into the case. Lists are typed comma- or space-separated.
export type AthenaDraft = {
  on: boolean;
  database: string;
  table: string;
  workgroup: string;
  outputLocation: string;
  principals: string;
  resources: string;
  eventNames: string;
};

export const EMPTY_ATHENA: AthenaDraft = {
  on: false, database: '', table: '', workgroup: 'primary', outputLocation: '', principals: '', resources: '', eventNames: '',
};

const list = (text: string) => text.split(/[\s,]+/).filter(Boolean);

/** What `pull:start` takes as `athena`, or undefined when the slice is off. Checks are the server's. */
export function athenaOptions(d: AthenaDraft) {
  if (!d.on) return undefined;
  const scope = (text: string) => (list(text).length ? list(text) : undefined);
  return {
    database: d.database.trim(),
    table: d.table.trim(),
    workgroup: d.workgroup.trim(),
    outputLocation: d.outputLocation.trim() || undefined,
    principals: scope(d.principals),
    resources: scope(d.resources),
    eventNames: scope(d.eventNames),
  };
}

export function AthenaFields({ draft, onChange }: { draft: AthenaDraft; onChange(next: AthenaDraft): void }) {
  const field = (key: keyof Omit<AthenaDraft, 'on'>) => ({
    value: draft[key],
    onChange: (e: { target: { value: string } }) => onChange({ ...draft, [key]: e.target.value }),
  });
  return (
    <fieldset className="athena">
      <legend>Athena slice (trails too large to copy)</legend>
      <label className="check">
        <input type="checkbox" checked={draft.on} onChange={(e) => onChange({ ...draft, on: e.target.checked })} />
        Query a slice of the trail through Athena
      </label>
      {draft.on ? (
        <>
          <p className="muted">
            Runs in the first region chosen above, over AWS&apos;s CloudTrail table (partition projection on the trail bucket). Only rows in the
            window that match the scope below come into the case. Leave &quot;CloudTrail events&quot; unchecked to read CloudTrail through
            Athena only.
          </p>
          <div className="row">
            <label>
              Database
              <input {...field('database')} placeholder="cloudtrail" required />
            </label>
            <label>
              Table
              <input {...field('table')} placeholder="cloudtrail_logs" required />
            </label>
            <label>
              Work group
              <input {...field('workgroup')} placeholder="primary" required />
            </label>
          </div>
          <label>
            Output location (optional, when the work group sets none)
            <input {...field('outputLocation')} placeholder="s3://my-athena-results/trailscope/" />
          </label>
          <p className="muted">Scope: events by any of these principals or touching any of these resources, limited to these event names. Empty means all.</p>
          <label>
            Principals (ARNs or user names)
            <input {...field('principals')} placeholder="arn:aws:iam::111122223333:user/alice, bob" />
          </label>
          <label>
            Resources (ids or ARNs)
            <input {...field('resources')} placeholder="i-0123456789abcdef0, sg-0abc" />
          </label>
          <label>
            Event names
            <input {...field('eventNames')} placeholder="RunInstances, CreateAccessKey" />
          </label>
        </>
      ) : null}
    </fieldset>
  );
}
