import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/index.js';

// The module arrows of DESIGN.md are a lint rule (eslint/module-boundaries.js): `make test` runs it.
const eslint = new ESLint({ cwd: packageRoot() });
async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(packageRoot(), file) });
  return result!.messages.filter((m) => m.ruleId === 'gmp/module-boundaries').map((m) => m.message);
}

describe('module boundaries', () => {
  it('lets the faces import only the application layer and core', async () => {
    expect(await problems('cli/commands/x.ts', "export { listRuns } from '../../app/index.js';\nexport { packageRoot } from '../../core/index.js';\n")).toEqual([]);
    expect(await problems('cli/commands/x.ts', "export { materialize } from '../../orchestration/index.js';\n")).toEqual([
      'cli/ may not import orchestration/ (DESIGN.md module arrows: cli → core, app, server)',
    ]);
    expect(await problems('server/x.ts', "export const t = await import('../transform/index.js');\n")).toHaveLength(1);
  });

  it('points arrows down only', async () => {
    expect(await problems('orchestration/x/y.ts', "export { listRuns } from '../../app/index.js';\n")).toEqual([
      'orchestration/ may not import app/ (DESIGN.md module arrows: orchestration → core, lake, warehouse, ingestion, transform, ml)',
    ]);
    // ml/ (training, scoring, tracking) sits beside the adapters: it may not reach the warehouse or the engine.
    expect(await problems('ml/x.ts', "export { duckDbDialect } from '../warehouse/index.js';\n")).toEqual(['ml/ may not import warehouse/ (DESIGN.md module arrows: ml → core, lake)']);
    expect(await problems('ml/x.ts', "export { materialize } from '../orchestration/index.js';\n")).toHaveLength(1);
    expect(await problems('core/x.ts', "import '../lake/index.js';\n")).toHaveLength(1);
    expect(await problems('transform/x.ts', "export { duckDbDialect } from '../warehouse/index.js';\n")).toEqual([]);
  });

  it('reaches another module through its index only (and the lazily loaded entries)', async () => {
    expect(await problems('app/x.ts', "export { createStateStore } from '../orchestration/state/index.js';\n")).toEqual([
      'import orchestration/ through its public orchestration/index.js, not orchestration/state/index.js',
    ]);
    expect(await problems('tests/x.test.ts', "export { S3ObjectStore } from '../lake/s3-object-store.js';\n")).toEqual([]);
    expect(await problems('app/x/y.ts', "export { f } from '../z.js';\n")).toEqual([]);
  });
});
