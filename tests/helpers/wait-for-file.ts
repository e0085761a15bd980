import { watch } from 'node:fs';

/**
 * Resolves with what `find()` returns once it is not undefined, asking it again whenever anything
 * under `dir` changes (fs.watch, recursive: no polling); rejects, naming `what`, at the deadline.
 * `dir` must exist.
 */
export function waitForFile<T>(dir: string, find: () => T | undefined, what: string, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const watcher = watch(dir, { recursive: true });
    const finish = (value: T | undefined, error?: Error): void => {
      watcher.close();
      deadline.removeEventListener('abort', onDeadline);
      if (error) reject(error);
      else resolve(value as T);
    };
    const check = (): void => {
      try {
        const value = find();
        if (value !== undefined) finish(value);
      } catch (error) {
        finish(undefined, error as Error);
      }
    };
    const onDeadline = (): void => finish(undefined, new Error(`no file within ${timeoutMs} ms showed that ${what}`));
    deadline.addEventListener('abort', onDeadline, { once: true });
    watcher.on('change', check);
    watcher.on('error', (error) => finish(undefined, error));
    // Whatever appeared before the watch began.
    check();
  });
}
