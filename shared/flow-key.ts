// The stable key of a flow conversation, what annotations on a flow are stored under and what
// `trailscope note|tag|notes --flow KEY` takes: interface|direction|peer|port|protocol, e.g.
// `eni-0a1b2c3d|inbound|203.0.113.9|22|6`. It leaves out the time window (which depends on the
// roll-up asked for) so a star on "SSH from this address to this interface" holds whatever the window;
// an unknown part is `-`. Shared so the core, the CLI and the renderer build the same key.

export type FlowKeyParts = { interfaceId: string | null; direction: string; peerAddress: string | null; port: number | null; protocol: number | null };

export function flowConversationKey(c: FlowKeyParts): string {
  const part = (v: string | number | null) => (v === null || v === '' ? '-' : String(v));
  return [part(c.interfaceId), c.direction, part(c.peerAddress), part(c.port), part(c.protocol)].join('|');
}
