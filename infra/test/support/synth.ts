import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Template } from 'aws-cdk-lib/assertions';
import { createGmpApp, type EnvironmentStacks } from '../../src/app/create-gmp-app.js';
import { parseEnvironments } from '../../src/config/load-environments.js';

export const INFRA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REPO_ROOT = path.resolve(INFRA_DIR, '..');

export interface SynthesizedEnvironment {
  stacks: EnvironmentStacks;
  stateful: Template;
  runtime: Template;
}

export interface Synthesized {
  outdir: string;
  byName: Map<string, SynthesizedEnvironment>;
  /** The validation report CDK writes (cdk-nag and CloudFormation Validate findings). */
  validationReport: ValidationReport;
  get(name: string): SynthesizedEnvironment;
  /** Removes the temporary assembly folder. */
  dispose(): void;
}

export interface ValidationReport {
  pluginReports: {
    pluginName: string;
    conclusion: string;
    violations: { ruleName: string; description: string; severity?: string; violatingConstructs: { constructPath: string }[] }[];
    suppressedViolations?: { ruleName: string; reason?: string; violatingConstructs: { constructPath: string }[] }[];
  }[];
}

export interface SynthOptions {
  /** Default: the repository root, whose Dockerfile the deployed image is built from. */
  imageDirectory?: string;
  builtinCloudFormationValidation?: boolean;
  /** Copy the image build context into the assembly, as `cdk deploy` needs (default off). */
  stageAssets?: boolean;
}

/**
 * Validates raw environment entries and synthesizes them into a fresh temporary folder, once;
 * every test of a file then reads the same templates.
 */
export function synthesize(rawEnvironments: unknown[], options: SynthOptions = {}): Synthesized {
  const outdir = mkdtempSync(path.join(tmpdir(), 'gmp-infra-'));
  const configs = parseEnvironments({ environments: rawEnvironments }, 'test');
  const { app, stacks } = createGmpApp(configs, {
    outdir,
    imageDirectory: options.imageDirectory ?? REPO_ROOT,
    builtinCloudFormationValidation: options.builtinCloudFormationValidation ?? false,
    context: options.stageAssets === true ? {} : { 'aws:cdk:disable-asset-staging': true },
  });
  app.synth();
  const byName = new Map<string, SynthesizedEnvironment>();
  for (const s of stacks) {
    byName.set(s.config.name, { stacks: s, stateful: Template.fromStack(s.stateful), runtime: Template.fromStack(s.runtime) });
  }
  const validationReport = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
  return {
    outdir,
    byName,
    validationReport,
    get(name) {
      const env = byName.get(name);
      if (env === undefined) throw new Error(`no environment ${name} was synthesized`);
      return env;
    },
    dispose() {
      rmSync(outdir, { recursive: true, force: true });
    },
  };
}

/** The one resource of a type in a template, by its properties; fails unless exactly one exists. */
export function onlyResource(template: Template, type: string): { logicalId: string; resource: { Properties: Record<string, unknown>; [k: string]: unknown } } {
  const found = Object.entries(template.findResources(type));
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  const [logicalId, resource] = found[0]!;
  return { logicalId, resource: resource as { Properties: Record<string, unknown> } };
}
