import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

export interface GitHubDeployRoleProps {
  environmentName: string;
  repo: string;
  branch: string;
  /** An existing provider for token.actions.githubusercontent.com; created when undefined. */
  oidcProviderArn: string | undefined;
  cdkBootstrapQualifier: string;
}

/**
 * A role GitHub Actions of one repository and branch can assume through OIDC to run
 * `cdk deploy`. It may do nothing but assume the CDK bootstrap roles of this environment,
 * which hold the deployment rights.
 */
export class GitHubDeployRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: GitHubDeployRoleProps) {
    super(scope, id);
    const provider =
      props.oidcProviderArn !== undefined
        ? iam.OidcProviderNative.fromOidcProviderArn(this, 'Provider', props.oidcProviderArn)
        : new iam.OidcProviderNative(this, 'Provider', { url: `https://${GITHUB_OIDC_HOST}`, clientIds: ['sts.amazonaws.com'] });

    this.role = new iam.Role(this, 'Role', {
      roleName: `gmp-${props.environmentName}-github-deploy`,
      description: `cdk deploy from GitHub Actions of ${props.repo} on branch ${props.branch}`,
      maxSessionDuration: Duration.hours(1),
      assumedBy: new iam.WebIdentityPrincipal(provider.oidcProviderArn, {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com',
          [`${GITHUB_OIDC_HOST}:sub`]: `repo:${props.repo}:ref:refs/heads/${props.branch}`,
        },
      }),
    });
    const { account, region, partition } = Stack.of(this);
    const q = props.cdkBootstrapQualifier;
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeCdkBootstrapRoles',
        actions: ['sts:AssumeRole'],
        resources: ['deploy', 'file-publishing', 'image-publishing', 'lookup'].map(
          (kind) => `arn:${partition}:iam::${account}:role/cdk-${q}-${kind}-role-${account}-${region}`,
        ),
      }),
    );
  }
}
