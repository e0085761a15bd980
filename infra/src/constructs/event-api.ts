import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag/acknowledge.js';
import { defaultPolicyOf } from './event-delivery.js';

/** The collector's limits (ingestion/events/contracts.ts MAX_BODY_BYTES), and Kinesis PutRecords' 500 records a call. */
export const MAX_BODY_CHARACTERS = 1024 * 1024;
export const MAX_BATCH_EVENTS = 500;
export const EVENT_API_STAGE = 'api';

export interface EventApiProps {
  environmentName: string;
  stream: kinesis.IStream;
  writeKeys: readonly string[];
  ratePerSecond: number;
  burst: number;
  logRetention: logs.RetentionDays;
}

/**
 * The cloud collector: a regional REST API whose `POST /v1/batch` and `POST /v1/track` take the
 * bodies `gmp collect` takes and put each event straight into the Kinesis stream (an AWS service
 * integration, no code), one record per event: `{"received_at": <ms>, "event": …}` and a newline.
 * Every call needs a write key (an API key of the usage plan, which throttles each key); a 2xx
 * means Kinesis stored every event of the request. Access logs (no bodies, no keys) and error
 * execution logs go to CloudWatch.
 */
export class EventApi extends Construct {
  readonly api: apigateway.RestApi;
  readonly accessLogs: logs.LogGroup;
  readonly usagePlan: apigateway.UsagePlan;
  readonly keys: apigateway.IApiKey[];
  readonly integrationRole: iam.Role;

