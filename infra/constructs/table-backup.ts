// AWS Backup of the table beside point-in-time recovery: a daily recovery point kept here and copied elsewhere.
import { type CfnResource, Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';

export const TABLE_BACKUP_VAULT_LOGICAL_ID = 'TableBackupVault';

export interface TableBackupProps {
  table: ITableV2;
  /** Days a daily recovery point stays in this region's vault. */
  dailyRetentionDays: number;
  /** Days a weekly recovery point, and its copy elsewhere, are kept. */
  weeklyRetentionDays: number;
  /** A vault in another region or account: what survives the loss of this region or of this account. */
  copyVaultArn: string;
  removalPolicy: RemovalPolicy;
}

/**
 * PITR restores any second of the last 35 days, but only in this region and this account, and a deleted table takes
 * its PITR with it. A daily AWS Backup recovery point lives in a vault that refuses deletion of recovery points,
 * and a copy of it in another region or account.
 */
export class TableBackup extends Construct {
  readonly plan: BackupPlan;
  readonly vault: BackupVault;

  constructor(scope: Construct, id: string, props: TableBackupProps) {
    super(scope, id);
    this.vault = new BackupVault(this, 'Vault', {
      blockRecoveryPointDeletion: true,
      removalPolicy: props.removalPolicy,
    });
    // The recovery points live in the vault: a refactor must never make CloudFormation replace it.
    (this.vault.node.defaultChild as CfnResource).overrideLogicalId(TABLE_BACKUP_VAULT_LOGICAL_ID);
    this.plan = new BackupPlan(this, 'Plan', { backupVault: this.vault });
    // 20:00 UTC is 01:00 in Pakistan: the quietest hour of the API. A DynamoDB backup is a full copy of the table,
    // so only the weekly one crosses to the other vault: its storage and transfer are a seventh of a daily copy's.
    this.plan.addRule(
      new BackupPlanRule({
        ruleName: 'Daily',
        scheduleExpression: Schedule.cron({ hour: '20', minute: '0' }),
        deleteAfter: Duration.days(props.dailyRetentionDays),
      }),
    );
    const weekly = Duration.days(props.weeklyRetentionDays);
    this.plan.addRule(
      new BackupPlanRule({
        ruleName: 'WeeklyCopied',
        scheduleExpression: Schedule.cron({ weekDay: 'SUN', hour: '21', minute: '0' }),
        deleteAfter: weekly,
        copyActions: [
          {
            destinationBackupVault: BackupVault.fromBackupVaultArn(this, 'CopyVault', props.copyVaultArn),
            deleteAfter: weekly,
          },
        ],
      }),
    );
    const selection = this.plan.addSelection('Table', {
      resources: [BackupResource.fromArn(props.table.tableArn)],
    });
    Validations.of(selection).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      reason:
        'The role AWS Backup assumes to back up the selected table: AWS maintains the policy for the service, and the selection limits what the plan backs up to this one table.',
    });
  }
}
