// Lays the graph out on a worker thread so the page never freezes; the layout itself is shared
// with the server's precompute (shared/api/layout/fcose-layout.ts).
import { layoutGraph, type LayoutRequest } from '../../../shared/api/layout/fcose-layout.ts';

export type { LayoutRequest, LayoutReply } from '../../../shared/api/layout/fcose-layout.ts';

self.onmessage = (e: MessageEvent<LayoutRequest>) => {
  (self as unknown as Worker).postMessage(layoutGraph(e.data));
};
