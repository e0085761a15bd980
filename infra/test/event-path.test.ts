import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullEnvironment, minimalEnvironment } from './support/environments.js';
import { REPO_ROOT, synthesize, type Synthesized } from './support/synth.js';
import { logicalIdOf, parseJoinedJson, resource, roleLogicalIdFromArn, statementsOfRole } from './support/template-queries.js';

// full: KMS lake, two write keys, provisioned shards, a short buffer; minimal: SSE-S3 lake and
// every events default; off: the event path disabled.
let synth: Synthesized;
beforeAll(() => {
  synth = synthesize([
    fullEnvironment({ events: { shards: 2, retentionHours: 48, writeKeys: ['game-client', 'web-store'], ratePerSecond: 200, burst: 400, bufferSeconds: 120, bufferMiB: 16 } }),
    minimalEnvironment(),
    minimalEnvironment({ name: 'off', events: { enabled: false } }),
  ]);
});
afterAll(() => synth.dispose());

const firehoseOf = (env: string): Record<string, any> => {
  const t = synth.get(env).runtime;
  return resource(t, logicalIdOf(t, 'AWS::KinesisFirehose::DeliveryStream')).Properties;
};
const methodOf = (env: string, route: 'batch' | 'track'): Record<string, any> => {
  const t = synth.get(env).runtime;
  const [, method] = Object.entries(t.findResources('AWS::ApiGateway::Method')).find(([id]) => id.startsWith(`EventApiv1${route}POST`))!;
  return (method as { Properties: Record<string, any> }).Properties;
};

