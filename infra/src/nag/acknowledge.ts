import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges one cdk-nag finding on one construct (and its children), with the reason an
 * auditor reads in the template's `cdk_nag` metadata. Throws when the reason is too short to
 * say why the finding is acceptable here.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  if (reason.trim().length < 40) throw new Error(`the acknowledgement of ${id} at ${scope.node.path} needs a specific reason (40+ characters)`);
  Validations.of(scope).acknowledge({ id, reason });
}
