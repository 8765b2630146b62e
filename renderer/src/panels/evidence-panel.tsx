// Evidence integrity (as `trailscope verify`), the inputs the case could not read whole (as
// `trailscope info` lists them) and the incident report (as `trailscope report`) from the app. The
// report arrives as data and leaves as a downloaded file: it is never shown in this page.
import { useState } from 'react';
import type { DigestProblem } from '../../../shared/api/types.ts';
import { call } from '../api/client.ts';
import { useCall } from '../api/use-call.ts';
import { fromBase64, saveFile } from '../api/save-file.ts';
import { useStore } from '../store.ts';
import { InputsNotReadWhole, notReadWholeSummary } from './inputs-not-read-whole.tsx';

const SOURCES_SHOWN = 200;

function describe(p: DigestProblem): string {
  switch (p.kind) {
    case 'contradicted': return `Contradicted: ${p.file} was edited after delivery (digest ${p.digest} lists SHA-256 ${p.expected}, the file has ${p.actual})`;
    case 'missing': return `Missing: ${p.file} is listed in digest ${p.digest} but not in the case`;
    case 'unlisted': return `Unlisted: ${p.file} is in the case but no digest of its region lists it`;
    case 'gap': return `Gap: no digest for ${p.region} from ${p.from} to ${p.to}`;
    case 'chain-broken': return `Broken chain: ${p.digest} → ${p.previous}: ${p.reason}`;
    case 'unreadable-digest': return `Unreadable digest ${p.digest}: ${p.reason}`;
    case 'signature-invalid': return `Signature invalid: ${p.digest}: ${p.reason}`;
  }
}

/** What of the evidence handed over the case holds whole: from the case summary the header already asked for. */
function CaseInputs() {
  const info = useStore((s) => s.info);
  if (!info) return null;
  const summary = notReadWholeSummary(info.rejectedCount, info.partlyReadFiles, info.partlyReadRecords);
  return (
    <>
      <h2>Inputs</h2>
      <p role="status" aria-label="Inputs read" className={summary ? 'verify-bad' : 'verify-ok'}>
        {`${info.sources.toLocaleString('en')} sources: ${summary ? `not read whole: ${summary}.` : 'every input was read whole.'}`}
      </p>
      <InputsNotReadWhole rejected={info.rejectedSources} rejectedFiles={info.rejectedCount} partlyRead={info.partlyRead} partlyReadFiles={info.partlyReadFiles} />
    </>
  );
}

export function EvidencePanel() {
  const [runs, setRuns] = useState(0);
  const { value: report, error } = useCall('evidence:verify', runs ? {} : null, runs);
  const [format, setFormat] = useState<'html' | 'pdf'>('html');
  const [redact, setRedact] = useState(false);
  const [note, setNote] = useState('');
  const [building, setBuilding] = useState(false);

  async function build() {
    setBuilding(true);
    setNote(format === 'pdf' ? 'Building the PDF report (Chromium prints it)…' : 'Building the report…');
    const r = await call('report:build', { format, redact });
    setBuilding(false);
    if (!r.ok) return setNote(`Report failed: ${r.error.message}`);
    const f = r.value;
    saveFile(f.filename, f.mime, f.encoding === 'base64' ? fromBase64(f.content) : f.content);
    setNote(`Report saved as ${f.filename} (${Math.max(1, Math.round(f.bytes / 1024)).toLocaleString('en')} KB${f.redacted ? ', redacted' : ''})`);
  }

  const c = report?.counts;
  return (
    <section className="evidence-panel" aria-label="Evidence">
      <h2>Evidence</h2>
      <p className="muted">Every source's SHA-256 as ingested, CloudTrail log files checked against their digest files, and each digest's signature (kept by a pull from the trail bucket; a copied folder is an unsigned copy).</p>
      <button type="button" onClick={() => setRuns((n) => n + 1)}>
        {runs ? 'Verify again' : 'Verify evidence'}
      </button>
      {error ? <p role="alert">{error}</p> : null}
      {runs && !report && !error ? <p className="muted">Verifying…</p> : null}
      {report && c ? (
        <>
          <p role="status" className={report.ok ? 'verify-ok' : 'verify-bad'}>
            {report.ok ? 'Nothing contradicts the digests.' : 'Problems found.'} {report.sources.length.toLocaleString('en')} sources; {report.digests.length.toLocaleString('en')} digests ({report.signatures}); log files: {c.verified} verified, {c.contradicted} contradicted, {c.missing} missing, {c.unlisted} unlisted, {c.unverified} without a digest; {c.gaps} gaps, {c.chainBroken} broken links; digest signatures: {c.signaturesVerified} verified, {c.signaturesInvalid} invalid, {c.unsignedCopies} unsigned copies, {c.noPublicKey} without a public key.
          </p>
          <p>
            Manifest SHA-256 <code>{report.manifestSha256}</code>: of one sha256sum line per source, as <code>trailscope verify --manifest</code> prints them and the report states.
          </p>
          {report.problems.length ? (
            <ul className="verify-problems" aria-label="Verification problems">
              {report.problems.slice(0, SOURCES_SHOWN).map((p, i) => (
                <li key={i}>{describe(p)}</li>
              ))}
            </ul>
          ) : null}
          {report.digests.length ? (
            <details>
              <summary>Digests ({report.digests.length.toLocaleString('en')})</summary>
              <table className="verify-digests" aria-label="Digest signatures">
                <thead>
                  <tr>
                    <th scope="col">Digest</th>
                    <th scope="col">Window</th>
                    <th scope="col">Signature</th>
                  </tr>
                </thead>
                <tbody>
                  {report.digests.slice(0, SOURCES_SHOWN).map((d, i) => (
                    <tr key={i}>
                      <td title={d.path}>{d.file}</td>
                      <td>
                        {d.start} – {d.end}
                      </td>
                      <td title={d.signatureReason}>
                        {d.signature}
                        {d.signatureReason ? `: ${d.signatureReason}` : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          ) : null}
          <details>
            <summary>Sources ({report.sources.length.toLocaleString('en')})</summary>
            <table className="verify-sources">
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Status</th>
                  <th scope="col">SHA-256</th>
                </tr>
              </thead>
              <tbody>
                {report.sources.slice(0, SOURCES_SHOWN).map((s, i) => (
                  <tr key={i}>
                    <td title={s.path}>{s.path}</td>
                    <td>{s.signature ?? s.integrity ?? s.kind}</td>
                    <td className="mono">{s.sha256}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {report.sources.length > SOURCES_SHOWN ? <p className="muted">The first {SOURCES_SHOWN} sources: `trailscope verify` lists them all.</p> : null}
          </details>
        </>
      ) : null}
      <CaseInputs />
      <h2>Incident report</h2>
      <p className="muted">Summary, notes, incidents and findings, actor chains, changes, starred events and the evidence manifest, as one file.</p>
      <div className="report-form">
        <label>
          Format
          <select value={format} onChange={(e) => setFormat(e.target.value as 'html' | 'pdf')}>
            <option value="html">HTML</option>
            <option value="pdf">PDF</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={redact} onChange={(e) => setRedact(e.target.checked)} />
          Redact (pseudonyms for accounts, addresses, emails, names and keys)
        </label>
        <button type="button" disabled={building} onClick={() => void build()}>
          Build report
        </button>
      </div>
      <p role="status">{note}</p>
    </section>
  );
}
