// Collects the rows of one configuration snapshot, deduplicating resources, versions and edges that
// a document names more than once (an instance's interfaces also appear in describe-network-interfaces).
import type { ResourceType } from '../../../../../shared/resource-ids.ts';
import type { ConfigSnapshot, ResourceRow } from '../../types.ts';
import { canonicalJson } from './canonical-json.ts';

export type SnapshotBuilder = {
  observedAt: number;
  resource(id: string | null, type: ResourceType, extra?: Partial<Omit<ResourceRow, 'id' | 'type' | 'observedAt'>>): string | null;
  version(id: string | null, config: unknown): void;
  edge(src: string | null, dst: string | null, kind: string): void;
  principal(arn: string | null, type: string, accountId: string | null, name: string | null): void;
  build(): ConfigSnapshot;
};

export function createSnapshotBuilder(observedAt: number): SnapshotBuilder {
  const resources = new Map<string, ResourceRow>();
  const versions = new Map<string, unknown>();
  const edges = new Map<string, { src: string; dst: string; kind: string }>();
  const principals = new Map<string, ConfigSnapshot['principals'][number]>();
  return {
    observedAt,
    resource(id, type, extra) {
      if (id === null) return null;
      const prev = resources.get(id);
      if (prev === undefined) {
        resources.set(id, {
          id, type, accountId: extra?.accountId ?? null, region: extra?.region ?? null, name: extra?.name ?? null, arn: extra?.arn ?? null, observedAt,
        });
      } else {
        // Fill what an earlier, thinner mention did not know.
        prev.accountId ??= extra?.accountId ?? null;
        prev.region ??= extra?.region ?? null;
        prev.name ??= extra?.name ?? null;
        prev.arn ??= extra?.arn ?? null;
      }
      return id;
    },
    version(id, config) {
      if (id !== null && config !== undefined && config !== null) versions.set(id, canonicalJson(config));
    },
    edge(src, dst, kind) {
      if (src === null || dst === null || src === dst) return;
      edges.set(`${src}\u0000${dst}\u0000${kind}`, { src, dst, kind });
    },
    principal(arn, type, accountId, name) {
      if (arn !== null && !principals.has(arn)) principals.set(arn, { arn, type, accountId, name });
    },
    build() {
      return {
        resources: [...resources.values()],
        versions: [...versions].map(([resourceId, config]) => ({ resourceId, observedAt, config })),
        edges: [...edges.values()].map((e) => ({ ...e, validFrom: observedAt, validTo: null })),
        principals: [...principals.values()],
      };
    },
  };
}

/** "us-east-1a" → "us-east-1"; zone ids and odd values give null. */
export function regionOfZone(zone: string | null): string | null {
  if (zone === null || zone.length < 2) return null;
  const last = zone.charCodeAt(zone.length - 1);
  return last >= 97 && last <= 122 ? zone.slice(0, -1) : null;
}

/** The list under `key`; --query projections print the list bare, sometimes nested. */
export function listOf(document: unknown, key: string): unknown[] {
  if (Array.isArray(document)) return document.flat(3);
  if (typeof document === 'object' && document !== null) {
    const v = (document as Record<string, unknown>)[key];
    if (Array.isArray(v)) return v;
  }
  return [];
}
