import { fileURLToPath } from 'node:url';

/**
 * Node arguments that run the TypeScript file `script` (relative to bench/) through tsx; the tsx
 * loader is resolved from this project, so the child may run in any cwd.
 */
export function tsxNodeArgs(script: string): string[] {
  return ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL(script, import.meta.url))];
}
