// The overdue-group sweep in AWS (docs/groups.md): a function no route reaches, run hourly by EventBridge Scheduler,
// that names every member still out past their group's return date as a GROUP_OVERDUE anomaly and closes groups
// with no one out. Its grants name exactly what sweepOverdueGroups sends; it signs nothing.
import { Duration, type RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { FunctionName } from '../../functions/environment.ts';
import type { TableAction, TableIndex } from '../../functions/routes.ts';
import type { StageConfig } from '../config.ts';
import { ALARM_PERIOD, notifyingAlarm } from './alarms.ts';
import { RahdariFunction } from './function.ts';
import { assertDeployableEntry, PROJECT_ROOT } from './route-group.ts';

/** The sweep's handler file and its service name (logs, the `service` dimension of its metrics). */
export const GROUP_SWEEP = {
  entry: 'functions/group-sweep.ts',
  serviceName: 'groupSweep' satisfies FunctionName,
} as const;

/**
 * Exactly what sweepOverdueGroups sends: Query on GSI3 (the open groups, partition GROUPS#OPEN); BatchGetItem of
 * the members' trip items; PutItem for the anomaly, its feed outbox entry and the closed group, written in
 * transactions of Put items only (authorized item by item). No GetItem, no UpdateItem, no DeleteItem, no KMS.
 */
export const GROUP_SWEEP_GRANTS = {
  tableActions: ['BatchGetItem', 'PutItem'],
  queriesIndexes: ['GSI3'],
} as const satisfies { tableActions: readonly TableAction[]; queriesIndexes: readonly TableIndex[] };

/**
 * Five minutes past every hour, Pakistan time: a return date ends at midnight in Pakistan (UTC+5, no daylight
 * saving), so the first run after it is at 00:05, and a run never lands on the very second a date ends.
 */
export const GROUP_SWEEP_SCHEDULE = { minute: '5', timeZone: TimeZone.ASIA_KARACHI } as const;

/**
 * A run reads every open group past its return date and every member's trip, and writes one transaction per
 * overdue member: minutes at worst, not the API's 10 s. Well inside the hour until the next run.
 */
export const GROUP_SWEEP_TIMEOUT = Duration.minutes(5);

export interface GroupSweepProps {
  stage: StageConfig;
  table: ITableV2;
  /** Configuration every function reads (table, keys, bundle validity, pass types). */
  environment: Record<string, string>;
  logRemovalPolicy: RemovalPolicy;
  alarmTopic: ITopic;
}

export class GroupSweep extends Construct {
  readonly fn: RahdariFunction;
  readonly schedule: Schedule;
  readonly schedulerRole: Role;

  constructor(scope: Construct, id: string, props: GroupSweepProps) {
    super(scope, id);
    const { stage, table } = props;
    assertDeployableEntry(GROUP_SWEEP.entry);

    this.fn = new RahdariFunction(this, 'Function', {
      entry: new URL(GROUP_SWEEP.entry, PROJECT_ROOT).pathname,
      serviceName: GROUP_SWEEP.serviceName,
      description: `Rahdari ${stage.stageName} group sweep: members still out past their group's return date, hourly`,
      logRetention: stage.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      logLevel: stage.logLevel,
      timeout: GROUP_SWEEP_TIMEOUT,
      environment: props.environment,
    });
    // Not table.grant(): it adds every index (index/*). The table gets the sweep's actions, GSI3 Query alone.
    Grant.addToPrincipal({
      grantee: this.fn,
      actions: GROUP_SWEEP_GRANTS.tableActions.map((action) => `dynamodb:${action}`),
      resourceArns: [table.tableArn],
    });
    Grant.addToPrincipal({
      grantee: this.fn,
      actions: ['dynamodb:Query'],
      resourceArns: GROUP_SWEEP_GRANTS.queriesIndexes.map((index) => `${table.tableArn}/index/${index}`),
    });
    Validations.of(this.fn).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'The sweep is idempotent (each anomaly is written once, under a condition) and runs again within the hour; a lost invocation only delays a GROUP_OVERDUE anomaly to the next run, and its Errors and missed-run alarms page an operator.',
    });

    this.schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      description: 'Runs the overdue-group sweep: invokes the group sweep function and nothing else',
    });
    this.schedule = new Schedule(this, 'Schedule', {
      description: "Names members still out past their group's return date (hourly, Pakistan time)",
      schedule: ScheduleExpression.cron({ ...GROUP_SWEEP_SCHEDULE }),
      target: new LambdaInvoke(this.fn, { retryAttempts: 2, role: this.schedulerRole }),
    });
    const logicalId = Stack.of(this).resolve((this.fn.node.defaultChild as CfnFunction).logicalId) as string;
    Validations.of(this.schedulerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
      reason:
        "EventBridge Scheduler's Lambda target grants InvokeFunction on the function and its versions; the role invokes the group sweep and nothing else.",
    });

    notifyingAlarm(this, 'ErrorsAlarm', {
      description: 'groupSweep function crashed or timed out in the last 5 minutes',
      metric: this.fn.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }),
      threshold: 1,
      topic: props.alarmTopic,
    });
    // The schedule has no failure metric of its own: a sweep that stopped running (schedule disabled, role
    // broken) shows as no invocations. Two hours without one is two missed runs.
    missingAlarm(this, 'NotRunAlarm', {
      description: 'the overdue-group sweep has not run for 2 hours (check its schedule and role)',
      metric: this.fn.metricInvocations({ period: Duration.hours(1), statistic: 'Sum' }),
      evaluationPeriods: 2,
      topic: props.alarmTopic,
    });
  }
}

/** An alarm when a metric stays below 1 (or reports nothing) for `evaluationPeriods` periods. */
function missingAlarm(
  scope: Construct,
  id: string,
  props: { description: string; metric: IMetric; evaluationPeriods: number; topic: ITopic },
): Alarm {
  const alarm = new Alarm(scope, id, {
    alarmDescription: `Rahdari: ${props.description}`,
    metric: props.metric,
    threshold: 1,
    evaluationPeriods: props.evaluationPeriods,
    comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
    treatMissingData: TreatMissingData.BREACHING,
  });
  alarm.addAlarmAction(new SnsAction(props.topic));
  return alarm;
}
