// The Ministry feed in AWS: its data (export bucket, endpoint parameter, credential secret) in the stateful stack;
// its deliverer and exporter functions, their triggers, grants and dead-letter alarm in the stateless stack.
import { CfnOutput, Duration, Fn, type RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { type CfnFunction, FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { type IStringParameter, StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { EXPORT_METRIC } from '../../functions/services/export-handler.ts';
import { FEED_METRIC } from '../../functions/services/feed.ts';
import { FEED_PENDING } from '../../functions/store/feed.ts';
import type { StageConfig } from '../config.ts';
import { ALARM_PERIOD, notifyingAlarm } from './alarms.ts';
import { FUNCTION_DEFAULTS, RahdariFunction } from './function.ts';
import { PROJECT_ROOT } from './route-group.ts';

/** The endpoint parameter's value until an operator sets the Ministry's URL: the deliverer then sends nothing. */
export const FIA_ENDPOINT_UNSET = 'unset';

/** The export bucket's ARN as a named stack export: the exporter's grant and its acknowledgement name it. */
export const feedExportBucketArnExport = (stageName: string) => `rahdari-${stageName}-feed-export-bucket-arn`;

export interface FeedStorageProps {
  stageName: string;
  removalPolicy: RemovalPolicy;
}

/** What outlives a redeployment of the functions: the daily files, the endpoint and its credential. */
export class FeedStorage extends Construct {
  readonly exportBucket: Bucket;
  readonly endpointParameter: StringParameter;
  readonly credentialSecret: Secret;

  constructor(scope: Construct, id: string, props: FeedStorageProps) {
    super(scope, id);
    this.exportBucket = new Bucket(this, 'ExportBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      // Read in the first weeks, then kept as the record: cheaper classes as the files age.
      lifecycleRules: [
        {
          transitions: [
            { storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) },
            { storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) },
          ],
          noncurrentVersionExpiration: Duration.days(30),
          // An export killed mid-upload (a timeout) leaves its parts unseen and billed: gone after a day.
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: false,
    });
    Validations.of(this.exportBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Written only by the exporter function and read by the Ministry through IAM; CloudTrail records who did what, and server access logs would need a bucket of their own with the same question.',
    });
    new CfnOutput(this, 'ExportBucketArn', {
      value: this.exportBucket.bucketArn,
      exportName: feedExportBucketArnExport(props.stageName),
      description: "The daily export's bucket: feed/<day>/<type>.ndjson.gz and manifest.json",
    });
    this.endpointParameter = new StringParameter(this, 'FiaEndpoint', {
      description:
        "The Ministry's HTTPS endpoint for feed batches; 'unset' until agreed (batches wait, pending)",
      stringValue: FIA_ENDPOINT_UNSET,
    });
    this.credentialSecret = new Secret(this, 'FiaCredential', {
      description:
        'The bearer secret the Ministry issued for its feed endpoint; set by an operator (docs/feed.md)',
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.credentialSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The Ministry issues and rotates this credential on its side; an operator puts the new value, which the deliverer reads again within five minutes.',
    });
  }
}

export interface MinistryFeedProps {
  stage: StageConfig;
  table: ITableV2;
  /** Runs the deliverer: the one principal the feed key's policy lets sign. */
  delivererRole: IRole;
  feedSigningKey: IKey;
  exportBucket: IBucket;
  endpointParameter: IStringParameter;
  credentialSecret: ISecret;
  environment: Record<string, string>;
  logRemovalPolicy: RemovalPolicy;
  alarmTopic: ITopic;
}

/**
 * The exporter streams a day page by page (functions/services/export.ts): its memory does not grow with the day, and
 * the bench projects a day of 1,000,000 crossings well inside these (docs/feed.md). 1 GB also buys the CPU that
 * gzip at level 9 needs; 15 minutes is Lambda's limit.
 */
export const EXPORTER_TIMEOUT = Duration.minutes(15);
export const EXPORTER_MEMORY_MB = 1024;

/** The export of yesterday, at 01:00 Pakistan time: the day is complete, the files are there by morning. */
export const EXPORT_SCHEDULE = { minute: '0', hour: '1' } as const;
/**
 * The check that yesterday has its manifest, at 07:00 Pakistan time: six hours after the export, room for its
 * two retries and a 15-minute run each, and before the Ministry's working day.
 */
export const EXPORT_CHECK_SCHEDULE = { minute: '0', hour: '7' } as const;

/** The age of the feed's oldest waiting entry that pages someone (FeedBacklogAgeSeconds). */
export const FEED_BACKLOG_ALARM_SECONDS = 30 * 60;

/** How long one deliverer run may drain; its timeout leaves a minute beyond it. */
export const DELIVERER_TIMEOUT = Duration.minutes(5);

export class MinistryFeed extends Construct {
  readonly deliverer: RahdariFunction;
  readonly exporter: RahdariFunction;
  /** Stream batches the deliverer failed on after its retries (bisected to single records), and scheduled runs EventBridge could not start. */
  readonly failures: Queue;
  readonly schedulerRole: Role;

  constructor(scope: Construct, id: string, props: MinistryFeedProps) {
    super(scope, id);
    const { stage, table } = props;
    const common = {
      logRetention: stage.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      logLevel: stage.logLevel,
    };

    this.deliverer = new RahdariFunction(this, 'Deliverer', {
      ...common,
      entry: new URL('functions/deliverer.ts', PROJECT_ROOT).pathname,
      serviceName: 'deliverer',
      description: `Rahdari ${stage.stageName} deliverer: signed feed batches to the Ministry`,
      role: props.delivererRole,
      timeout: DELIVERER_TIMEOUT,
      // One drain at a time: batches are safe under concurrency, but parallel drains would only race each other.
      reservedConcurrentExecutions: 1,
      environment: {
        ...props.environment,
        FEED_KEY_ID: props.feedSigningKey.keyArn,
        FIA_ENDPOINT_PARAMETER: props.endpointParameter.parameterName,
        FIA_CREDENTIAL_SECRET: props.credentialSecret.secretArn,
      },
    });
    // Exactly what store/feed.ts sends: the pending and batch partitions of GSI1, the batch and entry writes
    // (transactions are authorized item by item), the pass holders' BatchGetItem and the batch GetItem.
    Grant.addToPrincipal({
      grantee: this.deliverer,
      actions: [
        'dynamodb:Query',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:BatchGetItem',
      ],
      resourceArns: [table.tableArn],
    });
    Grant.addToPrincipal({
      grantee: this.deliverer,
      actions: ['dynamodb:Query'],
      resourceArns: [`${table.tableArn}/index/GSI1`],
    });
    props.feedSigningKey.grantSign(this.deliverer);
    props.feedSigningKey.grant(this.deliverer, 'kms:GetPublicKey');
    props.endpointParameter.grantRead(this.deliverer);
    props.credentialSecret.grantRead(this.deliverer);

    this.failures = new Queue(this, 'Failures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    for (const ruleId of ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy']) {
      Validations.of(this.failures).acknowledge({
        id: ruleId,
        reason:
          "This queue is itself the dead-letter queue of the deliverer's stream and of both schedules; the stream only wakes the deliverer, and the next scheduled run does whatever a failed one left.",
      });
    }
    // The stream is a wake-up: only new pending entries, filtered before the function is invoked.
    this.deliverer.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(5),
        bisectBatchOnError: true,
        retryAttempts: 3,
        onFailure: new SqsDlq(this.failures),
        filters: [
          FilterCriteria.filter({
            dynamodb: { NewImage: { GSI1PK: { S: FilterRule.isEqual(FEED_PENDING) } } },
          }),
        ],
      }),
    );
    // The safety net: entries whose wake-up was lost, and batches whose back-off has run out, go within minutes.
    // One role for both schedules, so the grant is on this construct rather than on a role CDK shares stack-wide.
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      description: "Runs the feed's schedules: invokes the deliverer and the exporter",
    });
    new Schedule(this, 'DelivererSchedule', {
      description: 'Drains the feed outbox every 5 minutes whatever the stream said',
      schedule: ScheduleExpression.rate(Duration.minutes(5)),
      target: new LambdaInvoke(this.deliverer, {
        retryAttempts: 2,
        deadLetterQueue: this.failures,
        role: this.schedulerRole,
      }),
    });
    notifyingAlarm(this, 'DeadLetterAlarm', {
      description:
        'a feed batch was dead-lettered after its last retry (rahdari feed status; redrive once fixed)',
      metric: new Metric({
        namespace: FUNCTION_DEFAULTS.metricsNamespace,
        metricName: FEED_METRIC.deadLettered,
        dimensionsMap: { service: 'deliverer' },
        period: ALARM_PERIOD,
        statistic: 'Sum',
      }),
      threshold: 1,
      topic: props.alarmTopic,
    });
    // The deliverer drains every 5 minutes at least, so a healthy backlog is minutes old. Half an hour, three
    // periods running, is the Ministry down or refusing, or more crossings than the drains carry.
    notifyingAlarm(this, 'BacklogAgeAlarm', {
      description: `the oldest feed entry not yet delivered has waited over ${FEED_BACKLOG_ALARM_SECONDS / 60} minutes for 15 minutes (rahdari feed status)`,
      metric: new Metric({
        namespace: FUNCTION_DEFAULTS.metricsNamespace,
        metricName: FEED_METRIC.backlogAge,
        dimensionsMap: { service: 'deliverer' },
        period: ALARM_PERIOD,
        statistic: 'Maximum',
      }),
      threshold: FEED_BACKLOG_ALARM_SECONDS,
      evaluationPeriods: 3,
      topic: props.alarmTopic,
    });
    notifyingAlarm(this, 'FailuresAlarm', {
      description: 'the deliverer or exporter failed after its retries (see the feed failure queue)',
      metric: this.failures.metricApproximateNumberOfMessagesVisible({
        period: ALARM_PERIOD,
        statistic: 'Maximum',
      }),
      threshold: 1,
      topic: props.alarmTopic,
    });

    this.exporter = new RahdariFunction(this, 'Exporter', {
      ...common,
      entry: new URL('functions/exporter.ts', PROJECT_ROOT).pathname,
      serviceName: 'exporter',
      description: `Rahdari ${stage.stageName} exporter: yesterday's feed records to S3 each morning`,
      timeout: EXPORTER_TIMEOUT,
      memorySize: EXPORTER_MEMORY_MB,
      environment: { ...props.environment, EXPORT_BUCKET: props.exportBucket.bucketName },
    });
    // The holders of a page's passes, a hundred a request (store/feed.ts); nothing else of the table but GSI2.
    Grant.addToPrincipal({
      grantee: this.exporter,
      actions: ['dynamodb:BatchGetItem'],
      resourceArns: [table.tableArn],
    });
    Grant.addToPrincipal({
      grantee: this.exporter,
      actions: ['dynamodb:Query'],
      resourceArns: [`${table.tableArn}/index/GSI2`],
    });
    // PutObject (which covers the parts of a multipart upload) and the abort of its own failed upload, only under
    // feed/ (one prefix per day): no read, no delete. The ARN comes through a named export so the acknowledgement
    // below can name the resource it is about.
    const objects = `${Fn.importValue(feedExportBucketArnExport(stage.stageName))}/feed/*`;
    Grant.addToPrincipal({
      grantee: this.exporter,
      actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
      resourceArns: [objects],
    });
    if (this.exporter.role) {
      Validations.of(this.exporter.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${feedExportBucketArnExport(stage.stageName)}/feed/*]`,
        reason:
          'The exporter writes one object per record type and a manifest under feed/<day>/ each morning: the day is only known at run time, so the grant names the feed/ prefix of this one bucket: PutObject (the parts of a multipart upload included) and the abort of its own failed upload.',
      });
    }
    // 01:00 in Pakistan: yesterday is complete, and the files are there by morning.
    new Schedule(this, 'ExporterSchedule', {
      description: "Exports yesterday's feed records (Pakistan time) to S3",
      schedule: ScheduleExpression.cron({ ...EXPORT_SCHEDULE, timeZone: TimeZone.ASIA_KARACHI }),
      target: new LambdaInvoke(this.exporter, {
        retryAttempts: 2,
        deadLetterQueue: this.failures,
        role: this.schedulerRole,
      }),
    });
    // 07:00 in Pakistan: the check that yesterday has its manifest, whatever happened to the 01:00 run (failed
    // three times, timed out, never started). It lists the one key, so the exporter may list feed/ and read nothing.
    new Schedule(this, 'ExportCheckSchedule', {
      description: "Checks that yesterday's export wrote its manifest (Pakistan time); alarms if not",
      schedule: ScheduleExpression.cron({ ...EXPORT_CHECK_SCHEDULE, timeZone: TimeZone.ASIA_KARACHI }),
      target: new LambdaInvoke(this.exporter, {
        input: ScheduleTargetInput.fromObject({ check: 'manifest' }),
        retryAttempts: 2,
        deadLetterQueue: this.failures,
        role: this.schedulerRole,
      }),
    });
    this.exporter.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [Fn.importValue(feedExportBucketArnExport(stage.stageName))],
        conditions: { StringLike: { 's3:prefix': ['feed/*'] } },
      }),
    );
    notifyingAlarm(this, 'ExportMissingAlarm', {
      description:
        "yesterday's feed export has no manifest at 07:00 Pakistan time (re-run it: rahdari export --date YYYY-MM-DD, docs/deploy.md)",
      metric: new Metric({
        namespace: FUNCTION_DEFAULTS.metricsNamespace,
        metricName: EXPORT_METRIC.missing,
        dimensionsMap: { service: 'exporter' },
        period: ALARM_PERIOD,
        statistic: 'Maximum',
      }),
      threshold: 1,
      topic: props.alarmTopic,
    });
    for (const [id, fn, name] of [
      ['ExporterErrorsAlarm', this.exporter, 'exporter'],
      ['DelivererErrorsAlarm', this.deliverer, 'deliverer'],
    ] as const) {
      notifyingAlarm(this, id, {
        description: `the feed ${name} failed (crashed, timed out or threw) in the last 5 minutes`,
        metric: fn.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }),
        threshold: 1,
        topic: props.alarmTopic,
      });
    }
    for (const fn of [this.deliverer, this.exporter]) {
      const logicalId = Stack.of(this).resolve((fn.node.defaultChild as CfnFunction).logicalId) as string;
      Validations.of(this.schedulerRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason:
          "EventBridge Scheduler's Lambda target grants InvokeFunction on the function and its versions; the role invokes these two functions and nothing else.",
      });
      Validations.of(fn).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason:
          'Its work is durable in the table (pending entries, batches with their attempts and dead letters) or idempotent (the export); a schedule runs it again, so a lost invocation loses nothing.',
      });
    }
  }
}
