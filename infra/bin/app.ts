import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGmpApp } from '../src/app/create-gmp-app.js';
import { InfraConfigError, loadEnvironments } from '../src/config/load-environments.js';

// Synthesizes every environment of the config into a cloud assembly, offline. Run with
// `npx tsx bin/app.ts` (or through the CDK CLI, which sets CDK_OUTDIR).
const infraDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const configFile = path.resolve(process.env.GMP_INFRA_CONFIG ?? path.join(infraDir, 'config', 'environments.json'));
const imageDirectory = path.resolve(infraDir, '..');

try {
  const environments = loadEnvironments(configFile);
  const ownOutdir = process.env.CDK_OUTDIR === undefined;
  const outdir = process.env.CDK_OUTDIR ?? path.join(infraDir, 'cdk.out');
  // Run directly, start from an empty assembly: staged image contexts of earlier runs would pile up.
  if (ownOutdir) rmSync(outdir, { recursive: true, force: true });
  const { app } = createGmpApp(environments, { outdir, imageDirectory });
  const assembly = app.synth();
  if (ownOutdir) {
    console.log(`synthesized ${assembly.stacks.map((s) => s.stackName).join(', ')} into ${path.relative(process.cwd(), assembly.directory) || '.'}`);
  }
} catch (error) {
  if (error instanceof InfraConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
