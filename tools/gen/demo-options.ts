// The bundled demo account's shape (assets/demo, built by build-demo.ts): an end-to-end spec opens an
// account of the same size without rebuilding the demo.
export const DEMO_OPTIONS = { events: 5000, flows: 5000, hours: 12, seed: 1, users: 20, instances: 16, gzipLevel: 9 } as const;
