// Issue-8 guarantees of the stateful stack: keys only their signing role may use, app clients that can be created and
// cannot rebind an account, a stack policy over what cannot be replaced, backups, the audit trail and pinned flags.
import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { Role } from 'aws-cdk-lib/aws-iam';
import { CURRENT_VERSION_EXPIRED_FLAGS, FLAGS } from 'aws-cdk-lib/cx-api';
import { describe, expect, it } from 'vitest';
import { APP_CONTEXT, STAGES } from '../../infra/config.ts';
import {
  AUDIENCES,
  BINDING_ATTRIBUTES,
  HOSTED_AUDIENCE,
  REQUIRED_ATTRIBUTES,
} from '../../infra/constructs/users.ts';
import { FEATURE_FLAGS } from '../../infra/feature-flags.ts';
import { stackPolicy } from '../../infra/stack-policy.ts';
import { KEY_ADMIN_ROLE_NAME, STATEFUL_LOGICAL_IDS } from '../../infra/stateful-stack.ts';
import { ROLES } from '../../shared/schemas.ts';
import { resourcesOfType, synthApp, synthStage } from './synth.ts';

const { stages } = synthApp();

type KeyStatement = {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Principal: { AWS: unknown };
  Action: string | string[];
  Condition?: unknown;
};

describe.each(['dev', 'prod'] as const)('the %s signing keys', (stageName) => {
  const { stage, stateful } = stages[stageName];
  const resolve = (value: unknown) => stage.stateful.resolve(value);
  const roleArn = (group: string) => {
    const role = stage.stateful.signingRoles[group];
    if (!role) throw new Error(`no signing role for ${group}`);
    return resolve(role.roleArn);
  };
  // The pass key is signed with by passes (approvals), boat certificates (certificates) and members' passes and
  // group passes (groupApprovals), each as its own role.
  const signerOf = {
    [STATEFUL_LOGICAL_IDS.trustRootKey]: roleArn('trust'),
    [STATEFUL_LOGICAL_IDS.passSigningKey(STAGES[stageName].passKeyGenerations[0])]: [
      roleArn('approvals'),
      roleArn('certificates'),
      roleArn('groupApprovals'),
    ],
  };
  const statementsOf = (logicalId: string) =>
    (stateful.toJSON().Resources[logicalId].Properties.KeyPolicy as { Statement: KeyStatement[] }).Statement;
  const actions = (s: KeyStatement) => [s.Action].flat();
  const principals = (s: KeyStatement) => [s.Principal.AWS].flat().map((p) => JSON.stringify(p));

  it.each(Object.keys(signerOf))('lets only its signing role sign with %s', (logicalId) => {
    const allowsSign = statementsOf(logicalId).filter(
      (s) => s.Effect === 'Allow' && actions(s).includes('kms:Sign'),
    );
    expect(allowsSign).toHaveLength(1);
    // CloudFormation's order of principals means nothing; the set does.
    const sorted = (value: unknown) =>
      [value]
        .flat()
        .map((v) => JSON.stringify(v))
        .sort();
    expect(sorted(allowsSign[0]?.Principal.AWS)).toEqual(sorted(signerOf[logicalId]));
  });

  it.each(Object.keys(signerOf))('denies kms:Sign on %s to every other principal', (logicalId) => {
    const deny = statementsOf(logicalId).find((s) => s.Effect === 'Deny');
    expect(deny).toMatchObject({
      Principal: { AWS: '*' },
      Action: 'kms:Sign',
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': signerOf[logicalId] } },
    });
  });

  it.each(Object.keys(signerOf))('delegates no use or change of %s to the account root', (logicalId) => {
    const root = statementsOf(logicalId).filter((s) => JSON.stringify(s.Principal.AWS).includes(':root'));
    expect(root).toHaveLength(1);
    for (const forbidden of [
      'kms:Sign',
      'kms:PutKeyPolicy',
      'kms:ScheduleKeyDeletion',
      'kms:CreateGrant',
      'kms:DisableKey',
    ]) {
      expect(actions(root[0] as KeyStatement)).not.toContain(forbidden);
    }
    expect(actions(root[0] as KeyStatement)).toContain('kms:GetPublicKey');
  });

  it.each(Object.keys(signerOf))('lets no principal of %s both administer and sign', (logicalId) => {
    const statements = statementsOf(logicalId).filter((s) => s.Effect === 'Allow');
    const signers = new Set(statements.filter((s) => actions(s).includes('kms:Sign')).flatMap(principals));
    const admins = new Set(
      statements.filter((s) => actions(s).includes('kms:PutKeyPolicy')).flatMap(principals),
    );
    expect(admins.size).toBeGreaterThan(0);
    for (const admin of admins) expect(signers.has(admin)).toBe(false);
    expect([...admins]).toContain(JSON.stringify(resolve(stage.stateful.keyAdminRole.roleArn)));
  });

  it('makes one signing role per signing route group, Lambda’s to assume, group approvals’ beside the others', () => {
    expect(Object.keys(stage.stateful.signingRoles).sort()).toEqual([
      'approvals',
      'certificates',
      'groupApprovals',
      'trust',
    ]);
    // Approvals' and trust's keep the IDs they were first deployed with; the others are named after their group.
    const logicalId = (role: Role | undefined) =>
      role ? stage.stateful.getLogicalId(role.node.defaultChild as CfnElement) : undefined;
    expect(
      Object.fromEntries(
        Object.entries(stage.stateful.signingRoles).map(([group, role]) => [group, logicalId(role)]),
      ),
    ).toEqual({
      approvals: expect.stringMatching(/^PassSignerRole[0-9A-F]{8}$/),
      trust: expect.stringMatching(/^TrustRootSignerRole[0-9A-F]{8}$/),
      certificates: expect.stringMatching(/^CertificatesSignerRole[0-9A-F]{8}$/),
      groupApprovals: expect.stringMatching(/^GroupApprovalsSignerRole[0-9A-F]{8}$/),
    });
    const role = stateful.toJSON().Resources[logicalId(stage.stateful.signingRoles.groupApprovals) as string];
    expect(role?.Type).toBe('AWS::IAM::Role');
    expect(role?.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }),
    ]);
    // It signs with the pass key only: the trust root's policy does not name it.
    expect(JSON.stringify(statementsOf(STATEFUL_LOGICAL_IDS.trustRootKey))).not.toContain('GroupApprovals');
  });

  it('names the key administrator role so an operator’s IAM policy can refer to it', () => {
    stateful.hasResourceProperties('AWS::IAM::Role', { RoleName: KEY_ADMIN_ROLE_NAME(stageName) });
  });

  it('gives the signing roles no policy in the stateful stack: their functions add their own', () => {
    stateful.resourceCountIs('AWS::IAM::Policy', 0);
  });
});

