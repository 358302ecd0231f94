// The stateful stack: what must outlive any deployment: the table, the signing keys and the roles that alone may
// sign with them, the user pool (every account), the audit trail and the table's backups.
import {
  CfnOutput,
  type CfnResource,
  type DefaultStackSynthesizer,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import {
  AttributeType,
  Billing,
  ProjectionType,
  StreamViewType,
  TableEncryptionV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import {
  AccountPrincipal,
  AccountRootPrincipal,
  AnyPrincipal,
  ArnPrincipal,
  Effect,
  PolicyDocument,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { ROUTE_GROUPS, type RouteGroup } from '../functions/routes.ts';
import { GSIS, STREAM_VIEW_TYPE, TABLE_KEYS } from '../functions/store/table.ts';
import type { StageConfig } from './config.ts';
import { AuditTrail } from './constructs/audit-trail.ts';
import { FeedStorage } from './constructs/feed.ts';
import { TABLE_BACKUP_VAULT_LOGICAL_ID, TableBackup } from './constructs/table-backup.ts';
import { USERS_LOGICAL_IDS, Users } from './constructs/users.ts';

/**
 * Logical IDs of the stateful resources. CloudFormation replaces a resource whose logical ID changes, which for
 * the table or a key means losing every pass, or every signature's key: these are frozen here and tested, so a
 * refactor of the construct tree cannot move them.
 */
export const STATEFUL_LOGICAL_IDS = {
  table: 'RahdariTable',
  trustRootKey: 'TrustRootKey',
  passSigningKey: (generation: string) => `PassSigningKey${generation}`,
  userPool: USERS_LOGICAL_IDS.userPool,
  backupVault: TABLE_BACKUP_VAULT_LOGICAL_ID,
} as const;

const GENERATION_NAME = /^[A-Za-z0-9]{1,32}$/;

/** KMS aliases of the signing keys: what an operator passes to `aws kms` and `rahdari keys export-kms`. */
export const KEY_ALIASES = {
  trustRoot: (stageName: string) => `alias/rahdari/${stageName}/trust-root`,
  passSigning: (stageName: string, generation: string) => `alias/rahdari/${stageName}/pass-${generation}`,
  feed: (stageName: string) => `alias/rahdari/${stageName}/feed`,
} as const;

/**
 * Administration of a signing key: what the key-administrator role and CloudFormation's execution role (which
 * creates the key and updates its policy) may do. Neither signs, and neither can hand signing to anyone through a
 * grant (no kms:CreateGrant): the deny on kms:Sign holds against grants too.
 */
export const KEY_ADMINISTRATION_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:EnableKey',
  'kms:GetKeyPolicy',
  'kms:ListAliases',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:RetireGrant',
  'kms:RevokeGrant',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
] as const;

/**
 * What the account may delegate through IAM: reading a key, never using or changing it. An operator exports the
 * trust root's public key with this, and functions that publish keys get kms:GetPublicKey from it.
 */
export const KEY_READ_ACTIONS = [
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:GetPublicKey',
  'kms:ListResourceTags',
] as const;

/**
 * Which key signs what: `pass` issues credentials (approvals signs passes, groupApprovals members' passes and group
 * passes, certificates boat certificates), `root` signs trust bundles (trust).
 */
export type SigningKind = 'pass' | 'root';

/** The route groups that sign, by name: each runs as a signing role of its own. */
export function signingGroups(
  groups: Readonly<Record<string, RouteGroup>> = ROUTE_GROUPS,
): [name: string, kind: SigningKind][] {
  return Object.entries(groups).flatMap(([name, group]) => (group.signs ? [[name, group.signs]] : []));
}

/**
 * A signing group's role. The first two keep the logical IDs they were deployed with (a replaced role is a new
 * principal, and the key policies would name one that no function runs as until both stacks update).
 */
export const SIGNER_ROLE_LOGICAL_IDS: Readonly<Record<string, string>> = {
  approvals: 'PassSignerRole',
  trust: 'TrustRootSignerRole',
};
export const signerRoleLogicalId = (group: string) =>
  SIGNER_ROLE_LOGICAL_IDS[group] ?? `${group.charAt(0).toUpperCase()}${group.slice(1)}SignerRole`;

export interface StatefulStackProps extends StackProps {
  stage: StageConfig;
  /** The vault in another region that backups are copied to (BackupCopyStack), when the stage copies by region. */
  backupCopyVaultName?: string;
}

export class StatefulStack extends Stack {
  readonly table: TableV2;
  /** Signs trust bundles; its public key is provisioned once into every checkpoint app. */
  readonly trustRootKey: Key;
  /** Pass-signing keys in PASS_KEY_IDS order: the first signs, the others are only published. */
  readonly passSigningKeys: readonly Key[];
  /**
   * The only principals that may sign, one per signing route group (functions/routes.ts `signs`): the group's
   * function runs as it, and the policy of the key it signs with names it. They live here, beside the key
   * policies, so the keys never depend on the stateless stack.
   */
  readonly signingRoles: Readonly<Record<string, Role>>;
  /** Administers the signing keys (policy, aliases, deletion) and may never sign. */
  readonly keyAdminRole: Role;
  /** Signs the Ministry feed's batches; only the deliverer's role may. */
  readonly feedSigningKey: Key;
  /** Runs the deliverer function: the one principal the feed key's policy lets sign. */
  readonly delivererRole: Role;
  /** The feed's export bucket, endpoint parameter and credential secret. */
  readonly feed: FeedStorage;
  readonly users: Users;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { stage } = props;
    const dataRemovalPolicy = stage.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      globalSecondaryIndexes: Object.values(GSIS).map((index) => ({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType[index.projection],
      })),
      billing: Billing.onDemand(),
      dynamoStream: StreamViewType[STREAM_VIEW_TYPE],
      timeToLiveAttribute: TABLE_KEYS.timeToLive,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryptionV2.awsManagedKey(),
      deletionProtection: stage.protectData,
      removalPolicy: dataRemovalPolicy,
    });
    (this.table.node.defaultChild as CfnResource).overrideLogicalId(STATEFUL_LOGICAL_IDS.table);

    this.users = new Users(this, 'Users', { stage, removalPolicy: dataRemovalPolicy });

    const signers = signingGroups();
    this.signingRoles = Object.fromEntries(
      signers.map(([group, kind]) => [
        group,
        this.signingRole(
          signerRoleLogicalId(group),
          `Runs the ${group} function: one of the principals that sign with the ${kind === 'pass' ? 'pass-signing keys' : 'trust root'}`,
        ),
      ]),
    );
    const rolesSigning = (kind: SigningKind) =>
      signers.filter(([, k]) => k === kind).map(([group]) => this.signingRoles[group] as Role);
    this.keyAdminRole = new Role(this, 'KeyAdminRole', {
      roleName: KEY_ADMIN_ROLE_NAME(stage.stageName),
      // Any principal of the account that its IAM policy lets assume this role: an administrator does so on
      // purpose, and CloudTrail records who did (docs/deploy.md).
      assumedBy: new AccountPrincipal(this.account),
      description: `Administers the Rahdari ${stage.stageName} signing keys; cannot sign`,
      maxSessionDuration: Duration.hours(1),
    });

    this.trustRootKey = this.signingKey(
      STATEFUL_LOGICAL_IDS.trustRootKey,
      KEY_ALIASES.trustRoot(stage.stageName),
      'Rahdari trust root: signs trust bundles (tb+jwt). Its public key is pinned in every checkpoint app.',
      rolesSigning('root'),
    );
    for (const generation of stage.passKeyGenerations) {
      if (!GENERATION_NAME.test(generation)) {
        throw new Error(`pass key generation "${generation}" must be 1-32 letters or digits`);
      }
    }
    if (new Set(stage.passKeyGenerations).size !== stage.passKeyGenerations.length) {
      throw new Error('pass key generations must be distinct');
    }
    this.passSigningKeys = stage.passKeyGenerations.map((generation) =>
      this.signingKey(
        STATEFUL_LOGICAL_IDS.passSigningKey(generation),
        KEY_ALIASES.passSigning(stage.stageName, generation),
        `Rahdari pass-signing key, generation ${generation}: signs border passes (bp+jwt) and boat certificates (vr+jwt).`,
        rolesSigning('pass'),
      ),
    );

    this.delivererRole = this.signingRole(
      'DelivererSignerRole',
      'Runs the deliverer function: the only principal that signs with the feed key',
    );
    this.feedSigningKey = this.signingKey(
      'FeedSigningKey',
      KEY_ALIASES.feed(stage.stageName),
      'Rahdari feed key: signs the Ministry feed batches (rahdari-feed+jws); its public key is served at /feed/jwks.json.',
      [this.delivererRole],
    );
    this.feed = new FeedStorage(this, 'Feed', {
      stageName: stage.stageName,
      removalPolicy: dataRemovalPolicy,
    });

    if (stage.createTrail) new AuditTrail(this, 'AuditTrail', { removalPolicy: dataRemovalPolicy });
    if (stage.backup) {
      new TableBackup(this, 'Backup', {
        table: this.table,
        dailyRetentionDays: stage.backup.dailyRetentionDays,
        weeklyRetentionDays: stage.backup.weeklyRetentionDays,
        copyVaultArn:
          'vaultArn' in stage.backup.copyTo
            ? stage.backup.copyTo.vaultArn
            : backupVaultArn(this, stage.backup.copyTo.region, requireName(props.backupCopyVaultName)),
        removalPolicy: dataRemovalPolicy,
      });
    }

    // What an operator reads after a deployment: the trust root to export and pin on checkpoint devices
    // (docs/deploy.md), each pass-signing key to inspect or retire, the key administrator role and the sign-in.
    new CfnOutput(this, 'TrustRootKeyArn', {
      value: this.trustRootKey.keyArn,
      description: 'Trust root KMS key: export its public key as root.jwk for checkpoint devices',
    });
    new CfnOutput(this, 'TrustRootKeyAlias', {
      value: KEY_ALIASES.trustRoot(stage.stageName),
      description: 'Alias of the trust root KMS key',
    });
    stage.passKeyGenerations.forEach((generation, index) => {
      new CfnOutput(this, `PassSigningKeyAlias${generation}`, {
        value: KEY_ALIASES.passSigning(stage.stageName, generation),
        description: `Alias of pass-signing key generation ${generation}${index === 0 ? ' (signs new passes)' : ' (published only)'}`,
      });
    });
    new CfnOutput(this, 'KeyAdminRoleArn', {
      value: this.keyAdminRole.roleArn,
      description: 'Role to assume for key administration (policy, aliases, deletion); it cannot sign',
    });
    new CfnOutput(this, 'UserPoolId', {
      value: this.users.userPool.userPoolId,
      description: 'Cognito user pool',
    });
    new CfnOutput(this, 'SignInUrl', {
      value: this.users.signInUrl,
      description: 'Cognito sign-in pages: authorization and token endpoints for the apps',
    });
    for (const [audience, client] of Object.entries(this.users.clients)) {
      new CfnOutput(this, `${audience[0]?.toUpperCase()}${audience.slice(1)}ClientId`, {
        value: client.userPoolClientId,
        description: `App client of the ${audience} audience`,
      });
    }
  }

  /** A role Lambda assumes, with no policy yet: the function that runs as it adds its own in its stack. */
  private signingRole(id: string, description: string): Role {
    return new Role(this, id, { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description });
  }

  /**
   * An ECC_NIST_P256 SIGN_VERIFY key, always RETAINed: a deleted key can never sign again, and its public key
   * is what every pass it signed is checked against until that pass expires. Its policy lets exactly the roles
   * of the groups that sign with it sign and denies signing to every other principal, the account's
   * administrators and root included; the key administrator and CloudFormation administer it; the account may
   * only read it.
   */
  private signingKey(logicalId: string, alias: string, description: string, signers: readonly Role[]): Key {
    if (signers.length === 0) throw new Error(`no route group signs with ${alias}`);
    // One role stays a plain string, as the policy was first deployed; several are a list.
    const signerArns =
      signers.length === 1 ? (signers[0] as Role).roleArn : signers.map((role) => role.roleArn);
    const cloudFormationRole = Fn.sub(
      (this.synthesizer as DefaultStackSynthesizer).cloudFormationExecutionRoleArn,
    );
    const key = new Key(this, logicalId, {
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      description,
      alias,
      removalPolicy: RemovalPolicy.RETAIN,
      policy: new PolicyDocument({
        // In a key policy "*" as the resource means this key.
        statements: [
          new PolicyStatement({
            sid: 'KeyAdministration',
            principals: [new ArnPrincipal(this.keyAdminRole.roleArn), new ArnPrincipal(cloudFormationRole)],
            actions: [...KEY_ADMINISTRATION_ACTIONS],
            resources: ['*'],
          }),
          new PolicyStatement({
            sid: 'AccountReadsThroughIam',
            principals: [new AccountRootPrincipal()],
            actions: [...KEY_READ_ACTIONS],
            resources: ['*'],
          }),
          new PolicyStatement({
            sid: 'SignerSigns',
            principals: signers.map((role) => new ArnPrincipal(role.roleArn)),
            actions: ['kms:Sign', 'kms:GetPublicKey', 'kms:DescribeKey'],
            resources: ['*'],
          }),
          new PolicyStatement({
            sid: 'NoOtherPrincipalSigns',
            effect: Effect.DENY,
            principals: [new AnyPrincipal()],
            actions: ['kms:Sign'],
            resources: ['*'],
            // With several ARNs a negated operator holds only when the caller is none of them.
            conditions: { ArnNotEquals: { 'aws:PrincipalArn': signerArns } },
          }),
        ],
      }),
    });
    (key.node.defaultChild as CfnResource).overrideLogicalId(logicalId);
    return key;
  }
}

/** The key administrator's role name: fixed, so an operator's IAM policy can name it before it exists. */
export const KEY_ADMIN_ROLE_NAME = (stageName: string) => `rahdari-${stageName}-key-admin`;

function requireName(name: string | undefined): string {
  if (!name) throw new Error('the stage copies backups to a region but no copy vault was created there');
  return name;
}

/** The ARN of a vault by name in another region of this account (cross-region references are not possible). */
function backupVaultArn(stack: Stack, region: string, name: string): string {
  return `arn:${stack.partition}:backup:${region}:${stack.account}:backup-vault:${name}`;
}
