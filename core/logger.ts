import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { redactText } from './redact.js';

export type Logger = PinoLogger;

/**
 * A pino logger whose every serialized line has each key once and passes through `redactText`, so
 * no secret reaches a log sink whatever a caller puts in a message or binding. A key bound again
 * by a child, or logged again in a call's object, keeps its first position and its newest value.
 */
export function createLogger(options: { level?: string; destination?: DestinationStream; bindings?: object } = {}): Logger {
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: { streamWrite: (line: string) => redactText(withUniqueKeys(line)) },
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
  return options.bindings ? logger.child(options.bindings) : logger;
}

export const silentLogger: Logger = pino({ level: 'silent' });

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