describe.each(['dev', 'prod'] as const)('the %s users', (stageName) => {
  const { stage, stateful, stateless } = stages[stageName];
  const config = STAGES[stageName];
  // The checkpoint devices' client lives beside the distribution its sign-in returns to.
  const clients = [stateful, stateless].flatMap((template) =>
    resourcesOfType(template, 'AWS::Cognito::UserPoolClient').map(([, c]) => c.Properties),
  );
  /** Where an audience's sign-in may return: its path on every web origin, and on CloudFront for hosted apps. */
  const appOrigins = (audience: string) =>
    audience === HOSTED_AUDIENCE
      ? [...config.webOrigins, stage.stateless.checkpointHosting.origin]
      : [...config.webOrigins];
  const [[, pool] = []] = resourcesOfType(stateful, 'AWS::Cognito::UserPool');

  it('keeps the frozen logical ID of the user pool in the stateful stack', () => {
    expect(stateful.toJSON().Resources[STATEFUL_LOGICAL_IDS.userPool]?.Type).toBe('AWS::Cognito::UserPool');
  });

  it('requires exactly the attributes the clients write, and binds CNIC, checkpoint and port as custom ones', () => {
    const schema = pool?.Properties.Schema as { Name: string; Required?: boolean; Mutable: boolean }[];
    expect(
      schema
        .filter((a) => a.Required)
        .map((a) => a.Name)
        .sort(),
    ).toEqual([...REQUIRED_ATTRIBUTES].sort());
    for (const binding of BINDING_ATTRIBUTES) {
      expect(schema.map((a) => `custom:${a.Name}`)).toContain(binding);
    }
  });

  it('has one app client per audience', () => {
    expect(clients.map((c) => c.ClientName).sort()).toEqual(
      Object.keys(AUDIENCES)
        .map((audience) => `rahdari-${stageName}-${audience}`)
        .sort(),
    );
  });

  it.each(Object.keys(AUDIENCES))(
    'lets the %s client write every required attribute and never a binding',
    (audience) => {
      const client = clients.find((c) => c.ClientName === `rahdari-${stageName}-${audience}`);
      const writable = client?.WriteAttributes as string[];
      for (const required of REQUIRED_ATTRIBUTES) expect(writable).toContain(required);
      expect(writable.filter((attribute) => attribute.startsWith('custom:'))).toEqual([]);
    },
  );

  it.each(Object.keys(AUDIENCES))(
    'signs %s in by authorization code with PKCE and the OpenID scopes only',
    (audience) => {
      const client = clients.find((c) => c.ClientName === `rahdari-${stageName}-${audience}`);
      expect(client).toMatchObject({
        GenerateSecret: false,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthFlowsUserPoolClient: true,
        ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
        SupportedIdentityProviders: ['COGNITO'],
      });
      expect([...((client?.AllowedOAuthScopes as string[] | undefined) ?? [])].sort()).toEqual([
        'email',
        'openid',
        'profile',
      ]);
      const settings = AUDIENCES[audience as keyof typeof AUDIENCES];
      expect(client?.CallbackURLs).toEqual(
        stage.stateless.resolve(appOrigins(audience).map((origin) => `${origin}${settings.callbackPath}`)),
      );
      expect(client?.LogoutURLs).toEqual(
        stage.stateless.resolve(appOrigins(audience).map((origin) => `${origin}${settings.logoutPath}`)),
      );
    },
  );

  it('gives a shared checkpoint device a refresh token of a shift, a resident a month', () => {
    const refreshMinutes = (audience: string) =>
      clients.find((c) => c.ClientName === `rahdari-${stageName}-${audience}`)?.RefreshTokenValidity;
    expect(refreshMinutes('checkpoints')).toBeLessThanOrEqual(12 * 60);
    expect(refreshMinutes('staff')).toBeLessThanOrEqual(12 * 60);
    expect(refreshMinutes('residents')).toBe(30 * 24 * 60);
  });

  it('has one Cognito group per role, and a sign-in domain', () => {
    const groupNames = resourcesOfType(stateful, 'AWS::Cognito::UserPoolGroup').map(
      ([, g]) => g.Properties.GroupName,
    );
    expect(groupNames.sort()).toEqual([...ROLES].sort());
    stateful.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: config.authDomainPrefix });
  });

  it('requires TOTP MFA, strong passwords and administrator-created accounts', () => {
    stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
    });
  });

  it(`${config.protectData ? 'retains and protects' : 'destroys'} the user pool with the stack`, () => {
    expect(pool?.DeletionPolicy).toBe(config.protectData ? 'Retain' : 'Delete');
    expect(pool?.Properties.DeletionProtection).toBe(config.protectData ? 'ACTIVE' : 'INACTIVE');
  });
});

