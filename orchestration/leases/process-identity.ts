import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

let cached: string | undefined;

/**
 * This process's "where": host name plus PID namespace. Two containers can share a host name
 * (host networking) but not a PID namespace, so only a lease owner with the same "where" can be
 * checked for liveness by PID.
 */
export function processHome(): string {
  if (cached !== undefined) return cached;
  let ns = '';
  try {
    ns = readlinkSync('/proc/self/ns/pid').replace(/\D/g, '');
  } catch {
    // Not Linux: the host name alone (PIDs are host-wide there).
  }
  cached = ns === '' ? hostname() : `${hostname()}~${ns}`;
  return cached;
}

/** A lease owner id: `<home>:<pid>:<suffix>`. */
export function ownerId(suffix: string): string {
  return `${processHome()}:${process.pid}:${suffix}`;
}

/** True only when `owner` names a process of this host and PID namespace that no longer exists. */
export function ownerIsDeadLocally(owner: string): boolean {
  const [home, pid] = owner.split(':');
  if (home !== processHome() || pid === undefined) return false;
  const n = Number(pid);
  if (!Number.isInteger(n) || n <= 0) return false;
  try {
    process.kill(n, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
