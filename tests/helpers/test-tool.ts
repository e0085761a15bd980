import { existsSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../core/index.js';

/**
 * The command to spawn for a Python test tool: the copy scripts/install-test-tools.sh put in
 * .tools/python/bin (so `npx vitest` finds it without `make test`'s PATH), else the name on PATH.
 */
export function testTool(name: string): string {
  const installed = path.join(packageRoot(), '.tools', 'python', 'bin', name);
  return existsSync(installed) ? installed : name;
}

export const INSTALL_TEST_TOOLS = 'run scripts/install-test-tools.sh (make test does) to install it';
