import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CfnLintMatch {
  Filename: string;
  Level: 'Error' | 'Warning' | 'Informational';
  Message: string;
  Rule: { Id: string };
  Location: { Path: (string | number)[] };
}

/**
 * Runs cfn-lint (the Python tool: the copy the root's scripts/install-test-tools.sh installs in
 * .tools/python/bin, else the one on PATH) over templates for the given regions and returns its
 * findings. Throws when cfn-lint is missing or cannot run: a missing linter must fail the
 * suite, never pass it silently.
 */
export function cfnLint(templates: string[], regions: string[], cwd: string): CfnLintMatch[] {
  const result = spawnSync(cfnLintCommand(), ['--format', 'json', '--regions', ...regions, '--', ...templates], { cwd, encoding: 'utf8', timeout: 120_000 });
  if (result.error !== undefined) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      missing
        ? 'cfn-lint is not installed: run scripts/install-test-tools.sh at the repository root (make test does) — the infra tests lint every synthesized template with it'
        : `cfn-lint could not run: ${result.error.message}`,
    );
  }
  // Exit status is a bit mask (2 errors, 4 warnings, 8 informational); 1 means cfn-lint itself failed.
  if (result.status === null || (result.status & 1) === 1 || result.stdout.trim() === '') {
    throw new Error(`cfn-lint failed (exit ${String(result.status)}): ${result.stderr}`);
  }
  return JSON.parse(result.stdout) as CfnLintMatch[];
}

function cfnLintCommand(): string {
  const installed = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../.tools/python/bin/cfn-lint');
  return existsSync(installed) ? installed : 'cfn-lint';
}
