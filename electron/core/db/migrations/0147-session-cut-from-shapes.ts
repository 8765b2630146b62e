// A chain's shape has its session name cut out too, as char(4) (analysis/attribution/chain-shapes.ts),
// where the name is one run's rather than one holder's: Terraform, CodeBuild, ECS tasks and the SDKs'
// default names give every session a name of its own, so every such key's chain had a shape row of its
// own (about 1.4 KB of shape and unique index a key). The `actors` view puts back the actor's own
// session name first, then the time, eventID and key as migration 0134's view did: the cuts undone in
// the reverse order they were made. Shapes stored before hold no char(4), and read as before.
import { actorsView } from './0134-chain-issue-rows.ts';

export const version = 147;

export const sql = /* sql */ `
DROP VIEW actors;
${actorsView('replace(c.shape, char(4), coalesce(s_session_name.value, char(4)))')};
`;
