import { GmpError, type GmpErrorOptions } from '../../core/index.js';

// core's ErrorCode has no ML codes yet: a training failure is a MODEL error, a missing library a
// configuration problem of the machine (CONFIG_INVALID).

/** Training failed: bad input, or XGBoost refused (its own message is kept). */
export class MlEngineError extends GmpError {
  constructor(message: string, options: GmpErrorOptions & { code?: 'MODEL' | 'CONFIG_INVALID' } = {}) {
    super(options.code ?? 'MODEL', message, options);
  }
}

/** The XGBoost library could not be loaded; the message is one line saying how to install it (so no separate `hint`, which the CLI would print again). */
export class MlEngineMissingError extends MlEngineError {
  readonly libraryPath: string;
  /** The loader's own words (e.g. `cannot open shared object file`). */
  readonly detail: string;
  constructor(libraryPath: string, detail: string) {
    const hint = "install it with 'apt-get install libxgboost0' on Debian/Ubuntu, or set GMP_XGBOOST_LIBRARY to the library's path";
    super(`XGBoost library ${libraryPath} could not be loaded (${oneLine(detail)}): ${hint}`, {
      code: 'CONFIG_INVALID',
      context: { libraryPath },
    });
    this.libraryPath = libraryPath;
    this.detail = oneLine(detail);
  }
}

/** The training process died (a native fault, killed by the system, out of memory). */
export class MlEngineCrashedError extends MlEngineError {
  readonly signal: string | null;
  readonly exitCode: number | null;
  constructor(signal: string | null, exitCode: number | null, output: string) {
    const how = signal !== null ? `was killed by ${signal}` : `exited with code ${String(exitCode)}`;
    const tail = oneLine(output).slice(-300);
    super(`the XGBoost training process ${how}${tail ? `: ${tail}` : ''}`, { context: { signal, exitCode } });
    this.signal = signal;
    this.exitCode = exitCode;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
