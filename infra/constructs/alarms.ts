// Alarms that notify the stage's topic: one shape for every alarm of the stacks.
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

export interface NotifyingAlarmProps {
  /** What the alarm means to the operator who receives it. */
  description: string;
  /** The metric or math expression, with its period and statistic already set. */
  metric: IMetric;
  threshold: number;
  /** Consecutive periods over the threshold before it fires; 1 unless a single period is too noisy. */
  evaluationPeriods?: number;
  topic: ITopic;
}

/** An alarm at or above its threshold; no data (no traffic) is not a breach. */
export function notifyingAlarm(scope: Construct, id: string, props: NotifyingAlarmProps): Alarm {
  const alarm = new Alarm(scope, id, {
    alarmDescription: `Rahdari: ${props.description}`,
    metric: props.metric,
    threshold: props.threshold,
    evaluationPeriods: props.evaluationPeriods ?? 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new SnsAction(props.topic));
  return alarm;
}

/** The period every alarm looks at. */
export const ALARM_PERIOD = Duration.minutes(5);
