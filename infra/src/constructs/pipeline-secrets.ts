import { RemovalPolicy } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge } from '../nag/acknowledge.js';
import type { TaskSecret } from './pipeline-task.js';

export interface PipelineSecretsProps {
  environmentName: string;
  /** Snowflake's credential secrets; undefined for a Postgres warehouse (RDS keeps its master password). */
  snowflake: { auth: 'password' | 'key-pair'; keyPassphrase: boolean } | undefined;
  /** Postgres: a generated password that makes the BI reader role a login role. */
  warehouseReaderPassword: boolean;
}

/** One secret per pipeline credential, each a plain string the task receives as one variable. */
export interface PipelineSecret extends TaskSecret {
  /** The secret's name, e.g. gmp/prod/rawg-api-key (its ARN adds a random suffix). */
  name: string;
  secret: secretsmanager.Secret;
}

/**
 * The pipeline's credentials in Secrets Manager. CloudFormation fills each with a random
 * value: a placeholder operators replace with `aws secretsmanager put-secret-value`, except the
 * Postgres reader password, which is used as generated. Secrets are retained with the stack:
 * their values are set by hand (or handed to BI tools) and cannot be re-created.
 */
export class PipelineSecrets extends Construct {
  readonly all: PipelineSecret[];

  constructor(scope: Construct, id: string, props: PipelineSecretsProps) {
    super(scope, id);
    const prefix = `gmp/${props.environmentName}`;
    const make = (cid: string, variable: string, name: string, description: string, rotationReason: string, generate?: secretsmanager.SecretStringGenerator): PipelineSecret => {
      const secretName = `${prefix}/${name}`;
      const secret = new secretsmanager.Secret(this, cid, {
        secretName,
        description,
        removalPolicy: RemovalPolicy.RETAIN,
        ...(generate !== undefined ? { generateSecretString: generate } : {}),
      });
      acknowledge(secret, 'AwsSolutions-SMG4', rotationReason);
      return { variable, name: secretName, secret };
    };
    this.all = [
      make(
        'RawgApiKey',
        'RAWG_API_KEY',
        'rawg-api-key',
        'RAWG API key of the Game Market Pipeline (plain string)',
        'RAWG issues API keys on its website and offers no API to rotate them, so a rotation Lambda has nothing to call; rotate by hand with put-secret-value.',
      ),
      ...(props.snowflake === undefined ? [] : snowflakeSecrets(make, props.snowflake)),
      ...(props.warehouseReaderPassword
        ? [
            make(
              'WarehouseReaderPassword',
              'GMP_WAREHOUSE_READER_PASSWORD',
              'warehouse-reader-password',
              'Password of the read-only BI role of the Postgres warehouse (generated; BI tools log in with it)',
              'The reader role’s password is set in Postgres by `gmp warehouse setup`; a Secrets Manager rotation would change the secret without the role, so rotate by putting a new value and running setup again.',
              // Letters and digits only: BI tools and connection URLs take it without quoting.
              { passwordLength: 32, excludePunctuation: true },
            ),
          ]
        : []),
      make(
        'StateUrl',
        'GMP_STATE_URL',
        'state-url',
        'Postgres URL of the gmp state store: postgres://user:password@host:5432/database',
        'The state database lives outside these stacks (bring your own Postgres), so its password is rotated where it is managed and then written here.',
      ),
    ];
  }
}

type MakeSecret = (cid: string, variable: string, name: string, description: string, rotationReason: string) => PipelineSecret;

function snowflakeSecrets(make: MakeSecret, snowflake: { auth: 'password' | 'key-pair'; keyPassphrase: boolean }): PipelineSecret[] {
  return [
    snowflake.auth === 'password'
      ? make(
          'SnowflakeCredential',
          'SNOWFLAKE_PASSWORD',
          'snowflake-password',
          'Snowflake password of the pipeline user (plain string)',
          'The Snowflake user password is changed in Snowflake (ALTER USER), which Secrets Manager cannot do without a custom rotation Lambda holding admin rights in Snowflake.',
        )
      : make(
          'SnowflakeCredential',
          'SNOWFLAKE_PRIVATE_KEY',
          'snowflake-private-key',
          'Snowflake key-pair private key (PEM) of the pipeline user',
          'Key-pair rotation needs ALTER USER SET RSA_PUBLIC_KEY_2 in Snowflake, which Secrets Manager cannot do without a custom Lambda holding admin rights in Snowflake.',
        ),
    ...(snowflake.auth === 'key-pair' && snowflake.keyPassphrase
      ? [
          make(
            'SnowflakeKeyPassphrase',
            'SNOWFLAKE_PRIVATE_KEY_PASSPHRASE',
            'snowflake-private-key-passphrase',
            'Passphrase of the encrypted Snowflake private key',
            'The passphrase changes only together with the key pair, which is rotated in Snowflake (ALTER USER SET RSA_PUBLIC_KEY_2), not by Secrets Manager.',
          ),
        ]
      : []),
  ];
}
