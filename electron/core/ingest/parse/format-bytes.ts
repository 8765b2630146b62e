// A byte count for a reason or a message: "8 GB", "64 MB", "1,500 bytes" (binary units, as the
// readers' other limits are written).
const UNITS: [number, string][] = [
  [1024 ** 4, 'TB'],
  [1024 ** 3, 'GB'],
  [1024 ** 2, 'MB'],
  [1024, 'KB'],
];

export function formatBytes(n: number): string {
  for (const [size, unit] of UNITS) {
    if (n >= size && n % size === 0) return `${(n / size).toLocaleString('en-US')} ${unit}`;
  }
  for (const [size, unit] of UNITS) {
    if (n >= size) return `${(n / size).toFixed(1)} ${unit}`;
  }
  return `${n.toLocaleString('en-US')} bytes`;
}
