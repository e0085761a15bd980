import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * How cdk-nag names a policy resource in an IAM5 finding (`Resource::<this>`): literals stay,
 * `Ref`s become `<Name>` and `Fn::GetAtt`s `<Name.Attr>`. Throws on anything else, so an
 * acknowledgement can never silently stop matching its finding.
 */
export function nagResourceId(scope: IConstruct, value: string): string {
  return render(Stack.of(scope).resolve(value));
}

function render(node: unknown): string {
  if (typeof node === 'string') return node;
  if (node !== null && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o.Ref === 'string') return `<${o.Ref}>`;
    const getAtt = o['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${getAtt.join('.')}>`;
    const join = o['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) return (join[1] as unknown[]).map(render).join(join[0]);
  }
  throw new Error(`cannot name ${JSON.stringify(node)} the way cdk-nag does`);
}
