// Peer tools for the side-by-side benchmarks (never run by `make test`): a pinned installer that
// other benchmarks can reuse, the generators of the same graph for each tool, and the benchmarks.
export { installPeer } from './install-peer.js';
export type { InstallPeerOptions, InstalledPeer, PeerName } from './install-peer.js';
export { peersBuild } from './peers-build.js';
export { peersCompile } from './peers-compile.js';
export { peersMaterialize } from './peers-materialize.js';
export { timeCommand } from './time-command.js';
export type { TimedCommand } from './time-command.js';
export { writeDataformProject } from './write-dataform-project.js';
export { writeDbtBuildProject, withJinjaNames } from './write-dbt-build-project.js';
export type { DbtBuildProject, DbtBuildProjectOptions } from './write-dbt-build-project.js';
export { writeDbtProject } from './write-dbt-project.js';
