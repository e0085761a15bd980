import { createPrng, hash32, type Prng } from '../prng.js';
import { stableId } from './ids.js';
import { PERSONAS, type Persona, type PersonaName } from './personas.js';

/** A player as the simulation made it: who, where, on what, and since when. */
export interface SimulatedPlayer {
  index: number;
  /** `u_` + 16 hex digits, unique per (seed, index). */
  userId: string;
  /** The id of the player's device when browsing signed out (`anon_…`). */
  anonymousId: string;
  persona: PersonaName;
  /** Platform slug (`pc`, `ios`, …). */
  platform: string;
  region: string;
  device: string;
  clientVersion: string;
  /** When the player first appears, ms since the epoch (inside the simulated window). */
  firstSeen: number;
}

export const REGIONS: readonly { name: string; utcOffsetHours: number; weight: number; latencyMs: number }[] = [
  { name: 'north-america', utcOffsetHours: -6, weight: 35, latencyMs: 35 },
  { name: 'europe', utcOffsetHours: 1, weight: 30, latencyMs: 30 },
  { name: 'asia-pacific', utcOffsetHours: 8, weight: 20, latencyMs: 60 },
  { name: 'latin-america', utcOffsetHours: -4, weight: 15, latencyMs: 90 },
];

const DEVICES: Record<string, readonly string[]> = {
  pc: ['Windows 11 desktop', 'Windows 10 laptop', 'Steam Deck'],
  linux: ['Linux desktop'],
  playstation5: ['PlayStation 5', 'PlayStation 5 Slim'],
  'xbox-series-x': ['Xbox Series X', 'Xbox Series S'],
  'nintendo-switch': ['Nintendo Switch', 'Nintendo Switch OLED'],
  ios: ['iPhone 15', 'iPhone 13', 'iPad Air'],
  android: ['Pixel 8', 'Galaxy S24', 'Galaxy A54'],
};

/** Local hours at which sessions start: evenings and weekends-ish peaks, quiet nights. */
export const HOUR_WEIGHTS = [2, 1, 1, 0.5, 0.5, 0.5, 1, 2, 3, 3, 3, 4, 5, 5, 4, 4, 5, 7, 9, 10, 10, 9, 7, 4];
const HOUR_TOTAL = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);

/** A local hour (0–23) drawn from HOUR_WEIGHTS. */
export function pickHour(rng: Prng): number {
  let x = rng() * HOUR_TOTAL;
  for (let h = 0; h < 24; h++) {
    x -= HOUR_WEIGHTS[h]!;
    if (x < 0) return h;
  }
  return 23;
}

export function pickWeighted<K extends string>(weights: Partial<Record<K, number>>, rng: Prng): K {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((s, [, w]) => s + Math.max(0, w), 0);
  let x = rng() * total;
  for (const [k, w] of entries) {
    x -= Math.max(0, w);
    if (x < 0) return k;
  }
  return entries[entries.length - 1]![0];
}

export function personaNamed(name: PersonaName): Persona {
  return PERSONAS.find((p) => p.name === name)!;
}

/**
 * Player `index` of a simulation: a pure function of (seed, index, window). Arrivals spread
 * evenly over the window's days, at the evening-heavy local hours of the player's region.
 */
export function createPlayer(seed: number, index: number, window: { start: number; end: number }): SimulatedPlayer {
  const rng = createPrng(hash32(seed, index, 30));
  const persona = pickWeighted(Object.fromEntries(PERSONAS.map((p) => [p.name, p.share])) as Record<PersonaName, number>, rng);
  const platform = pickWeighted(personaNamed(persona).platforms, rng);
  const region = REGIONS[Number(pickWeighted(Object.fromEntries(REGIONS.map((r, i) => [String(i), r.weight])), rng))]!;
  const devices = DEVICES[platform] ?? ['Generic device'];
  const device = devices[Math.floor(rng() * devices.length)]!;
  const span = window.end - window.start;
  const days = Math.max(1, Math.ceil(span / 86_400_000));
  const day = Math.floor(rng() * days);
  const local = (pickHour(rng) * 60 + Math.floor(rng() * 60)) * 60_000 + Math.floor(rng() * 60_000);
  const raw = window.start + day * 86_400_000 + local - region.utcOffsetHours * 3_600_000;
  const firstSeen = window.start + ((((raw - window.start) % span) + span) % span);
  return {
    index,
    userId: stableId('u', hash32(seed, index, 11), hash32(seed, index, 12)),
    anonymousId: stableId('anon', hash32(seed, index, 13), hash32(seed, index, 14)),
    persona,
    platform,
    region: region.name,
    device,
    clientVersion: `2.${hash32(seed, index, 15) % 4}.${hash32(seed, index, 16) % 10}`,
    firstSeen,
  };
}
