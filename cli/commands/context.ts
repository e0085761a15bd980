import type { Command } from 'commander';
import type { OpenWorkspaceOptions, Workspace } from '../../app/index.js';

/** Loads the workspace for a command (lazily importing the engine), with the command's --vars. */
export async function workspaceFor(command: Command): Promise<Workspace> {
  const { openWorkspace } = await import('../../app/index.js');
  return openWorkspace(workspaceOptions(command));
}

/** Where a command's logs go (--log-json) and its --vars, as openWorkspace takes them. */
export function workspaceOptions(command: Command): OpenWorkspaceOptions {
  const globals = command.optsWithGlobals<{ logJson?: boolean; vars?: Record<string, unknown> }>();
  return { logTo: globals.logJson ? 'stderr' : 'file', ...(globals.vars ? { vars: globals.vars } : {}) };
}

/** An AbortSignal fired by the first SIGINT/SIGTERM; a second one exits at once. */
export function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(`\n${name}: canceling the run (again to exit at once)…\n`);
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return controller.signal;
}


/**
 * Resolves on the first SIGINT or SIGTERM. Call it before printing where a server listens: whoever
 * reads that line may stop the server at once, and must not find it without its handler.
 */
export function untilStopped(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
