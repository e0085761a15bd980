import { Aws, CfnCondition, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from '../nag/acknowledge.js';
import { nagResourceId } from '../nag/nag-resource-id.js';

/** Placeholder external id until DESC INTEGRATION tells the real one (Snowflake's own docs use 0000). */
export const PENDING_EXTERNAL_ID = '0000';

export interface SnowflakeLakeReaderRoleProps {
  environmentName: string;
  lakeBucket: s3.IBucket;
  lakeKey: kms.IKey | undefined;
  lakePrefix: string;
  /** Defaults of the stack parameters, from the environment config. */
  principalArn: string | undefined;
  externalId: string | undefined;
}

/**
 * The role Snowflake's storage integration assumes to read the lake. Its name is fixed so the
 * integration can be created first (STORAGE_AWS_ROLE_ARN); the principal and external id that
 * DESC INTEGRATION then reports are stack parameters. Until the principal is set the role
 * trusts only this account, as Snowflake's setup guide describes.
 */
export class SnowflakeLakeReaderRole extends Construct {
  readonly role: iam.Role;
  readonly principalArn: CfnParameter;
  readonly externalId: CfnParameter;

  constructor(scope: Construct, id: string, props: SnowflakeLakeReaderRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // Parameters live at stack level so their names stay SnowflakePrincipalArn / SnowflakeExternalId.
    this.principalArn = new CfnParameter(stack, 'SnowflakePrincipalArn', {
      type: 'String',
      default: props.principalArn ?? '',
      allowedPattern: '^(arn:aws[a-z-]*:iam::[0-9]{12}:(user|role)/[\\w+=,.@/-]+)?$',
      description: 'STORAGE_AWS_IAM_USER_ARN from DESC INTEGRATION in Snowflake; empty until the integration exists (then only this account is trusted)',
    });
    this.externalId = new CfnParameter(stack, 'SnowflakeExternalId', {
      type: 'String',
      default: props.externalId ?? PENDING_EXTERNAL_ID,
      allowedPattern: '^[\\w+=,.@:/-]{2,1224}$',
      description: 'STORAGE_AWS_EXTERNAL_ID from DESC INTEGRATION in Snowflake',
    });
    const pending = new CfnCondition(stack, 'SnowflakePrincipalPending', {
      expression: Fn.conditionEquals(this.principalArn.valueAsString, ''),
    });
    const trusted = Fn.conditionIf(pending.logicalId, `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:root`, this.principalArn.valueAsString);

    this.role = new iam.Role(this, 'Role', {
      roleName: snowflakeRoleName(props.environmentName),
      description: 'Assumed by the Snowflake storage integration of the gmp lake (read-only on the lake prefix)',
      assumedBy: new iam.ArnPrincipal(trusted.toString()).withConditions({
        StringEquals: { 'sts:ExternalId': this.externalId.valueAsString },
      }),
    });
    const { lakeBucket: bucket, lakePrefix: prefix } = props;
    const objects = `${bucket.bucketArn}/${prefix}/*`;
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'ReadLakeObjects', actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [objects] }),
    );
    acknowledge(
      this.role,
      `AwsSolutions-IAM5[Resource::${nagResourceId(this, objects)}]`,
      `Snowflake's external tables read every committed file under the lake prefix; the grant is read-only and limited to ${prefix}/*, as Snowflake's storage integration guide prescribes.`,
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ListLakePrefix',
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [prefix, `${prefix}/*`] } },
      }),
    );
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'LocateBucket', actions: ['s3:GetBucketLocation'], resources: [bucket.bucketArn] }));
    if (props.lakeKey !== undefined) {
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'DecryptLake', actions: ['kms:Decrypt'], resources: [props.lakeKey.keyArn] }));
    }
  }
}

/** Fixed, so the Snowflake integration can name the role before the stack exists. */
export function snowflakeRoleName(environmentName: string): string {
  return `gmp-${environmentName}-snowflake-lake-reader`;
}