describe('Cognito e-mail through SES', () => {
  it('sends from the stage’s verified SES identity in its own region', () => {
    const { stateful } = synthStage({
      ...STAGES.prod,
      cognitoEmail: {
        fromEmail: 'no-reply@rahdari.gov.pk',
        fromName: 'Rahdari',
        sesVerifiedDomain: 'rahdari.gov.pk',
      },
    });
    stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: {
        EmailSendingAccount: 'DEVELOPER',
        From: 'Rahdari <no-reply@rahdari.gov.pk>',
        SourceArn: {
          'Fn::Join': [
            '',
            Match.arrayWith([Match.stringLikeRegexp(':ses:ap-south-1:'), ':identity/rahdari.gov.pk']),
          ],
        },
      },
    });
  });
});

describe('the stack policy of the stateful stack', () => {
  const policy = stackPolicy(stages.prod.stage.stateful);
  const denied = (action: string) =>
    policy.Statement.filter((s) => s.Effect === 'Deny' && s.Action === action).flatMap((s) =>
      [s.Resource].flat(),
    );

  it('refuses to replace the table, every key, the user pool and the backup vault', () => {
    expect(denied('Update:Replace').sort()).toEqual(
      [
        STATEFUL_LOGICAL_IDS.table,
        STATEFUL_LOGICAL_IDS.trustRootKey,
        STATEFUL_LOGICAL_IDS.passSigningKey('2026'),
        'FeedSigningKey',
        STATEFUL_LOGICAL_IDS.userPool,
        STATEFUL_LOGICAL_IDS.backupVault,
      ]
        .map((id) => `LogicalResourceId/${id}`)
        .sort(),
    );
  });

  it('refuses to remove the table and the pool, but lets a retired key generation leave (it is retained)', () => {
    expect(denied('Update:Delete')).toContain(`LogicalResourceId/${STATEFUL_LOGICAL_IDS.table}`);
    expect(denied('Update:Delete')).toContain(`LogicalResourceId/${STATEFUL_LOGICAL_IDS.userPool}`);
    expect(denied('Update:Delete')).not.toContain(`LogicalResourceId/${STATEFUL_LOGICAL_IDS.trustRootKey}`);
  });

  it('names only resources that exist in the template, and allows every other update', () => {
    const resources = Object.keys(stages.prod.stateful.toJSON().Resources);
    for (const id of [...denied('Update:Replace'), ...denied('Update:Delete')]) {
      expect(resources).toContain(id.replace('LogicalResourceId/', ''));
    }
    expect(policy.Statement.at(-1)).toEqual({
      Effect: 'Allow',
      Principal: '*',
      Action: 'Update:*',
      Resource: '*',
    });
  });
});

