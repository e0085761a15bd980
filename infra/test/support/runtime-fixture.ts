import type { Template } from 'aws-cdk-lib/assertions';
import { expect } from 'vitest';
import { fullEnvironment, minimalEnvironment } from './environments.js';
import type { SynthesizedEnvironment } from './synth.js';
import { logicalIdOf, resource } from './template-queries.js';

export const EXISTING_PROVIDER = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';

/**
 * The runtime-stack suites' environments. full: every option; minimal: none (no GitHub, no
 * email, schedule off, SSE-S3, key pair); shared: the account of full, reusing its GitHub OIDC
 * provider, with an encrypted key pair.
 */
export function runtimeEnvironments(): Record<string, unknown>[] {
  return [
    fullEnvironment(),
    minimalEnvironment(),
    fullEnvironment({
      name: 'shared',
      alarmEmail: undefined,
      warehouse: { url: 'snowflake://myorg-acct/GMP', user: 'GMP_SHARED', auth: 'key-pair', keyPassphrase: true },
      github: { repo: 'example-org/gmp-fork', oidcProviderArn: EXISTING_PROVIDER },
    }),
  ];
}

/** The task definition's only container. */
export function container(env: SynthesizedEnvironment): Record<string, any> {
  const taskDef = resource(env.runtime, logicalIdOf(env.runtime, 'AWS::ECS::TaskDefinition'));
  const containers = taskDef.Properties.ContainerDefinitions as Record<string, any>[];
  expect(containers).toHaveLength(1);
  return containers[0]!;
}

/** Follows a weak cross-stack reference (Fn::GetStackOutput) to the stateful stack's resource. */
export function statefulResourceBehind(env: SynthesizedEnvironment, value: unknown): { Type: string; Properties: Record<string, any> } {
  const ref = (value as { 'Fn::GetStackOutput'?: { StackName: string; OutputName: string } })['Fn::GetStackOutput'];
  if (ref === undefined) throw new Error(`not a reference to another stack: ${JSON.stringify(value)}`);
  expect(ref.StackName).toBe(env.stacks.stateful.stackName);
  const stateful: Template = env.stateful;
  const output = (stateful.toJSON().Outputs as Record<string, { Value: { Ref?: string; 'Fn::GetAtt'?: [string, string] } }>)[ref.OutputName];
  const logicalId = output?.Value.Ref ?? output?.Value['Fn::GetAtt']?.[0];
  if (logicalId === undefined) throw new Error(`output ${ref.OutputName} names no resource`);
  return resource(stateful, logicalId);
}
