// One deployment stage (dev or prod): its stateful and stateless stacks, checked by cdk-nag as they synthesize.
import { Stage, type StageProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import type { StageConfig } from './config.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

export interface RahdariStageProps extends StageProps {
  config: StageConfig;
}

export class RahdariStage extends Stage {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;

  constructor(scope: Construct, id: string, props: RahdariStageProps) {
    const { config, ...stageProps } = props;
    super(scope, id, { env: { account: config.account, region: config.region }, ...stageProps });
    this.stateful = new StatefulStack(this, 'Stateful', {
      stackName: `rahdari-${config.stageName}-stateful`,
      description: `Rahdari ${config.stageName}: table and signing keys (retained)`,
      stage: config,
      terminationProtection: config.protectData,
    });
    this.stateless = new StatelessStack(this, 'Stateless', {
      stackName: `rahdari-${config.stageName}-stateless`,
      description: `Rahdari ${config.stageName}: functions, HTTP API, users, alarms`,
      stage: config,
      // The user pool (every account) lives here: deleting the stack must be as deliberate as the stateful one.
      terminationProtection: config.protectData,
      table: this.stateful.table,
      trustRootKey: this.stateful.trustRootKey,
      passSigningKeys: this.stateful.passSigningKeys,
    });
    // Every finding fails the synthesis unless acknowledged, with its reason, where it arises.
    Validations.of(this).addPlugins(new AwsSolutionsChecks(this), new ServerlessChecks(this));
  }
}
