// cdk-nag (AwsSolutions and Serverless) and the CloudFormation template rules: no finding is left unacknowledged,
// every acknowledgement says why, and an unacknowledged one really fails the synthesis.
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { ROUTE_GROUPS } from '../../functions/routes.ts';
import { APP_CONTEXT, STAGES } from '../../infra/config.ts';
import { RahdariStage } from '../../infra/stage.ts';
import { acknowledgements, NO_BUNDLING, newApp, validationReport } from './synth.ts';

// Both stages in one app with every validation on, as `npm run synth` runs it.
const app = newApp({ templateValidation: true });
const stages = {
  dev: new RahdariStage(app, 'dev', { config: STAGES.dev }),
  prod: new RahdariStage(app, 'prod', { config: STAGES.prod }),
};
const assembly = app.synth();

/** Rule ids acknowledged somewhere in a stage, without the resource detail, each with its count. */
function acknowledgedRules(stageName: 'dev' | 'prod'): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { id } of acknowledgements(stages[stageName])) {
    // An id without a plugin prefix is recorded under "Annotation::"; cdk-nag matches it either way.
    const rule = id.replace(/^Annotation::/, '');
    counts[rule] = (counts[rule] ?? 0) + 1;
  }
  return counts;
}

it('reports no unacknowledged finding from cdk-nag, the template rules or construct warnings', () => {
  const report = validationReport(assembly);
  const findings = report.pluginReports.flatMap((plugin) =>
    plugin.violations.map(
      (violation) => `${plugin.pluginName}: ${violation.ruleName} ${violation.description}`,
    ),
  );
  expect(findings).toEqual([]);
});

describe.each(['dev', 'prod'] as const)('acknowledgements in the %s stage', (stageName) => {
  it('gives a reason of substance for every acknowledgement', () => {
    const acknowledged = acknowledgements(stages[stageName]);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { path, id, reason } of acknowledged) {
      expect(reason.length, `${id} at ${path}`).toBeGreaterThanOrEqual(40);
    }
  });

  it('acknowledges only the findings reviewed in docs/deploy.md', () => {
    // Every route group's function, the feed's deliverer and exporter, the group sweep, and CDK's handler that
    // deploys the checkpoint app.
    const functions = Object.keys(ROUTE_GROUPS).length + 4;
    const publicRoutes = 3;
    expect(acknowledgedRules(stageName)).toEqual({
      'AwsSolutions-L1': functions,
      'Serverless-LambdaLatestVersion': functions,
      'Serverless-LambdaDLQ': functions,
      'Serverless-LambdaTracing': functions,
      'AwsSolutions-APIG4': publicRoutes,
      'AwsSolutions-COG8': 1,
      'AwsSolutions-SNS2': 1,
      // The alarm notifications' dead letters, and the feed's (stream and schedules).
      'AwsSolutions-SQS3': 2,
      'Serverless-SQSRedrivePolicy': 2,
      // The trail's bucket, the bucket that receives the app bucket's access logs, and the feed's export bucket.
      'AwsSolutions-S1': (STAGES[stageName].createTrail ? 1 : 0) + 2,
      // The Ministry's feed credential, which the Ministry rotates.
      'AwsSolutions-SMG4': 1,
      'AwsSolutions-CFR1': 1,
      ...(STAGES[stageName].webAcl ? {} : { 'AwsSolutions-CFR2': 1 }),
      'AwsSolutions-CFR3': 1,
      'AwsSolutions-CFR4': 1,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]': 1,
      ...Object.fromEntries(
        [
          'Action::s3:Abort*',
          'Action::s3:DeleteObject*',
          'Action::s3:GetBucket*',
          'Action::s3:GetObject*',
          'Action::s3:List*',
          'Resource::<CheckpointApp86541306.Arn>/*',
          'Resource::arn:aws:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-ap-south-1/*',
          'Resource::*',
          // The feed's schedules invoke its two functions (and their versions); the exporter writes under feed/.
          'Resource::<MinistryFeedDelivererAF842D6B.Arn>:*',
          'Resource::<MinistryFeedExporter8E409315.Arn>:*',
          // The group sweep's schedule invokes it (and its versions).
          'Resource::<GroupSweepFunctionFDDA7A2D.Arn>:*',
          `Resource::rahdari-${stageName}-feed-export-bucket-arn/feed/*`,
        ].map((finding) => [`AwsSolutions-IAM5[${finding}]`, 1]),
      ),
      ...(STAGES[stageName].backup
        ? {
            'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]': 1,
          }
        : {}),
    });
  });
});

