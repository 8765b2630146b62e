// trailscope verify --case FILE [--json]: every source's SHA-256 as ingested, and the CloudTrail log
// files checked against their digest files (verified, contradicted, missing, unlisted, gaps), and each
// digest's signature (signature verified, signature invalid, unsigned copy, no public key).
// Exit 0 when nothing contradicts the digests, 3 when something does. With --event EVENT_ID: the file
// that event was stored from and whether the digests verify it. With --manifest: the evidence manifest
// (evidence-manifest.ts), one line per source in sha256sum's format, whose SHA-256 the report states.
import { EXIT_OK, EXIT_PARTIAL, UsageError, type CliCommand } from '../command.ts';
import { parseFlags, requireString } from '../parse-flags.ts';
import { withCase } from '../case-service.ts';
import type { DigestProblem } from '../../../shared/api/evidence.ts';
import { safe } from '../../core/export/terminal-safe.ts';
import { evidenceManifest } from '../../core/evidence/evidence-manifest.ts';

function describe(p: DigestProblem): string {
  switch (p.kind) {
    case 'contradicted': return `CONTRADICTED ${safe(p.file)}: edited after delivery (digest ${safe(p.digest)} lists SHA-256 ${safe(p.expected)}, the file has ${p.actual})`;
    case 'missing': return `MISSING      ${safe(p.file)}: listed in digest ${safe(p.digest)}, not in the case`;
    case 'unlisted': return `UNLISTED     ${safe(p.file)}: in the case, listed by no digest of its region`;
    case 'gap': return `GAP          ${safe(p.region)}: no digest from ${p.from} to ${p.to}`;
    case 'chain-broken': return `CHAIN        ${safe(p.digest)} → ${safe(p.previous)}: ${p.reason}`;
    case 'unreadable-digest': return `UNREADABLE   ${safe(p.digest)}: ${safe(p.reason)}`;
    case 'signature-invalid': return `SIGNATURE    ${safe(p.digest)}: signature invalid: ${safe(p.reason)}`;
  }
}

export const command: CliCommand = {
  name: 'verify',
  summary: 'Evidence integrity: SHA-256 of every source, CloudTrail log files checked against their digests',
  usage: 'trailscope verify --case FILE [--event EVENT_ID | --manifest] [--json]',
  calls: ['evidence:verify', 'evidence:event'],
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, { case: { type: 'string' }, json: { type: 'boolean', default: false }, event: { type: 'string' },
      manifest: { type: 'boolean', default: false } });
    const casePath = requireString(values.case, '--case FILE');
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    if (values.manifest && (values.event !== undefined || values.json)) throw new UsageError('--manifest prints sha256sum lines: not with --event or --json');
    return withCase(casePath, {}, async (invoke) => {
      if (values.event !== undefined) {
        const e = await invoke('evidence:event', { eventId: values.event });
        if (!e) throw new Error(`no event with eventID '${safe(values.event.slice(0, 200))}' in this case`);
        if (values.json) io.stdout.write(JSON.stringify(e) + '\n');
        else io.stdout.write(`${e.integrity}  ${e.sha256}  ${safe(e.source)}\n`);
        return e.integrity === 'contradicted' ? EXIT_PARTIAL : EXIT_OK;
      }
      const r = await invoke('evidence:verify', {});
      if (values.manifest) {
        for (const line of evidenceManifest(r.sources).lines) io.stdout.write(`${line}\n`);
        return EXIT_OK;
      }
      if (values.json) io.stdout.write(JSON.stringify(r) + '\n');
      else {
        for (const s of r.sources) io.stdout.write(`${s.sha256}  ${(s.signature ?? s.integrity ?? s.kind).padEnd(18)}  ${safe(s.path)}\n`);
        for (const p of r.problems) io.stdout.write(describe(p) + '\n');
        for (const d of r.digests) if (d.signature === 'no public key') io.stdout.write(`NO KEY       ${safe(d.file)}: ${safe(d.signatureReason ?? 'no public key')}\n`);
        const c = r.counts;
        io.stdout.write(`${r.sources.length} sources; ${r.digests.length} digests (${r.signatures}); log files: ${c.verified} verified, ${c.contradicted} contradicted, ${c.missing} missing, ${c.unlisted} unlisted, ${c.unverified} without a digest; ${c.gaps} gaps, ${c.chainBroken} broken links; digest signatures: ${c.signaturesVerified} verified, ${c.signaturesInvalid} invalid, ${c.unsignedCopies} unsigned copies, ${c.noPublicKey} without a public key\n`);
        io.stdout.write(`manifest SHA-256 ${r.manifestSha256} (of the lines --manifest prints)\n`);
      }
      return r.ok ? EXIT_OK : EXIT_PARTIAL;
    });
  },
};
