// The accounts: the Cognito user pool, one group per role, the sign-in domain and one app client per audience.
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  type CfnUserPool,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolClientOptions,
  UserPoolEmail,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES } from '../../shared/schemas.ts';
import type { StageConfig } from '../config.ts';

/** Logical IDs of the account state: a refactor must never make CloudFormation replace the pool. */
export const USERS_LOGICAL_IDS = { userPool: 'RahdariUserPool' } as const;

/**
 * The attributes every account must have. Fixed at the pool's creation (Cognito cannot change a schema later), and
 * every app client must be able to write each one or Cognito refuses to create the client.
 */
export const REQUIRED_ATTRIBUTES = ['email', 'name'] as const;

/**
 * Bindings only an administrator or the platform writes (AdminCreateUser, AdminUpdateUserAttributes): the CNIC an
 * applicant may apply for, the checkpoint an officer works at, the port a Fisheries officer serves. No app client
 * may write any of them, or a user could rebind themselves.
 */
export const BINDING_ATTRIBUTES = ['custom:cnic', 'custom:checkpoint', 'custom:port'] as const;

/**
 * Who signs in through which app client, and for how long a sign-in lasts. ID and access tokens live an hour
 * (the API checks the ID token); refresh tokens are what differ. A resident's phone is their own, so a month. Staff
 * sign in for a working day. A checkpoint device is shared between shifts and can be lost at a remote post, so a
 * token dies with the shift: the next officer signs in again (verification works offline without any token).
 */
export const AUDIENCES = {
  residents: {
    description: 'border residents on their own phones',
    refreshTokenValidity: Duration.days(30),
    readAttributes: ['custom:cnic'],
    callbackPath: '/auth/callback',
    logoutPath: '/',
  },
  staff: {
    description: 'FIA, Fisheries and MoI staff on office computers',
    refreshTokenValidity: Duration.hours(12),
    readAttributes: ['custom:port', 'custom:checkpoint'],
    callbackPath: '/staff/auth/callback',
    logoutPath: '/',
  },
  checkpoints: {
    description: 'shared checkpoint devices',
    refreshTokenValidity: Duration.hours(12),
    readAttributes: ['custom:checkpoint'],
    // The checkpoint app completes the sign-in on its own start page (web/checkpoint/src/auth.ts), the page a
    // logout returns to as well.
    callbackPath: '/checkpoint/',
    logoutPath: '/checkpoint/',
  },
} as const satisfies Record<
  string,
  {
    description: string;
    refreshTokenValidity: Duration;
    readAttributes: readonly (typeof BINDING_ATTRIBUTES)[number][];
    callbackPath: `/${string}`;
    logoutPath: `/${string}`;
  }
>;

export type Audience = keyof typeof AUDIENCES;

/**
 * The audience whose app the stateless stack hosts (the checkpoint app on CloudFront): its client must name the
 * distribution's domain as a callback, known only once the distribution exists, so it is created beside it.
 */
export const HOSTED_AUDIENCE = 'checkpoints' satisfies Audience;
export type PoolAudience = Exclude<Audience, typeof HOSTED_AUDIENCE>;
/** The audiences whose clients live with the pool in the stateful stack. */
export const POOL_AUDIENCES = (Object.keys(AUDIENCES) as Audience[]).filter(
  (audience): audience is PoolAudience => audience !== HOSTED_AUDIENCE,
);

/**
 * An audience's app client: public, authorization code with PKCE through the sign-in pages, redirecting only to
 * the audience's path on the given origins.
 */
