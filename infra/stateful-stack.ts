// The stateful stack: what must outlive any deployment, the single DynamoDB table and the two kinds of signing key.
import { CfnOutput, type CfnResource, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AttributeType,
  Billing,
  ProjectionType,
  StreamViewType,
  TableEncryptionV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { AccountRootPrincipal, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { GSIS, STREAM_VIEW_TYPE, TABLE_KEYS } from '../functions/store/table.ts';
import type { StageConfig } from './config.ts';

/**
 * Logical IDs of the stateful resources. CloudFormation replaces a resource whose logical ID changes, which for
 * the table or a key means losing every pass, or every signature's key: these are frozen here and tested, so a
 * refactor of the construct tree cannot move them.
 */
export const STATEFUL_LOGICAL_IDS = {
  table: 'RahdariTable',
  trustRootKey: 'TrustRootKey',
  passSigningKey: (generation: string) => `PassSigningKey${generation}`,
} as const;

const GENERATION_NAME = /^[A-Za-z0-9]{1,32}$/;

/** KMS aliases of the signing keys: what an operator passes to `aws kms` and `rahdari keys export-kms`. */
export const KEY_ALIASES = {
  trustRoot: (stageName: string) => `alias/rahdari/${stageName}/trust-root`,
  passSigning: (stageName: string, generation: string) => `alias/rahdari/${stageName}/pass-${generation}`,
} as const;

/**
 * What the account may do with a signing key through IAM. It stands in for the default key policy's `kms:*`: an
 * ECC signing key is never used to encrypt, decrypt or derive, so those actions are not delegated at all, and
 * IAM policies (from grant*()) decide which principal may sign or read the public key.
 */
const SIGNING_KEY_ACCOUNT_ACTIONS = [
  // Administration, so the account can never be locked out of the key.
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:CreateGrant',
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
  // Use.
  'kms:GetPublicKey',
  'kms:Sign',
  'kms:Verify',
];

export interface StatefulStackProps extends StackProps {
  stage: StageConfig;
}

export class StatefulStack extends Stack {
  readonly table: TableV2;
  /** Signs trust bundles; its public key is provisioned once into every checkpoint app. */
  readonly trustRootKey: Key;
  /** Pass-signing keys in PASS_KEY_IDS order: the first signs, the others are only published. */
  readonly passSigningKeys: readonly Key[];

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

    this.trustRootKey = this.signingKey(
      STATEFUL_LOGICAL_IDS.trustRootKey,
      KEY_ALIASES.trustRoot(stage.stageName),
      'Rahdari trust root: signs trust bundles (tb+jwt). Its public key is pinned in every checkpoint app.',
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
        `Rahdari pass-signing key, generation ${generation}: signs border passes (bp+jwt).`,
      ),
    );

    // What an operator reads after a deployment: the trust root to export and pin on checkpoint devices
    // (docs/deploy.md), and each pass-signing key to inspect or retire.
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
  }

  /**
   * An ECC_NIST_P256 SIGN_VERIFY key, always RETAINed: a deleted key can never sign again, and its public key
   * is what every pass it signed is checked against until that pass expires.
   */
  private signingKey(logicalId: string, alias: string, description: string): Key {
    const key = new Key(this, logicalId, {
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      description,
      alias,
      removalPolicy: RemovalPolicy.RETAIN,
      policy: new PolicyDocument({
        statements: [
          new PolicyStatement({
            sid: 'AccountAdministersAndDelegatesUseThroughIam',
            principals: [new AccountRootPrincipal()],
            actions: SIGNING_KEY_ACCOUNT_ACTIONS,
            // In a key policy "*" means this key.
            resources: ['*'],
          }),
        ],
      }),
    });
    (key.node.defaultChild as CfnResource).overrideLogicalId(logicalId);
    return key;
  }
}
