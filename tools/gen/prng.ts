// Seeded PRNG (sfc32 seeded through splitmix32) and id helpers. Everything the generator draws
// comes from here, so the same seed gives byte-identical output.

export type Rng = {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Unsigned 32-bit integer. */
  u32(): number;
  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  /** Lower-case hex of the given length. */
  hex(len: number): string;
  /** Characters drawn from the alphabet. */
  chars(alphabet: string, len: number): string;
  uuid(): string;
  /** A new generator derived from this one, so sub-streams do not shift each other. */
  fork(label: string): Rng;
};

const HEX = '0123456789abcdef';

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function hashString(text: string): number {
  // FNV-1a: turns a label into a seed component.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function createRng(seed: number | string): Rng {
  const init = splitmix32(typeof seed === 'number' ? seed : hashString(seed));
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const u32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) u32();
  const next = (): number => u32() / 4294967296;
  const rng: Rng = {
    next,
    u32,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
    hex: (len) => {
      let s = '';
      for (let i = 0; i < len; i++) s += HEX[u32() & 15];
      return s;
    },
    chars: (alphabet, len) => {
      let s = '';
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(next() * alphabet.length)];
      return s;
    },
    uuid: () => {
      const h = rng.hex(32);
      const variant = HEX[8 + (u32() & 3)];
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
    fork: (label) => createRng((u32() ^ hashString(label)) >>> 0),
  };
  return rng;
}

export const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** IAM unique ids: AIDA (user), AROA (role), AIPA (instance profile), AGPA (group), ANPA (policy). */
export function iamUniqueId(rng: Rng, prefix: 'AIDA' | 'AROA' | 'AIPA' | 'AGPA' | 'ANPA'): string {
  return prefix + rng.chars(UPPER_DIGITS, 17);
}

export function accessKeyId(rng: Rng, prefix: 'AKIA' | 'ASIA'): string {
  return prefix + rng.chars(BASE32, 16);
}

/** EC2 style ids: i-, sg-, sgr-, eni-, vpc-, subnet-, fl-, ami-, vol- with 17 hex characters. */
export function ec2Id(rng: Rng, prefix: string): string {
  return `${prefix}-0${rng.hex(16)}`;
}
