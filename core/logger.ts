import { createRequire } from 'node:module';
import type { DestinationStream, Logger as PinoLogger, pino as pinoFunction } from 'pino';
import { redactText } from './redact.js';

export type Logger = PinoLogger;

type Pino = typeof pinoFunction;

let loaded: Pino | undefined;

// pino (a CommonJS package of ~20 files) is required on the first logger, not when core/ is
// imported: commands that log nothing (`gmp compile`, `gmp --help`) never pay its ~15 ms.
function pino(): Pino {
  loaded ??= (createRequire(import.meta.url)('pino') as { pino: Pino }).pino;
  return loaded;
}

/**
 * A pino logger whose every serialized line has each key once and passes through `redactText`, so
 * no secret reaches a log sink whatever a caller puts in a message or binding. A key bound again
 * by a child, or logged again in a call's object, keeps its first position and its newest value.
 */
export function createLogger(options: { level?: string; destination?: DestinationStream; bindings?: object } = {}): Logger {
  const p = pino();
  const logger = p(
    {
      level: options.level ?? 'info',
      base: undefined,
      timestamp: p.stdTimeFunctions.isoTime,
      hooks: { streamWrite: (line: string) => redactText(withUniqueKeys(line)) },
    },
    options.destination ?? p.destination({ fd: 2, sync: true }),
  );
  return options.bindings ? logger.child(options.bindings) : logger;
}

let silent: Logger | undefined;

/**
 * A logger that writes nothing: a stand-in for a silent pino logger, created on first use (a
 * property read or write), so importing core/ loads no pino. Children of it are real pino loggers.
 */
export const silentLogger: Logger = new Proxy({} as Logger, {
  // pino's methods and getters read `this`: on the stand-in it is the real logger; on an object
  // made with Object.create(silentLogger) (as pino's child() does) it stays that object.
  get: (_, key, receiver) => Reflect.get(silentTarget(), key, receiver === silentLogger ? silentTarget() : receiver),
  set: (_, key, value, receiver) => Reflect.set(silentTarget(), key, value, receiver === silentLogger ? silentTarget() : receiver),
  has: (_, key) => Reflect.has(silentTarget(), key),
  getPrototypeOf: () => Reflect.getPrototypeOf(silentTarget()),
});

function silentTarget(): Logger {
  silent ??= pino()({ level: 'silent' });
  return silent;
}

/**
 * pino appends a child's bindings and a call's object to the line as they are, so `run_id` bound by
 * the run and again by its step is written twice; strict JSON readers reject that, and JSON.parse
 * keeps the last one. Parsing and re-serializing the line keeps one of each, the newest.
 */
function withUniqueKeys(line: string): string {
  try {
    return `${JSON.stringify(JSON.parse(line))}\n`;
  } catch {
    return line;
  }
}
