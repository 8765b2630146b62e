// Address-in-CIDR for IPv4 and IPv6, as security group rules use them (0.0.0.0/0, ::/0, 2001:db8::/32).
// Addresses come from flow records and rules from CloudTrail: malformed text never matches.

/** The prefix length of `cidr` when it contains `ip` (more specific = larger), or -1 when it does not. */
export function cidrMatch(ip: string, cidr: string): number {
  const slash = cidr.indexOf('/');
  const net = slash < 0 ? cidr : cidr.slice(0, slash);
  const a = parseAddress(ip.trim());
  const b = parseAddress(net.trim());
  if (!a || !b || a.bits !== b.bits) return -1;
  const text = slash < 0 ? String(a.bits) : cidr.slice(slash + 1).trim();
  if (!/^\d{1,3}$/.test(text)) return -1;
  const prefix = Number(text);
  if (prefix > a.bits) return -1;
  const shift = BigInt(a.bits - prefix);
  return a.value >> shift === b.value >> shift ? prefix : -1;
}

type Address = { bits: 32 | 128; value: bigint };

export function parseAddress(text: string): Address | null {
  if (text.includes(':')) {
    const v = parseV6(text);
    if (v === null) return null;
    // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 address.
    if (v >> 32n === 0xffffn) return { bits: 32, value: v & 0xffffffffn };
    return { bits: 128, value: v };
  }
  const v = parseV4(text);
  return v === null ? null : { bits: 32, value: v };
}

function parseV4(text: string): bigint | null {
  const p = text.split('.');
  if (p.length !== 4) return null;
  let n = 0n;
  for (const x of p) {
    if (!/^\d{1,3}$/.test(x) || Number(x) > 255) return null;
    n = n * 256n + BigInt(x);
  }
  return n;
}

function parseV6(text: string): bigint | null {
  const zone = text.indexOf('%');
  const t = zone >= 0 ? text.slice(0, zone) : text;
  const halves = t.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string): string[] | null => {
    if (h === '') return [];
    const parts = h.split(':');
    // A trailing dotted quad counts as two groups.
    const last = parts[parts.length - 1];
    if (last.includes('.')) {
      const v4 = parseV4(last);
      if (v4 === null) return null;
      parts.splice(parts.length - 1, 1, ((v4 >> 16n) & 0xffffn).toString(16), (v4 & 0xffffn).toString(16));
    }
    return parts.every((p) => /^[0-9a-f]{1,4}$/i.test(p)) ? parts : null;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let n = 0n;
  for (const g of all) n = (n << 16n) | BigInt(parseInt(g, 16));
  return n;
}

/**
 * The network an address belongs to as far as the records can tell without a registry: its /24 for
 * IPv4 (a provider's DHCP pool, an office's NAT), its /64 for IPv6 (one link: privacy addresses rotate
 * inside it daily). Null for text that is no address.
 */
export function networkOf(ip: string): string | null {
  const a = parseAddress(ip.trim());
  if (a === null) return null;
  if (a.bits === 32) return `${[24n, 16n, 8n].map((s) => String((a.value >> s) & 0xffn)).join('.')}.0/24`;
  const top = a.value >> 64n;
  return `${[48n, 32n, 16n, 0n].map((s) => ((top >> s) & 0xffffn).toString(16)).join(':')}::/64`;
}
