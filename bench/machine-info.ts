import os from 'node:os';

export interface MachineInfo {
  node: string;
  cpus: number;
  platform: string;
}

/** The Node version, logical CPU count and platform the figures were taken on. */
export function machineInfo(): MachineInfo {
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return { node: process.version, cpus, platform: `${process.platform}-${process.arch}` };
}
