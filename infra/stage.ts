// One deployment stage (dev or prod): its stateful and stateless stacks (and, when backups are copied to another
// region, the vault there), checked by cdk-nag as they synthesize.
import { fileURLToPath } from 'node:url';
import { Stage, type StageProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { BACKUP_COPY_VAULT_NAME, BackupCopyStack } from './backup-copy-stack.ts';
import type { StageConfig } from './config.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';
import { CLOUDFRONT_WEB_ACL_REGION, WebAclStack } from './web-acl-stack.ts';

/** The context key that points synthesis at another build of the checkpoint app (the tests' small fixture). */
export const CHECKPOINT_APP_DIR_CONTEXT = 'rahdari:checkpointAppDir';
const BUILT_CHECKPOINT_APP = fileURLToPath(new URL('../web/dist/checkpoint', import.meta.url));

function checkpointAppDir(scope: Construct): string {
  const fromContext: unknown = scope.node.tryGetContext(CHECKPOINT_APP_DIR_CONTEXT);
  return typeof fromContext === 'string' ? fromContext : BUILT_CHECKPOINT_APP;
}

export interface RahdariStageProps extends StageProps {
  config: StageConfig;
}

export class RahdariStage extends Stage {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
  readonly backupCopy: BackupCopyStack | undefined;
  readonly webAcl: WebAclStack | undefined;

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
    this.webAcl = config.webAcl
      ? new WebAclStack(this, 'WebAcl', {
          stackName: `rahdari-${config.stageName}-web-acl`,
          description: `Rahdari ${config.stageName}: WAF web ACL of the checkpoint app's CloudFront distribution`,
          env: { account: config.account, region: CLOUDFRONT_WEB_ACL_REGION },
          stageName: config.stageName,
          rateLimitPer5Minutes: config.webAcl.rateLimitPer5Minutes,
          // Its ARN reaches the stateless stack in the stage's region through SSM parameters CDK manages.
          crossRegionReferences: true,
          terminationProtection: config.protectData,
        })
      : undefined;
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
      feed: {
        feedSigningKey: this.stateful.feedSigningKey,
        delivererRole: this.stateful.delivererRole,
        storage: this.stateful.feed,
      },
      checkpointAppDir: checkpointAppDir(this),
      ...(this.webAcl ? { webAclArn: this.webAcl.webAcl.attrArn, crossRegionReferences: true } : {}),
    });
    // Every finding fails the synthesis unless acknowledged, with its reason, where it arises.
    Validations.of(this).addPlugins(new AwsSolutionsChecks(this), new ServerlessChecks(this));
  }
}
