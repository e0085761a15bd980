import type { RunProgressEvent } from '../app/index.js';

/**
 * A one-line progress display on stderr when it is a terminal; silent otherwise, so pipes and CI
 * logs get only the final summary.
 */
export function createProgress(stream: NodeJS.WriteStream = process.stderr): {
  onProgress: (e: RunProgressEvent) => void;
  done: () => void;
} {
  if (!stream.isTTY) return { onProgress: () => undefined, done: () => undefined };
  let failed = 0;
  const started = performance.now();
  const render = (text: string): void => {
    const width = (stream.columns || 100) - 1;
    stream.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
  };
  return {
    onProgress(e) {
      if (e.type === 'step_end' && e.result.status !== 'succeeded') failed++;
      const secs = ((performance.now() - started) / 1000).toFixed(1);
      const what = e.type === 'step_start' ? `running ${e.step.id}` : `${e.result.status} ${e.step.id}`;
      render(`[${e.done}/${e.total}] ${secs}s ${failed ? `${failed} not ok · ` : ''}${what}`);
    },
    done() {
      stream.write('\r\x1b[2K');
    },
  };
}
