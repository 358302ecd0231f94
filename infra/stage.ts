// One deployment stage (dev or prod): its stateful and stateless stacks (and, when backups are copied to another
// region, the vault there), checked by cdk-nag as they synthesize.
import { Stage, type StageProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { BACKUP_COPY_VAULT_NAME, BackupCopyStack } from './backup-copy-stack.ts';
import type { StageConfig } from './config.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

export interface RahdariStageProps extends StageProps {
  config: StageConfig;
}

export class RahdariStage extends Stage {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
  readonly backupCopy: BackupCopyStack | undefined;

  constructor(scope: Construct, id: string, props: RahdariStageProps) {
    const { config, ...stageProps } = props;
    super(scope, id, { env: { account: config.account, region: config.region }, ...stageProps });
    const copyRegion =
      config.backup && 'region' in config.backup.copyTo ? config.backup.copyTo.region : undefined;
    if (copyRegion === config.region)
      throw new Error('backups must be copied to another region than the stage’s');
    this.backupCopy = copyRegion
      ? new BackupCopyStack(this, 'BackupCopy', {
          stackName: `rahdari-${config.stageName}-backup-copy`,
          description: `Rahdari ${config.stageName}: vault for copies of the table's backups (retained)`,
          env: { account: config.account, region: copyRegion },
          stageName: config.stageName,
          terminationProtection: config.protectData,
        })
      : undefined;
    this.stateful = new StatefulStack(this, 'Stateful', {
      stackName: `rahdari-${config.stageName}-stateful`,
      description: `Rahdari ${config.stageName}: table, signing keys and their roles, users, audit trail (retained)`,
      stage: config,
      terminationProtection: config.protectData,
      ...(this.backupCopy ? { backupCopyVaultName: BACKUP_COPY_VAULT_NAME(config.stageName) } : {}),
    });
    // The copy vault must exist before a backup plan names it.
    if (this.backupCopy) this.stateful.addStackDependency(this.backupCopy);
    this.stateless = new StatelessStack(this, 'Stateless', {
      stackName: `rahdari-${config.stageName}-stateless`,
      description: `Rahdari ${config.stageName}: functions, HTTP API, alarms and alerts`,
      stage: config,
      terminationProtection: config.protectData,
      table: this.stateful.table,
      trustRootKey: this.stateful.trustRootKey,
      passSigningKeys: this.stateful.passSigningKeys,
      signingRoles: this.stateful.signingRoles,
      userPool: this.stateful.users.userPool,
      userPoolClients: this.stateful.users.clients,
    });
    // Every finding fails the synthesis unless acknowledged, with its reason, where it arises.
    Validations.of(this).addPlugins(new AwsSolutionsChecks(this), new ServerlessChecks(this));
  }
}