describe('backups and the audit trail', () => {
  it('backs up the production table daily into a vault that refuses early deletion, and copies a weekly backup to another region', () => {
    const { stateful, stage } = stages.prod;
    const backup = STAGES.prod.backup;
    if (!backup || !('region' in backup.copyTo)) throw new Error('prod copies backups to a region');
    stateful.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [
          Match.objectLike({
            RuleName: 'Daily',
            Lifecycle: { DeleteAfterDays: backup.dailyRetentionDays },
            TargetBackupVault: { 'Fn::GetAtt': [STATEFUL_LOGICAL_IDS.backupVault, 'BackupVaultName'] },
            CopyActions: Match.absent(),
          }),
          Match.objectLike({
            RuleName: 'WeeklyCopied',
            Lifecycle: { DeleteAfterDays: backup.weeklyRetentionDays },
            TargetBackupVault: { 'Fn::GetAtt': [STATEFUL_LOGICAL_IDS.backupVault, 'BackupVaultName'] },
            CopyActions: [Match.objectLike({ Lifecycle: { DeleteAfterDays: backup.weeklyRetentionDays } })],
          }),
        ],
      },
    });
    const text = JSON.stringify(stateful.findResources('AWS::Backup::BackupPlan'));
    expect(text).toContain(`:backup:${backup.copyTo.region}:`);
    expect(text).toContain(':backup-vault:rahdari-prod-table-copies');
    // Nobody, administrators included, deletes or shortens a recovery point before its time.
    stateful.hasResourceProperties('AWS::Backup::BackupVault', {
      AccessPolicy: {
        Statement: [
          Match.objectLike({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
          }),
        ],
      },
    });
    expect(stage.backupCopy?.region).toBe(backup.copyTo.region);
    expect(stage.stateful.dependencies).toContain(stage.backupCopy);
  });

  it('keeps development on point-in-time recovery alone', () => {
    stages.dev.stateful.resourceCountIs('AWS::Backup::BackupPlan', 0);
    expect(stages.dev.stage.backupCopy).toBeUndefined();
  });

  it.each(['dev', 'prod'] as const)(
    'logs the %s region’s read and write management events for the alerts',
    (stageName) => {
      stages[stageName].stateful.hasResourceProperties('AWS::CloudTrail::Trail', {
        IsLogging: true,
        EnableLogFileValidation: true,
        EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'All' }],
      });
    },
  );
});

describe('CDK feature flags', () => {
  it('pins every flag aws-cdk-lib knows, so an upgrade cannot change a template unnoticed', () => {
    const known = Object.keys(FLAGS).filter((flag) => !CURRENT_VERSION_EXPIRED_FLAGS.includes(flag));
    expect(Object.keys(FEATURE_FLAGS).sort()).toEqual(known.sort());
    for (const flag of known) expect(APP_CONTEXT).toHaveProperty([flag]);
  });
});
