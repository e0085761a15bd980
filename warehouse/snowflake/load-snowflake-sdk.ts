import type * as SnowflakeSdk from 'snowflake-sdk';
import { redactText, type Logger } from '../../core/index.js';

export type Sdk = typeof SnowflakeSdk;

let loading: Promise<Sdk> | undefined;

/**
 * snowflake-sdk, imported on first use only: it pulls in the AWS SDK (with its Node-version
 * warning) and costs ~0.5 s, which DuckDB users and `gmp --help` never pay. Its log lines go to
 * `logger` at debug level, redacted; it writes no snowflake.log of its own.
 */
export function loadSnowflakeSdk(logger?: Logger): Promise<Sdk> {
  loading ??= (async () => {
    // At import the SDK probes cloud metadata endpoints (169.254.169.254, metadata.google.internal)
    // and calls AWS STS with ambient credentials to label its login telemetry. gmp needs none of
    // that: no surprise network calls from a data pipeline (see its telemetry/platform_detection).
    process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION ??= 'true';
    const mod = (await import('snowflake-sdk')) as Sdk & { default?: Sdk };
    // CommonJS: the API is the default export at runtime, whatever the typings say.
    const sdk = mod.default ?? mod;
    const forward = (message: string): void => logger?.debug({ vendor: 'snowflake-sdk' }, redactText(message));
    sdk.configure({
      logLevel: 'WARN',
      customLogger: { error: forward, warn: forward, info: forward, debug: forward, trace: forward },
    });
    return sdk;
  })();
  return loading;
}
