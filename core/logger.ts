import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { redactText } from './redact.js';

export type Logger = PinoLogger;

/**
 * A pino logger whose every serialized line passes through `redactText`, so no secret reaches a
 * log sink whatever a caller puts in a message or binding.
 */
export function createLogger(options: { level?: string; destination?: DestinationStream; bindings?: object } = {}): Logger {
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: { streamWrite: (line: string) => redactText(line) },
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
  return options.bindings ? logger.child(options.bindings) : logger;
}

export const silentLogger: Logger = pino({ level: 'silent' });
