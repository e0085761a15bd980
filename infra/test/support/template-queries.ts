import type { Template } from 'aws-cdk-lib/assertions';

type Resource = { Type: string; Properties: Record<string, any> };

/** Logical id of the single resource of `type` matching `props` (fails unless exactly one). */
export function logicalIdOf(template: Template, type: string, props: Record<string, unknown> = {}): string {
  const ids = Object.keys(template.findResources(type, { Properties: props }));
  if (ids.length !== 1) throw new Error(`expected one ${type} matching ${JSON.stringify(props)}, found ${ids.length}`);
  return ids[0]!;
}

export function resource(template: Template, logicalId: string): Resource {
  const all = template.toJSON().Resources as Record<string, Resource>;
  const found = all[logicalId];
  if (found === undefined) throw new Error(`no resource ${logicalId}`);
  return found;
}

/** Every policy statement attached to a role through AWS::IAM::Policy resources. */
export function statementsOfRole(template: Template, roleLogicalId: string): Record<string, any>[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .map((p) => (p as Resource).Properties)
    .filter((p) => (p.Roles as { Ref: string }[]).some((r) => r.Ref === roleLogicalId))
    .flatMap((p) => p.PolicyDocument.Statement as Record<string, any>[]);
}

export function roleLogicalIdFromArn(arn: unknown): string {
  const getAtt = (arn as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  if (getAtt === undefined || getAtt[1] !== 'Arn') throw new Error(`not a role ARN reference: ${JSON.stringify(arn)}`);
  return getAtt[0];
}

export function asArray<T>(v: T | T[]): T[] {
  return Array.isArray(v) ? v : [v];
}
