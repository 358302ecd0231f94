// The vault in another region that receives copies of the table's backups: a regional outage or loss leaves one.
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { BackupVault } from 'aws-cdk-lib/aws-backup';
import type { Construct } from 'constructs';

/** Named, because the stateful stack in the other region can refer to it only by an ARN built from its name. */
export const BACKUP_COPY_VAULT_NAME = (stageName: string) => `rahdari-${stageName}-table-copies`;

export interface BackupCopyStackProps extends StackProps {
  stageName: string;
}

export class BackupCopyStack extends Stack {
  readonly vault: BackupVault;

  constructor(scope: Construct, id: string, props: BackupCopyStackProps) {
    super(scope, id, props);
    this.vault = new BackupVault(this, 'Vault', {
      backupVaultName: BACKUP_COPY_VAULT_NAME(props.stageName),
      blockRecoveryPointDeletion: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