export function appClientOptions(
  stage: StageConfig,
  audience: Audience,
  origins: readonly string[],
): UserPoolClientOptions {
  const settings = AUDIENCES[audience];
  return {
    userPoolClientName: `rahdari-${stage.stageName}-${audience}`,
    // A public client in a browser: it keeps no secret, so the authorization code is bound to the app by PKCE.
    generateSecret: false,
    // No password flow at all (SRP included): every sign-in goes through the sign-in pages, whose tokens carry
    // only the scopes below, never aws.cognito.signin.user.admin (UpdateUserAttributes, DeleteUser on oneself).
    // Naming one flow, even as false, makes CDK write ExplicitAuthFlows with the refresh flow alone; leaving it
    // out would let Cognito enable SRP and custom auth by default.
    authFlows: { userSrp: false },
    oAuth: {
      flows: { authorizationCodeGrant: true },
      scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
      callbackUrls: origins.map((origin) => `${origin}${settings.callbackPath}`),
      logoutUrls: origins.map((origin) => `${origin}${settings.logoutPath}`),
    },
    supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
    preventUserExistenceErrors: true,
    enableTokenRevocation: true,
    accessTokenValidity: Duration.hours(1),
    idTokenValidity: Duration.hours(1),
    refreshTokenValidity: settings.refreshTokenValidity,
    readAttributes: new ClientAttributes()
      .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
      .withCustomAttributes(...settings.readAttributes.map((name) => name.replace(/^custom:/, ''))),
    // Exactly the required attributes: Cognito refuses a client that cannot write one of them, and no binding.
    writeAttributes: new ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
  };
}

const pascalCase = (name: string) =>
  name.replace(/(^|[^A-Za-z0-9])([A-Za-z0-9])/g, (_, __, letter: string) => letter.toUpperCase());

export interface UsersProps {
  stage: StageConfig;
  removalPolicy: RemovalPolicy;
}

/** The user pool: the roles are its groups; accounts are created by an administrator and must use TOTP. */
export class Users extends Construct {
  readonly userPool: UserPool;
  /** The clients of the audiences whose apps are not hosted by this platform's stacks yet. */
  readonly clients: Readonly<Record<PoolAudience, UserPoolClient>>;
  /** Base URL of the sign-in pages (authorization and token endpoints) for the apps. */
  readonly signInUrl: string;

  constructor(scope: Construct, id: string, props: UsersProps) {
    super(scope, id);
    const { stage, removalPolicy } = props;
    this.userPool = new UserPool(this, 'Pool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: true, mutable: true },
      },
      customAttributes: {
        // The checkpoint code a checkpoint officer is bound to; handlers read it as `custom:checkpoint`.
        checkpoint: new StringAttribute({ minLen: 3, maxLen: 3, mutable: true }),
        // The CNIC (13 digits, no dashes) an applicant account is bound to; handlers read it as `custom:cnic` and
        // let an applicant apply only for it. Mutable so an administrator can correct a mistyped number.
        cnic: new StringAttribute({ minLen: 13, maxLen: 13, mutable: true }),
        // The port code a Fisheries officer registers boats at; handlers read it as `custom:port`.
        port: new StringAttribute({ minLen: 3, maxLen: 3, mutable: true }),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      ...(stage.cognitoEmail
        ? { email: UserPoolEmail.withSES({ ...stage.cognitoEmail, sesRegion: stage.region }) }
        : {}),
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: stage.protectData,
      removalPolicy,
    });
    (this.userPool.node.defaultChild as CfnUserPool).overrideLogicalId(USERS_LOGICAL_IDS.userPool);
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'TOTP MFA is required of every user. The Plus plan adds threat protection at USD 0.02 per monthly active user with no free tier, more than the rest of the platform costs (docs/deploy.md); Essentials covers the first 10,000 MAUs.',
    });
    for (const role of ROLES) {
      this.userPool.addGroup(pascalCase(role), { groupName: role, description: `Rahdari role ${role}` });
    }

    const domain = this.userPool.addDomain('SignIn', {
      cognitoDomain: { domainPrefix: stage.authDomainPrefix },
    });
    this.signInUrl = domain.baseUrl();

    const clients: Partial<Record<PoolAudience, UserPoolClient>> = {};
    for (const audience of POOL_AUDIENCES) {
      clients[audience] = this.userPool.addClient(
        `${pascalCase(audience)}Client`,
        appClientOptions(stage, audience, stage.webOrigins),
      );
    }
    this.clients = clients as Record<PoolAudience, UserPoolClient>;
  }
}
