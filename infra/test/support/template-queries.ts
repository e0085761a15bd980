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

/**
 * Parses a JSON document CloudFormation assembles with Fn::Join (as Stack.toJsonString renders
 * one), putting each intrinsic (Ref, Fn::GetAtt) back where its value will be.
 */
export function parseJoinedJson(value: unknown): unknown {
  if (typeof value === 'string') return JSON.parse(value);
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join === undefined) throw new Error(`not a JSON string or Fn::Join: ${JSON.stringify(value)}`);
  const [separator, parts] = join;
  const intrinsics: unknown[] = [];
  const text = parts.map((part) => (typeof part === 'string' ? part : `<intrinsic ${intrinsics.push(part) - 1}>`)).join(separator);
  const revive = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const marker = /^<intrinsic (\d+)>$/.exec(v);
      return marker === null ? v : intrinsics[Number(marker[1])];
    }
    if (Array.isArray(v)) return v.map(revive);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)]));
    return v;
  };
  return revive(JSON.parse(text));
}