describe('event path: the stream (stateful stack)', () => {
  it('is encrypted with the aws/kinesis key, on demand unless shards are configured, and retained', () => {
    const stream = (env: string) => resource(synth.get(env).stateful, logicalIdOf(synth.get(env).stateful, 'AWS::Kinesis::Stream'));
    expect(stream('minimal').Properties).toEqual({
      Name: 'gmp-minimal-events',
      RetentionPeriodHours: 24,
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
    });
    expect(stream('full').Properties).toMatchObject({ RetentionPeriodHours: 48, ShardCount: 2, StreamModeDetails: { StreamMode: 'PROVISIONED' } });
    expect(stream('full')).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('event path: the API', () => {
  it('takes POST /v1/batch and /v1/track, each only with a write key and a validated JSON body', () => {
    for (const route of ['batch', 'track'] as const) {
      const method = methodOf('full', route);
      expect(method).toMatchObject({ HttpMethod: 'POST', ApiKeyRequired: true, AuthorizationType: 'NONE' });
      expect(method.RequestValidatorId).toEqual({ Ref: expect.stringMatching(/^EventApiBodyValidator/) });
    }
    const t = synth.get('full').runtime;
    t.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true });
    t.hasResourceProperties('AWS::ApiGateway::Model', {
      Name: 'Batch',
      Schema: Match.objectLike({ required: ['batch'], properties: { batch: { type: 'array', minItems: 1, maxItems: 500, items: { type: 'object' } } } }),
    });
    t.hasResourceProperties('AWS::ApiGateway::RestApi', { Name: 'gmp-full-events', EndpointConfiguration: { Types: ['REGIONAL'] }, ApiKeySourceType: 'HEADER' });
  });

  it('puts every event into the stream as its own newline-ended record, through a role that may only put records', () => {
    const t = synth.get('full').runtime;
    const stream = logicalIdOf(synth.get('full').stateful, 'AWS::Kinesis::Stream');
    for (const [route, item] of [['batch', `$input.json("$.batch[$foreach.index]")`], ['track', `$input.json('$')`]] as const) {
      const integration = methodOf('full', route).Integration;
      expect(integration).toMatchObject({ Type: 'AWS', IntegrationHttpMethod: 'POST', Uri: 'arn:aws:apigateway:eu-west-1:kinesis:action/PutRecords', PassthroughBehavior: 'NEVER' });
      const template = JSON.stringify(integration.RequestTemplates['application/json']);
      expect(template).toContain(JSON.stringify(`#set($json = ${item})`).slice(1, -1));
      // The literal newline inside the record's string: Firehose objects become JSON lines.
      expect(template).toContain(JSON.stringify('$q$eventKey$q:$json}\n")').slice(1, -1));
      expect(template).toContain(JSON.stringify('#if($input.body.length() <= 1048576)').slice(1, -1));
      expect(template).toContain(stream);
      const statements = statementsOfRole(t, roleLogicalIdFromArn(integration.Credentials));
      expect(statements).toEqual([{ Sid: 'PutEvents', Effect: 'Allow', Action: 'kinesis:PutRecords', Resource: expect.anything() }]);
    }
  });

  it('acknowledges only what Kinesis stored: partial failures and stream errors are 503 with Retry-After', () => {
    const responses = methodOf('full', 'batch').Integration.IntegrationResponses as Record<string, any>[];
    expect(responses.map((r) => [r.SelectionPattern, r.StatusCode])).toEqual([
      [undefined, '200'],
      ['4\\d{2}', '400'],
      ['5\\d{2}', '503'],
    ]);
    expect(responses[0]!.ResponseTemplates['application/json']).toMatch(/FailedRecordCount[\s\S]*responseOverride\.status = 503/);
  });

  it('gives each configured sender its own key in one usage plan that throttles every key', () => {
    const t = synth.get('full').runtime;
    expect(Object.values(t.findResources('AWS::ApiGateway::ApiKey')).map((k) => k.Properties.Name).sort()).toEqual(['gmp-full-events-game-client', 'gmp-full-events-web-store']);
    t.hasResourceProperties('AWS::ApiGateway::UsagePlan', { UsagePlanName: 'gmp-full-events-write-keys', Throttle: { RateLimit: 200, BurstLimit: 400 } });
    t.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 2);
    synth.get('minimal').runtime.hasResourceProperties('AWS::ApiGateway::ApiKey', { Name: 'gmp-minimal-events-default' });
  });

  it('logs access (no bodies, no keys) and errors to CloudWatch, through an account role that may only write logs', () => {
    const t = synth.get('full').runtime;
    const stage = resource(t, logicalIdOf(t, 'AWS::ApiGateway::Stage')).Properties;
    expect(stage.StageName).toBe('api');
    expect(stage.MethodSettings).toEqual([expect.objectContaining({ HttpMethod: '*', ResourcePath: '/*', LoggingLevel: 'ERROR', DataTraceEnabled: false, MetricsEnabled: true })]);
    const accessLogs = (stage.AccessLogSetting.DestinationArn['Fn::Join'][1] as { Ref?: string }[]).find((p) => p.Ref !== undefined)!.Ref!;
    expect(resource(t, accessLogs).Properties.RetentionInDays).toBe(180);
    expect(stage.AccessLogSetting.Format).not.toMatch(/apiKey|requestBody/i);
    const account = resource(t, logicalIdOf(t, 'AWS::ApiGateway::Account')).Properties;
    expect(statementsOfRole(t, roleLogicalIdFromArn(account.CloudWatchRoleArn)).flatMap((s) => s.Action)).toEqual(expect.arrayContaining(['logs:PutLogEvents']));
    expect(statementsOfRole(t, roleLogicalIdFromArn(account.CloudWatchRoleArn)).flatMap((s) => s.Action).every((a: string) => a.startsWith('logs:'))).toBe(true);
  });
});

describe('event path: Firehose into the lake', () => {
  it('reads the stream and lands GZIP JSON lines in hourly folders of the landing area, with errors apart', () => {
    expect(firehoseOf('full')).toMatchObject({
      DeliveryStreamName: 'gmp-full-events-to-lake',
      DeliveryStreamType: 'KinesisStreamAsSource',
      ExtendedS3DestinationConfiguration: {
        BucketARN: 'arn:aws:s3:::gmp-lake-full-123456789012-eu-west-1',
        Prefix: "lake/raw/events/landing/dt=!{timestamp:yyyy-MM-dd'T'HH}/",
        ErrorOutputPrefix: "lake/raw/events/landing_errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd'T'HH}/",
        CompressionFormat: 'GZIP',
        BufferingHints: { IntervalInSeconds: 120, SizeInMBs: 16 },
        CloudWatchLoggingOptions: { Enabled: true },
      },
    });
    expect(firehoseOf('minimal').ExtendedS3DestinationConfiguration).toMatchObject({ Prefix: "gmp/data/raw/events/landing/dt=!{timestamp:yyyy-MM-dd'T'HH}/", BufferingHints: { IntervalInSeconds: 300, SizeInMBs: 64 } });
  });

  it('lands where `gmp events commit-landed` reads, in the hour layout of the lake', () => {
    const source = readFileSync(path.join(REPO_ROOT, 'ingestion', 'events', 'commit-landed.ts'), 'utf8');
    const landing = /export const LANDING_PREFIX = '([^']+)'/.exec(source)?.[1];
    expect(landing).toBe('raw/events/landing/');
    expect(firehoseOf('full').ExtendedS3DestinationConfiguration.Prefix).toBe(`lake/${landing}dt=!{timestamp:yyyy-MM-dd'T'HH}/`);
  });

  it('encrypts with the lake key when the lake has one', () => {
    expect(firehoseOf('full').ExtendedS3DestinationConfiguration.EncryptionConfiguration.KMSEncryptionConfig.AWSKMSKeyARN).toBeDefined();
    expect(firehoseOf('minimal').ExtendedS3DestinationConfiguration.EncryptionConfiguration).toEqual({ NoEncryptionConfig: 'NoEncryption' });
  });

  it('has a role only Firehose of this account assumes, reading the stream and writing the landing folders only', () => {
    const t = synth.get('full').runtime;
    const roleId = roleLogicalIdFromArn(firehoseOf('full').ExtendedS3DestinationConfiguration.RoleARN);
    expect(roleLogicalIdFromArn(firehoseOf('full').KinesisStreamSourceConfiguration.RoleARN)).toBe(roleId);
    expect(resource(t, roleId).Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'firehose.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } },
    ]);
    const statements = statementsOfRole(t, roleId);
    expect(statements.map((s) => s.Sid)).toEqual(['ReadEventStream', 'LocateLakeBucket', 'WriteLandingFolders', 'EncryptWithLakeKey', 'LogDelivery']);
    expect(statements[2]!.Resource).toEqual([
      'arn:aws:s3:::gmp-lake-full-123456789012-eu-west-1/lake/raw/events/landing/*',
      'arn:aws:s3:::gmp-lake-full-123456789012-eu-west-1/lake/raw/events/landing_errors/*',
    ]);
    expect(statements[2]!.Action).not.toContain('s3:DeleteObject');
    expect(statements[3]!.Condition).toEqual({ StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } });
    expect(statementsOfRole(synth.get('minimal').runtime, roleLogicalIdFromArn(firehoseOf('minimal').ExtendedS3DestinationConfiguration.RoleARN)).map((s) => s.Sid)).not.toContain('EncryptWithLakeKey');
  });
});

