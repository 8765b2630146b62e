// The chain from the identity recorded on an event back to the person or service behind it,
// with how each link is known (proven by a key, or inferred).
import type { ResolvedActor } from '../../../shared/engine-types.ts';
import { CopyButton } from './copy-button.tsx';

/** showFlags: false where the caller already shows the actor's warnings more prominently. */
export function ChainView({ actor, showFlags = true }: { actor: ResolvedActor; showFlags?: boolean }) {
  return (
    <div className="chain">
      <h3>Actor chain</h3>
      <p>
        Resolved to <strong>{actor.origin.label}</strong> ({actor.origin.kind}, {actor.origin.proven ? 'proven' : 'partly inferred'})
      </p>
      <ol aria-label="Actor chain">
        {actor.chain.map((link, i) => (
          <li key={`${link.id}-${i}`}>
            {/* The name records pair with an Identity Center user id goes before the id; a subject's issuer after it. */}
            {link.names ? <><strong aria-label="User name">{link.names.join(' / ')}</strong>{' '}</> : null}
            <span className="mono">{link.id}</span> <CopyButton value={link.id} />
            {link.issuer ? <span> from issuer <span className="mono" aria-label="Issuer">{link.issuer}</span></span> : null}{' '}
            <span className={`badge ${link.proof}`}>{link.proof}</span>
            {link.accessKeyId ? <><span className="mono"> · {link.accessKeyId}</span> <CopyButton value={link.accessKeyId} what="access key" /></> : null}
            <div className="muted">{link.detail}</div>
          </li>
        ))}
      </ol>
      {showFlags && actor.flags.length ? (
        <ul className="flags" aria-label="Actor flags">
          {actor.flags.map((f, i) => (
            <li key={i}>{f.detail}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
