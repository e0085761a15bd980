import type { Sandbox, SandboxOptions } from '../sandbox/index.js';

export type { Sandbox, SandboxOptions } from '../sandbox/index.js';

/** Starts the RAWG sandbox (loaded on demand: only demos and `gmp sandbox` need it). */
export async function startRawgSandbox(options: SandboxOptions): Promise<Sandbox> {
  const { startSandbox } = await import('../sandbox/index.js');
  return startSandbox(options);
}

/** Parses a `--faults` queue such as `429x2,503x3,truncate` (UsageError naming the bad item). */
export async function parseSandboxFaults(text: string): Promise<NonNullable<SandboxOptions['faults']>> {
  const { parseFaultSpecs } = await import('../sandbox/index.js');
  return parseFaultSpecs(text);
}