describe('event path: alarms and the hourly commit', () => {
  it('alarm on stale delivery and on API 5xx, into the failed-run topic, which admits exactly those alarms', () => {
    const t = synth.get('full').runtime;
    const topic = { Ref: logicalIdOf(t, 'AWS::SNS::Topic') };
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'gmp-full-events-delivery-stale',
      Namespace: 'AWS/Firehose',
      MetricName: 'DeliveryToS3.DataFreshness',
      Threshold: 120 + 900,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'gmp-full-events-api-5xx', Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Threshold: 0, AlarmActions: [topic] });
    const policy = Object.values(t.findResources('AWS::SNS::TopicPolicy'))[0]!.Properties.PolicyDocument.Statement as Record<string, any>[];
    const alarms = policy.filter((s) => s.Principal?.Service === 'cloudwatch.amazonaws.com').map((s) => String(s.Condition.ArnLike['aws:SourceArn']).split(':alarm:')[1]);
    expect(alarms.sort()).toEqual(['gmp-full-events-api-5xx', 'gmp-full-events-delivery-stale', 'gmp-full-schedule-failed']);
  });

  it('runs `gmp events commit-landed` ten minutes past every hour, on the task of the daily run', () => {
    const t = synth.get('full').runtime;
    const schedule = resource(t, logicalIdOf(t, 'AWS::Scheduler::Schedule', { Name: 'gmp-full-events-commit-landed' })).Properties;
    expect(schedule).toMatchObject({ ScheduleExpression: 'cron(10 * * * ? *)', ScheduleExpressionTimezone: 'UTC', Description: 'gmp events commit-landed', State: 'ENABLED' });
    const request = parseJoinedJson(schedule.Target.Input) as { Overrides: { ContainerOverrides: { Command: string[] }[] } };
    expect(request.Overrides.ContainerOverrides[0]!.Command).toEqual(['events', 'commit-landed']);
    // The CLI has that command (a renamed command fails here, not at 10 past the hour).
    expect(readFileSync(path.join(REPO_ROOT, 'cli', 'commands', 'events.ts'), 'utf8')).toMatch(/\.command\('events'\)[\s\S]*\.command\('commit-landed'\)/);
  });

  it('is left out entirely when events.enabled is false', () => {
    const { stateful, runtime } = synth.get('off');
    stateful.resourceCountIs('AWS::Kinesis::Stream', 0);
    for (const type of ['AWS::ApiGateway::RestApi', 'AWS::KinesisFirehose::DeliveryStream', 'AWS::ApiGateway::Account']) runtime.resourceCountIs(type, 0);
    expect(Object.values(runtime.findResources('AWS::Scheduler::Schedule')).map((s) => s.Properties.Name).sort()).toEqual(['gmp-off-daily', 'gmp-off-weekly-models', 'gmp-off-weekly-taxonomy']);
    expect(Object.keys(runtime.toJSON().Outputs)).not.toContain('EventApiUrl');
  });

  it('outputs the API URL and the id of every write key', () => {
    const outputs = synth.get('full').runtime.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(JSON.stringify(outputs.EventApiUrl!.Value)).toContain('/v1/');
    expect(JSON.stringify(outputs.EventWriteKeyIds!.Value)).toMatch(/game-client=.*,web-store=/);
    expect(synth.get('full').stateful.toJSON().Outputs.EventStreamName.Value).toBe('gmp-full-events');
  });
});
