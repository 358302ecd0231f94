// cdk-nag (AwsSolutions and Serverless) and the CloudFormation template rules: no finding is left unacknowledged,
// every acknowledgement says why, and an unacknowledged one really fails the synthesis.
import { App } from 'aws-cdk-lib';
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
    const functions = Object.keys(ROUTE_GROUPS).length;
    const publicRoutes = 2;
    expect(acknowledgedRules(stageName)).toEqual({
      'AwsSolutions-IAM5[Resource::*]': functions,
      'AwsSolutions-L1': functions,
      'Serverless-LambdaLatestVersion': functions,
      'Serverless-LambdaDLQ': functions,
      'AwsSolutions-APIG4': publicRoutes,
      'AwsSolutions-COG8': 1,
      'AwsSolutions-SNS2': 1,
    });
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
  });
});
