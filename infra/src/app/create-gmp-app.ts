import { App, Validations } from 'aws-cdk-lib';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { lakeBucketName, type EnvironmentConfig } from '../config/environment-config.js';
import { RuntimeStack } from '../stacks/runtime-stack.js';
import { StatefulStack } from '../stacks/stateful-stack.js';

export interface GmpAppOptions {
  /** Where the cloud assembly goes (default: the CDK CLI's choice, or cdk.out). */
  outdir?: string;
  /** Folder holding the project's Dockerfile (the repository root). */
  imageDirectory: string;
  /** Extra context, e.g. `aws:cdk:disable-asset-staging` in tests. */
  context?: Record<string, unknown>;
  /**
   * CDK's built-in CloudFormation validation (schema and template rules, cycles). Default on;
   * tests that only read templates turn it off to save its ~5 s start-up.
   */
  builtinCloudFormationValidation?: boolean;
}

export interface EnvironmentStacks {
  config: EnvironmentConfig;
  stateful: StatefulStack;
  runtime: RuntimeStack;
}

/**
 * Builds the CDK app: per environment a termination-protected stateful stack and a runtime
 * stack, checked by cdk-nag's AWS Solutions rules (violations fail synthesis; acknowledged ones
 * are written into each template's metadata). Nothing here contacts AWS.
 */
export function createGmpApp(environments: readonly EnvironmentConfig[], options: GmpAppOptions): { app: App; stacks: EnvironmentStacks[] } {
  const app = new App({
    ...(options.outdir !== undefined ? { outdir: options.outdir } : {}),
    // The flags of this aws-cdk-lib release, pinned with it: an upgrade shows up in the tests.
    context: { ...CURRENTLY_RECOMMENDED_FLAGS, ...options.context },
    analyticsReporting: false,
    builtinCloudFormationValidation: options.builtinCloudFormationValidation ?? true,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }));

  const stacks = environments.map((config): EnvironmentStacks => {
    const env = { account: config.account, region: config.region };
    const tags = { project: 'game-market-pipeline', environment: config.name };
    const stateful = new StatefulStack(app, `gmp-${config.name}-stateful`, {
      env,
      tags,
      config,
      description: `Game Market Pipeline (${config.name}): lake bucket, its key and access logs, live-events stream, pipeline secrets`,
    });
    const runtime = new RuntimeStack(app, `gmp-${config.name}-runtime`, {
      env,
      tags,
      config,
      description: `Game Market Pipeline (${config.name}): VPC, Fargate task, schedules, event API and delivery to the lake, alerts, ${config.warehouse.engine === 'postgres' ? 'Postgres warehouse, GitHub role' : 'Snowflake and GitHub roles'}`,
      lakeBucketName: lakeBucketName(config),
      lakeKey: stateful.lake.key,
      lakePrefix: stateful.lakePrefix,
      secrets: stateful.secrets.all,
      eventStream: stateful.events?.stream,
      imageDirectory: options.imageDirectory,
    });
    runtime.addStackDependency(stateful, 'the task and roles use the lake bucket, its key and the secrets');
    return { config, stateful, runtime };
  });
  return { app, stacks };
}
