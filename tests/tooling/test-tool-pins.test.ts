import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/index.js';

// scripts/install-test-tools.sh installs these with pip: a fresh machine must get the same versions.
const read = (file: string) => readFileSync(path.join(packageRoot(), 'scripts/test-tools', file), 'utf8');
const pins = (text: string) =>
  text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean)
    .map((line) => {
      const m = /^([A-Za-z0-9_.-]+)(\[[^\]]+\])?==(\S+)$/.exec(line);
      if (m === null) throw new Error(`not pinned with ==: ${line}`);
      return { name: m[1]!.toLowerCase(), extras: m[2] ?? '', version: m[3]! };
    });

describe('pinned test tools', () => {
  const requirements = pins(read('requirements.txt'));
  const constraints = new Map(pins(read('constraints.txt')).map((p) => [p.name, p.version]));

  it('pins moto with its server extra, cfn-lint, and the BI client tests\' SQLAlchemy and psycopg2, exactly', () => {
    expect(requirements.map((p) => p.name + p.extras).sort()).toEqual(['cfn-lint', 'moto[server]', 'psycopg2-binary', 'sqlalchemy']);
  });

  it('constrains every requirement to the same version, transitively pinned', () => {
    for (const p of requirements) expect(constraints.get(p.name), p.name).toBe(p.version);
    expect(constraints.size).toBeGreaterThan(requirements.length);
  });
});
