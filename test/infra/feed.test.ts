// The Ministry feed in the templates: the feed key and who may sign with it, the export bucket, the deliverer's
// stream trigger and schedule, its dead-letter alarm, and grants that name exactly what the code sends.
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { FEED_PENDING } from '../../functions/store/feed.ts';
import { resourcesOfType, synthApp } from './synth.ts';

const { stages } = synthApp();

describe.each(['dev', 'prod'] as const)('the %s stage', (stageName) => {
  const { stateful, stateless } = stages[stageName];

  it('keeps a retained P-256 feed key that only the deliverer role may sign with', () => {
    const key = stateful.toJSON().Resources.FeedSigningKey;
    expect(key.Type).toBe('AWS::KMS::Key');
    expect(key.DeletionPolicy).toBe('Retain');
    expect(key.Properties).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const statements = key.Properties.KeyPolicy.Statement as {
      Sid: string;
      Principal: unknown;
      Effect?: string;
    }[];
    const signer = statements.find((s) => s.Sid === 'SignerSigns');
    expect(JSON.stringify(signer?.Principal)).toContain('DelivererSignerRole');
    expect(statements.find((s) => s.Sid === 'NoOtherPrincipalSigns')?.Effect).toBe('Deny');
    stateful.hasResourceProperties('AWS::KMS::Alias', { AliasName: `alias/rahdari/${stageName}/feed` });
  });

  it('writes the export to a versioned, encrypted, private, TLS-only bucket that moves files to cheaper storage', () => {
    const [[id, bucket]] = resourcesOfType(stateful, 'AWS::S3::Bucket').filter(([logicalId]) =>
      logicalId.startsWith('FeedExportBucket'),
    ) as unknown as [[string, { Properties: Record<string, unknown> }]];
    expect(bucket.Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: [
          expect.objectContaining({
            Transitions: [
              { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
              { StorageClass: 'GLACIER_IR', TransitionInDays: 90 },
            ],
          }),
        ],
      },
    });
    stateful.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('wakes the deliverer only for new pending entries, in bisected batches with a failure destination', () => {
    stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'LATEST',
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: {
        Filters: [{ Pattern: JSON.stringify({ dynamodb: { NewImage: { GSI1PK: { S: [FEED_PENDING] } } } }) }],
      },
    });
  });

  it('gives the exporter 15 minutes and 1 GB, and clears the parts of an upload killed midway after a day', () => {
    stateless.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('exporter'),
      Timeout: 900,
      MemorySize: 1024,
    });
    const [[, bucket]] = resourcesOfType(stateful, 'AWS::S3::Bucket').filter(([logicalId]) =>
      logicalId.startsWith('FeedExportBucket'),
    ) as unknown as [[string, { Properties: { LifecycleConfiguration: { Rules: unknown[] } } }]];
    expect(bucket.Properties.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
    );
  });

  it('runs the deliverer every 5 minutes and the export at 01:00 Pakistan time, each with a dead-letter queue', () => {
    stateless.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      Target: Match.objectLike({
        DeadLetterConfig: { Arn: Match.anyValue() },
        RetryPolicy: Match.anyValue(),
      }),
    });
    stateless.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 1 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Karachi',
    });
  });

  it('checks at 07:00 Pakistan time that yesterday has its manifest, and alarms when it has not', () => {
    stateless.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 7 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Karachi',
      Target: Match.objectLike({
        Input: JSON.stringify({ check: 'manifest' }),
        DeadLetterConfig: { Arn: Match.anyValue() },
      }),
    });
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'FeedExportMissing',
      Namespace: 'Rahdari',
      Dimensions: [{ Name: 'service', Value: 'exporter' }],
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [Match.anyValue()],
    });
    // The check lists the manifest's key under feed/ and reads nothing.
    const policies = resourcesOfType(stateless, 'AWS::IAM::Policy').filter(([id]) =>
      id.startsWith('MinistryFeedExporterRole'),
    );
    const statements = policies.flatMap(
      ([, p]) =>
        (p.Properties.PolicyDocument as { Statement: { Action: unknown; Condition?: unknown }[] }).Statement,
    );
    expect(statements.find((st) => st.Action === 's3:ListBucket')?.Condition).toEqual({
      StringLike: { 's3:prefix': ['feed/*'] },
    });
  });

  it.each(['Exporter', 'Deliverer'])('alarms on any error of the %s', (fn) => {
    const [[logicalId]] = resourcesOfType(stateless, 'AWS::Lambda::Function').filter(([id]) =>
      id.startsWith(`MinistryFeed${fn}`),
    ) as unknown as [[string]];
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId } }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [Match.anyValue()],
    });
  });

  it('alarms when the feed falls half an hour behind for 15 minutes', () => {
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'FeedBacklogAgeSeconds',
      Namespace: 'Rahdari',
      Dimensions: [{ Name: 'service', Value: 'deliverer' }],
      Statistic: 'Maximum',
      Period: 300,
      EvaluationPeriods: 3,
      Threshold: 1800,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [Match.anyValue()],
    });
  });

  it('alarms when a batch is dead-lettered', () => {
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'FeedBatchDeadLettered',
      Namespace: 'Rahdari',
      Dimensions: [{ Name: 'service', Value: 'deliverer' }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [Match.anyValue()],
    });
  });

  it('grants the deliverer its table actions, the feed key and its configuration, and no scan or batch write', () => {
    const policies = resourcesOfType(stateless, 'AWS::IAM::Policy').filter(([id]) =>
      id.startsWith('MinistryFeedDelivererImportedRole'),
    );
    const statements = JSON.stringify(policies.map(([, p]) => p.Properties));
    for (const action of [
      'dynamodb:Query',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchGetItem',
      'kms:Sign',
      'ssm:GetParameter',
      'secretsmanager:GetSecretValue',
    ]) {
      expect(statements).toContain(`"${action}"`);
    }
    for (const action of ['dynamodb:Scan', 'dynamodb:BatchWriteItem', 's3:']) {
      expect(statements).not.toContain(action);
    }
  });

  it('lets the exporter put objects under feed/ only, in parts it may abort, and read holders in batches', () => {
    const policies = resourcesOfType(stateless, 'AWS::IAM::Policy').filter(([id]) =>
      id.startsWith('MinistryFeedExporterRole'),
    );
    const statements = JSON.stringify(policies.map(([, p]) => p.Properties));
    expect(statements).toContain('"s3:PutObject"');
    expect(statements).toContain('"s3:AbortMultipartUpload"');
    expect(statements).toContain('"dynamodb:BatchGetItem"');
    expect(statements).toContain(`rahdari-${stageName}-feed-export-bucket-arn`);
    for (const action of [
      's3:GetObject',
      's3:DeleteObject',
      'kms:Sign',
      'dynamodb:PutItem',
      'dynamodb:GetItem',
      'dynamodb:Scan',
    ]) {
      expect(statements).not.toContain(action);
    }
  });
});
