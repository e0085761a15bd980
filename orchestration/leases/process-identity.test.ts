import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ownerId, ownerIsDeadLocally, processHome } from './process-identity.js';

describe('lease owner identity', () => {
  it('names host, PID namespace and pid, and recognises a dead local process', () => {
    expect(ownerId('run-1')).toBe(`${processHome()}:${process.pid}:run-1`);
    expect(ownerIsDeadLocally(ownerId('x'))).toBe(false);
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(child.stdout);
    expect(ownerIsDeadLocally(`${processHome()}:${deadPid}:x`)).toBe(true);
  });

  it('never declares dead an owner from another host or PID namespace', () => {
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    expect(ownerIsDeadLocally(`other-host:${child.stdout}:x`)).toBe(false);
    expect(ownerIsDeadLocally(`${processHome()}-other-ns:${child.stdout}:x`)).toBe(false);
  });
});
