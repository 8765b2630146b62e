// Adapter (kept only because electron/core/api imports this path): an event's resolved actor, from
// the engine's attribution (electron/core/analysis/attribution).
export { actorOfEvent } from '../../analysis/attribution/actor-report.ts';
