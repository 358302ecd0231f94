// The stateful stack: frozen logical IDs, the table as functions/store/table.ts defines it, and retained P-256 keys.
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { GSIS, STREAM_VIEW_TYPE, TABLE_KEYS } from '../../functions/store/table.ts';
import { STAGES } from '../../infra/config.ts';
import { KEY_ALIASES, STATEFUL_LOGICAL_IDS, StatefulStack } from '../../infra/stateful-stack.ts';
import { newApp, resourcesOfType, synthApp } from './synth.ts';

const { stages } = synthApp();

describe.each(['dev', 'prod'] as const)('the %s stateful stack', (stageName) => {
  const template = stages[stageName].stateful;
  const generation = STAGES[stageName].passKeyGenerations[0];

  it('keeps the frozen logical IDs of the table and both keys', () => {
    const resources = template.toJSON().Resources as Record<string, { Type: string }>;
    expect(resources[STATEFUL_LOGICAL_IDS.table]?.Type).toBe('AWS::DynamoDB::GlobalTable');
    expect(resources[STATEFUL_LOGICAL_IDS.trustRootKey]?.Type).toBe('AWS::KMS::Key');
    expect(resources[STATEFUL_LOGICAL_IDS.passSigningKey(generation)]?.Type).toBe('AWS::KMS::Key');
    expect(resources.PassSigningKey2026?.Type).toBe('AWS::KMS::Key');
    expect(resources.TrustRootKey?.Type).toBe('AWS::KMS::Key');
    expect(resources.RahdariTable?.Type).toBe('AWS::DynamoDB::GlobalTable');
  });

  it('defines exactly one table, keyed and indexed as the store expects', () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: Object.values(GSIS).map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: index.projection },
      })),
    });
  });

  it('streams new images, expires items on expiresAt, encrypts with KMS and keeps point-in-time recovery', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      StreamSpecification: { StreamViewType: STREAM_VIEW_TYPE },
      TimeToLiveSpecification: { AttributeName: TABLE_KEYS.timeToLive, Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [
        Match.objectLike({
          Region: STAGES[stageName].region,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      ],
    });
  });

  it('creates both keys as retained ECC_NIST_P256 signing keys with aliases', () => {
    for (const logicalId of [
      STATEFUL_LOGICAL_IDS.trustRootKey,
      STATEFUL_LOGICAL_IDS.passSigningKey(generation),
    ]) {
      const key = template.toJSON().Resources[logicalId];
      expect(key).toMatchObject({
        Type: 'AWS::KMS::Key',
        Properties: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    }
    template.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: `alias/rahdari/${stageName}/trust-root`,
      TargetKeyId: { 'Fn::GetAtt': [STATEFUL_LOGICAL_IDS.trustRootKey, 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: `alias/rahdari/${stageName}/pass-${generation}`,
      TargetKeyId: { 'Fn::GetAtt': [STATEFUL_LOGICAL_IDS.passSigningKey(generation), 'Arn'] },
    });
  });

  it('outputs the trust root key ARN and alias and every pass-signing key alias for the operator', () => {
    template.hasOutput('TrustRootKeyArn', {
      Value: { 'Fn::GetAtt': [STATEFUL_LOGICAL_IDS.trustRootKey, 'Arn'] },
    });
    template.hasOutput('TrustRootKeyAlias', { Value: `alias/rahdari/${stageName}/trust-root` });
    for (const generation of STAGES[stageName].passKeyGenerations) {
      template.hasOutput(`PassSigningKeyAlias${generation}`, {
        Value: `alias/rahdari/${stageName}/pass-${generation}`,
      });
    }
  });

  it('delegates no kms:* and no encryption or decryption through the key policies', () => {
    for (const [, key] of resourcesOfType(template, 'AWS::KMS::Key')) {
      const statements = (key.Properties.KeyPolicy as { Statement: { Action: string | string[] }[] })
        .Statement;
      const actions = statements.flatMap((statement) => [statement.Action].flat());
      expect(actions).toContain('kms:Sign');
      expect(actions.filter((action) => action.includes('*'))).toEqual([]);
      expect(
        actions.filter((action) => /Encrypt|Decrypt|GenerateDataKey|DeriveSharedSecret|Mac/.test(action)),
      ).toEqual([]);
    }
  });
});

describe('data protection by stage', () => {
  it('protects the production table from deletion and retains it', () => {
    const table = resourcesOfType(stages.prod.stateful, 'AWS::DynamoDB::GlobalTable')[0]?.[1];
    expect(table).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(table?.Properties.Replicas).toEqual([
      expect.objectContaining({ DeletionProtectionEnabled: true }),
    ]);
  });

  it('lets the development table go with its stack', () => {
    const table = resourcesOfType(stages.dev.stateful, 'AWS::DynamoDB::GlobalTable')[0]?.[1];
    expect(table).toMatchObject({ DeletionPolicy: 'Delete' });
    expect(table?.Properties.Replicas).toEqual([
      expect.objectContaining({ DeletionProtectionEnabled: false }),
    ]);
  });

  it('keeps the development keys too: a deleted key can never verify its passes again', () => {
    for (const [, key] of resourcesOfType(stages.dev.stateful, 'AWS::KMS::Key')) {
      expect(key.DeletionPolicy).toBe('Retain');
    }
  });
});

describe('pass key generations', () => {
  const withGenerations = (passKeyGenerations: readonly [string, ...string[]]) =>
    new StatefulStack(newApp(), 'Stateful', { stage: { ...STAGES.dev, passKeyGenerations } });

  it('creates one key per generation, in PASS_KEY_IDS order', () => {
    const stack = withGenerations(['2027', '2026']);
    expect(stack.passSigningKeys.map((key) => stack.resolve(key.keyArn))).toEqual([
      { 'Fn::GetAtt': ['PassSigningKey2027', 'Arn'] },
      { 'Fn::GetAtt': ['PassSigningKey2026', 'Arn'] },
    ]);
  });

  it('outputs the alias of every generation, each naming the key it labels', () => {
    const stack = withGenerations(['2027', '2026']);
    const template = Template.fromStack(stack);
    for (const generation of ['2027', '2026']) {
      template.hasOutput(`PassSigningKeyAlias${generation}`, {
        Value: KEY_ALIASES.passSigning('dev', generation),
      });
      template.hasResourceProperties('AWS::KMS::Alias', {
        AliasName: KEY_ALIASES.passSigning('dev', generation),
        TargetKeyId: { 'Fn::GetAtt': [STATEFUL_LOGICAL_IDS.passSigningKey(generation), 'Arn'] },
      });
    }
  });

  it('refuses a generation name that cannot be part of a logical ID', () => {
    expect(() => withGenerations(['2026-b'])).toThrow('letters or digits');
  });

  it('refuses the same generation twice', () => {
    expect(() => withGenerations(['2026', '2026'])).toThrow('distinct');
  });
});