  constructor(scope: Construct, id: string, props: EventApiProps) {
    super(scope, id);
    const name = `gmp-${props.environmentName}-events`;
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    const account = this.apiGatewayAccount();

    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: name,
      description: `gmp ${props.environmentName}: live events into Kinesis (POST /v1/batch, /v1/track; write key in x-api-key)`,
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      cloudWatchRole: false,
      apiKeySourceType: apigateway.ApiKeySourceType.HEADER,
      deployOptions: {
        stageName: EVENT_API_STAGE,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields({
          caller: false,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: false,
        }),
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        // Never log bodies or headers: they carry players' events and the write key.
        dataTraceEnabled: false,
        metricsEnabled: true,
        throttlingRateLimit: props.ratePerSecond * Math.max(1, props.writeKeys.length),
        throttlingBurstLimit: props.burst * Math.max(1, props.writeKeys.length),
      },
    });
    // The stage logs through the account's CloudWatch role: it must be set first.
    this.api.deploymentStage.node.addDependency(account);

    this.integrationRole = new iam.Role(this, 'IntegrationRole', {
      description: `Lets the ${name} API put records into its Kinesis stream, nothing else`,
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
    });
    this.integrationRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'PutEvents', actions: ['kinesis:PutRecords'], resources: [props.stream.streamArn] }));

    const validator = this.api.addRequestValidator('BodyValidator', { requestValidatorName: `${name}-body`, validateRequestBody: true, validateRequestParameters: true });
    const batchModel = this.api.addModel('BatchModel', {
      contentType: 'application/json',
      modelName: 'Batch',
      schema: {
        schema: apigateway.JsonSchemaVersion.DRAFT4,
        type: apigateway.JsonSchemaType.OBJECT,
        required: ['batch'],
        properties: { batch: { type: apigateway.JsonSchemaType.ARRAY, minItems: 1, maxItems: MAX_BATCH_EVENTS, items: { type: apigateway.JsonSchemaType.OBJECT } } },
      },
    });
    // Contracts are checked when the events are committed (gmp events commit-landed), where an
    // invalid event is kept in failed_events with its reason, as the local collector keeps it.
    const eventModel = this.api.addModel('EventModel', {
      contentType: 'application/json',
      modelName: 'Event',
      schema: { schema: apigateway.JsonSchemaVersion.DRAFT4, type: apigateway.JsonSchemaType.OBJECT },
    });

    const v1 = this.api.root.addResource('v1');
    const reason =
      'Senders are game clients and web stores that cannot hold AWS credentials or user-pool tokens; each holds a write key (an API key of the usage plan, throttled per key), the model Segment and Snowplow collectors use. Revoke a key by removing it from events.writeKeys.';
    for (const [path, model, eventsPath] of [
      ['batch', batchModel, '$.batch'],
      ['track', eventModel, undefined],
    ] as const) {
      const method = v1.addResource(path).addMethod('POST', this.putRecords(props.stream, eventsPath), {
        apiKeyRequired: true,
        requestValidator: validator,
        requestModels: { 'application/json': model },
        methodResponses: [200, 400, 503].map((status) => ({
          statusCode: String(status),
          ...(status === 503 ? { responseParameters: { 'method.response.header.Retry-After': true } } : {}),
        })),
      });
      acknowledge(method, 'AwsSolutions-APIG4', reason);
      acknowledge(method, 'AwsSolutions-COG4', reason);
    }

    this.usagePlan = this.api.addUsagePlan('WriteKeys', {
      name: `${name}-write-keys`,
      description: 'Senders of live events, one API key each',
      throttle: { rateLimit: props.ratePerSecond, burstLimit: props.burst },
      apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
    });
    this.keys = props.writeKeys.map((key) => {
      const apiKey = this.api.addApiKey(`WriteKey-${key}`, { apiKeyName: `${name}-${key}`, description: `write key of sender ${key}` });
      this.usagePlan.addApiKey(apiKey);
      return apiKey;
    });

    acknowledge(
      this.api.deploymentStage,
      'AwsSolutions-APIG3',
      'The API only puts records into Kinesis; floods are bounded by the per-key usage plan throttle and the stage throttle, and oversized or malformed bodies by the request validator and mapping. A WAF web ACL (per-IP rate rules) can be associated later without changing the API.',
    );
  }

  /**
   * Kinesis PutRecords from the request body: each event of `eventsPath` (or the body itself) is a
   * record of `{"received_at": <request time, ms>, "event": <the event>}` plus a newline, so a
   * Firehose object is JSON lines. A body over MAX_BODY_CHARACTERS becomes a call without records,
   * which Kinesis refuses: nothing is stored and the sender gets the 400.
   */
  private putRecords(stream: kinesis.IStream, eventsPath: '$.batch' | undefined): apigateway.AwsIntegration {
    const record = (json: string, index: string): string =>
      [
        `#set($json = ${json})`,
        // A literal newline ends the string: the newline after each record.
        `#set($line = "{$q$receivedKey$q:$context.requestTimeEpoch,$q$eventKey$q:$json}\n")`,
        `{"Data": "$util.base64Encode($line)", "PartitionKey": "$context.requestId-${index}"}`,
      ].join('\n');
    const records =
      eventsPath === undefined
        ? record(`$input.json('$')`, '0')
        : [`#foreach($item in $input.path('${eventsPath}'))`, record(`$input.json("${eventsPath}[$foreach.index]")`, '$foreach.index'), '#if($foreach.hasNext),#end', '#end'].join('\n');
    const template = [
      `#set($q = '"')`,
      `#set($receivedKey = 'received_at')`,
      `#set($eventKey = 'event')`,
      `{"StreamName": "${stream.streamName}", "Records": [`,
      `#if($input.body.length() <= ${MAX_BODY_CHARACTERS})`,
      records,
      '#end',
      ']}',
    ].join('\n');
    return new apigateway.AwsIntegration({
      service: 'kinesis',
      action: 'PutRecords',
      integrationHttpMethod: 'POST',
      options: {
        credentialsRole: this.integrationRole,
        passthroughBehavior: apigateway.PassthroughBehavior.NEVER,
        requestParameters: { 'integration.request.header.Content-Type': "'application/x-amz-json-1.1'" },
        requestTemplates: { 'application/json': template },
        integrationResponses: [
          {
            statusCode: '200',
            // PutRecords answers 200 even when some records failed (throttled shards): then nothing is acknowledged.
            responseTemplates: {
              'application/json': [
                `#set($failed = $input.path('$.FailedRecordCount'))`,
                '#if($failed > 0)',
                '#set($context.responseOverride.status = 503)',
                `#set($context.responseOverride.header.Retry-After = '1')`,
                `{"error": {"code": "NOT_DURABLE", "message": "$failed events of the request were not stored: send the request again (event_id deduplicates)"}}`,
                '#else',
                `{"accepted": $input.path('$.Records').size(), "duplicates": 0, "failed": []}`,
                '#end',
              ].join('\n'),
            },
          },
          {
            selectionPattern: '4\\d{2}',
            statusCode: '400',
            responseTemplates: {
              'application/json': `{"error": {"code": "REFUSED", "message": "nothing was stored: a request holds at most ${MAX_BATCH_EVENTS} events and ${MAX_BODY_CHARACTERS} characters"}}`,
            },
          },
          {
            selectionPattern: '5\\d{2}',
            statusCode: '503',
            responseParameters: { 'method.response.header.Retry-After': "'5'" },
            responseTemplates: { 'application/json': '{"error": {"code": "NOT_DURABLE", "message": "the stream did not answer: send the request again"}}' },
          },
        ],
      },
    });
  }

  /**
   * API Gateway writes execution and access logs through one CloudWatch role per account and
   * region (its account settings). This sets it to a role that may write logs and nothing else.
   */
  private apiGatewayAccount(): apigateway.CfnAccount {
    const role = new iam.Role(this, 'CloudWatchRole', {
      description: 'API Gateway account settings: writes the execution and access logs of the REST APIs of this account and region',
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
    });
    const logGroups = `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteApiLogs',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams', 'logs:PutLogEvents', 'logs:GetLogEvents', 'logs:FilterLogEvents'],
        resources: [logGroups],
      }),
    );
    acknowledge(
      role,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*]`,
      'The API Gateway account role serves every REST API of the account and region (it is one account setting), whose execution log groups API Gateway names itself (API-Gateway-Execution-Logs_<api id>/<stage>); like the AWS managed policy it replaces, it may write logs only.',
    );
    const account = new apigateway.CfnAccount(this, 'Account', { cloudWatchRoleArn: role.roleArn });
    account.node.addDependency(defaultPolicyOf(role));
    return account;
  }
}