describe.each(['dev', 'prod'] as const)('what the %s acknowledgements claim', (stageName) => {
  const stage = stages[stageName];
  const stateless = Template.fromStack(stage.stateless);
  const stateful = Template.fromStack(stage.stateful);

  it('no function is traced (Serverless-LambdaTracing)', () => {
    for (const fn of Object.values(stateless.findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.TracingConfig).toBeUndefined();
    }
  });

  it('the only public routes are the ones the route table names, each throttled below the stage (APIG4)', () => {
    const publicKeys = Object.values(stateless.findResources('AWS::ApiGatewayV2::Route'))
      .filter((route) => route.Properties.AuthorizationType === 'NONE')
      .map((route) => route.Properties.RouteKey as string);
    expect(publicKeys.sort()).toEqual(
      Object.values(ROUTE_GROUPS)
        .flatMap((group) => ('publicRoutes' in group ? [...group.publicRoutes] : []))
        .sort(),
    );
    const settings = Object.values(stateless.findResources('AWS::ApiGatewayV2::Stage'))[0]?.Properties
      .RouteSettings as Record<string, { ThrottlingRateLimit: number }>;
    for (const key of publicKeys) {
      expect(settings[key]?.ThrottlingRateLimit).toBeLessThan(STAGES[stageName].throttle.rateLimit);
    }
  });

  it('the undelivered-notifications queue is the dead letter of the e-mail subscription and every alert (SQS3)', () => {
    const [queueId] = Object.keys(stateless.findResources('AWS::SQS::Queue'));
    const queueArn = JSON.stringify({ 'Fn::GetAtt': [queueId, 'Arn'] });
    for (const rule of Object.values(stateless.findResources('AWS::Events::Rule'))) {
      for (const target of rule.Properties.Targets as { DeadLetterConfig: unknown }[]) {
        expect(JSON.stringify(target.DeadLetterConfig)).toBe(JSON.stringify({ Arn: JSON.parse(queueArn) }));
      }
    }
    for (const subscription of Object.values(stateless.findResources('AWS::SNS::Subscription'))) {
      expect(JSON.stringify(subscription.Properties.RedrivePolicy)).toContain(queueArn);
    }
  });

  it('the group sweep’s schedule role invokes the sweep alone, and a schedule reruns the sweep (IAM5, LambdaDLQ)', () => {
    const sweep = stage.stateless.groupSweep;
    const roleId = stage.stateless.getLogicalId(sweep.schedulerRole.node.defaultChild as CfnElement);
    const fnId = stage.stateless.getLogicalId(sweep.fn.node.defaultChild as CfnElement);
    const policies = Object.values(stateless.findResources('AWS::IAM::Policy')).filter(
      (policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]),
    );
    const statements = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    expect(statements.flatMap((st: { Action: string | string[] }) => [st.Action].flat())).toEqual([
      'lambda:InvokeFunction',
    ]);
    expect(JSON.stringify(statements)).not.toMatch(/MinistryFeed|"\*"/);
    expect(JSON.stringify(statements)).toContain(fnId);
    const schedules = Object.values(stateless.findResources('AWS::Scheduler::Schedule')).filter((schedule) =>
      JSON.stringify(schedule.Properties.Target.Arn).includes(fnId),
    );
    expect(schedules.map((schedule) => schedule.Properties.ScheduleExpression)).toEqual([
      'cron(5 * * * ? *)',
    ]);
    expect(schedules[0]?.Properties.Target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
  });

  it('AWS Backup’s managed role backs up the table and nothing else (IAM4)', () => {
    for (const selection of Object.values(stateful.findResources('AWS::Backup::BackupSelection'))) {
      expect(selection.Properties.BackupSelection.Resources).toEqual([
        { 'Fn::GetAtt': ['RahdariTable', 'Arn'] },
      ]);
    }
  });
});

describe('an unacknowledged finding', () => {
  it('fails the synthesis', () => {
    const app = new App({
      context: { ...APP_CONTEXT, ...NO_BUNDLING },
      builtinCloudFormationValidation: false,
    });
    const stage = new RahdariStage(app, 'dev', { config: STAGES.dev });
    // A topic without SSL enforcement or encryption: AwsSolutions-SNS2 and SNS3.
    new Topic(stage.stateless, 'UncheckedTopic');
    expect(() => app.synth()).toThrow(/AwsSolutions-SNS3/);
  }, 30_000);
});
