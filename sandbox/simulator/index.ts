export { createSimulation } from './simulation.js';
export type { Simulation, SimulationOptions } from './simulation.js';
export type { SimulatedEvent } from './simulated-event.js';
export { gamesFromCatalogue } from './simulated-game.js';
export type { SimulatedGame } from './simulated-game.js';
export type { SimulatedPlayer } from './simulated-player.js';
export { PERSONAS } from './personas.js';
export type { Persona, PersonaName } from './personas.js';
