export { gameNames, listPlayers, playerDataVersion, playerProfile } from './players.js';
export type { PlayerProfile, PlayerSummary, PlayersPage } from './players.js';
