import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TinyFileSystem {
  /** The mount point. */
  dir: string;
  /** Bytes free right now. */
  free(): number;
  /** Writes a filler file until only `leaveBytes` (about: tmpfs counts whole pages) are free. */
  fill(leaveBytes?: number): void;
  /** Removes the filler: the space is back. */
  unfill(): void;
  unmount(): void;
}

const CHUNK = 64 * 1024;

/**
 * Mounts a private tmpfs of `sizeBytes` (a real file system that really fills up: writes fail with
 * ENOSPC). Needs root or CAP_SYS_ADMIN; when the mount is refused this throws, loudly — a disk-full
 * test must not pass without a full disk.
 */
export function mountTinyFileSystem(sizeBytes: number): TinyFileSystem {
  const dir = mkdtempSync(path.join(tmpdir(), 'gmp-tiny-fs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const detail = (error as { stderr?: Buffer }).stderr?.toString().trim() ?? String(error);
    throw new Error(`cannot mount a ${sizeBytes}-byte tmpfs for the disk-full tests (they need root or CAP_SYS_ADMIN; running as uid ${process.getuid?.()}): ${detail}`);
  }
  const filler = path.join(dir, '.filler');
  const free = (): number => {
    const { bavail, bsize } = statfsSync(dir);
    return Number(bavail) * Number(bsize);
  };
  return {
    dir,
    free,
    fill(leaveBytes = 0) {
      const fd = openSync(filler, 'a');
      const zeros = Buffer.alloc(CHUNK);
      try {
        for (let left = free() - leaveBytes; left > 0; left = free() - leaveBytes) writeSync(fd, zeros, 0, Math.min(CHUNK, left));
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'ENOSPC') throw error;
      } finally {
        closeSync(fd);
      }
    },
    unfill() {
      rmSync(filler, { force: true });
    },
    unmount() {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
