// The deployment stages as data: what differs between dev and prod, and the CDK context every synthesis uses.
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { LogLevel } from './constructs/function.ts';
import { FEATURE_FLAGS } from './feature-flags.ts';

export type StageName = 'dev' | 'prod';

export interface Throttle {
  /** Requests per second accepted steadily. */
  rateLimit: number;
  /** Requests accepted at once before answering 429. */
  burstLimit: number;
}

export interface StageConfig {
  stageName: StageName;
  /** Mumbai: the AWS region nearest Pakistan with every service used here. */
  region: string;
  /** Account to deploy to; unset synthesizes an account-agnostic template (CLI credentials decide). */
  account?: string;
  /**
   * Production data: the table gets deletion protection, and the table, user pool and log groups are RETAINed
   * when removed from the stack. Development resources are destroyed with their stack.
   */
  protectData: boolean;
  logRetention: RetentionDays;
  logLevel: LogLevel;
  /** What every route of the API accepts unless `publicRouteThrottle` says less. */
  throttle: Throttle;
  /**
   * What each route without a token (`/health`, `/.well-known/jwks.json`) accepts: a flood of these answers 429
   * on its own route and leaves the stage's and the account's capacity to officers and checkpoints.
   */
  publicRouteThrottle: Throttle;
  /**
   * Routes held below the stage's limit although they need a token. `GET /trust-bundle` may sign a bundle (KMS)
   * when a caller cycles `since` values, so a stolen checkpoint token is held to this rate (docs/deploy.md).
   */
  routeThrottles?: Readonly<Record<string, Throttle>>;
  /**
   * Concurrent executions reserved for the functions that sign (route group name → executions): approvals, group
   * approvals and trust bundles keep capacity when other functions are flooded, and can never use more. Lambda refuses a
   * reservation that would leave the account below its minimum of unreserved executions, so an account on a low
   * concurrency quota (new accounts may start at 10) needs an increase first (docs/deploy.md); unset reserves
   * nothing.
   */
  reservedConcurrency?: Readonly<Record<string, number>>;
  /** Hours a trust bundle's revocation list is trusted (BUNDLE_VALIDITY_HOURS). */
  bundleValidityHours: number;
  /**
   * Pass-signing key generations in PASS_KEY_IDS order: the first signs new passes, every other one is only
   * published in the JWKS and trust bundles. A new key is added at the end (published first), moved to the front
   * once every checkpoint has it, and removed once the last pass signed by the old one has expired
   * (docs/deploy.md). Names become part of logical IDs and aliases, so they never change.
   */
  passKeyGenerations: readonly [string, ...string[]];
  /**
   * Where alarm and security-alert notifications are e-mailed. Part of the stage so no deployment can drop the
   * subscription by forgetting an environment variable; unset (development only) leaves the topic without one.
   */
  alarmEmail?: string;
  /**
   * Browser origins (scheme, host, port) of the web apps: the only origins CORS lets call the API, and where the
   * app clients' sign-in redirects may return (docs/decisions.md).
   */
  webOrigins: readonly [string, ...string[]];
  /**
   * A WAF web ACL in front of the checkpoint app's distribution (and the API on its origin, `/api`): a block for
   * any address over `rateLimitPer5Minutes` requests in 5 minutes, and AWS's core and known-bad-inputs rule groups.
   * It lives in a stack in us-east-1, as CloudFront requires. Unset: no web ACL.
   */
  webAcl?: { rateLimitPer5Minutes: number };
  /**
   * Prefix of the Cognito sign-in domain, `<prefix>.auth.<region>.amazoncognito.com`: unique among every AWS
   * account in the region, so pick one nobody else holds before the first deployment.
   */
  authDomainPrefix: string;
  /**
   * A CloudTrail trail for the stage's region, which EventBridge needs to see API calls (the security alerts).
   * Set false where an account or organization trail already records this region's management events.
   */
  createTrail: boolean;
  /**
   * AWS Backup of the table beside point-in-time recovery: a daily recovery point kept `dailyRetentionDays`, and a
   * weekly one kept `weeklyRetentionDays` and copied to another region (a vault the stage creates there) or to a
   * vault in another account (its ARN). Unset: PITR only.
   */
  backup?: {
    dailyRetentionDays: number;
    weeklyRetentionDays: number;
    copyTo: { region: string } | { vaultArn: string };
  };
  /**
   * Cognito's e-mail (invitations, verification and password-reset codes) sent through Amazon SES from an address
   * on an identity verified in SES in the stage's region. Unset keeps Cognito's own sender, which allows about 50
   * e-mails a day: enough for staff, not for applicant accounts (docs/deploy.md).
   */
  cognitoEmail?: { fromEmail: string; fromName?: string; sesVerifiedDomain?: string };
  /**
   * Pass types overriding the built-in ones (shared/domain/pass-types.ts), e.g. to end the rahdari on a date:
   * passed as PASS_TYPES and checked at synthesis, so a bad entry never reaches a function.
   */
  passTypes?: readonly Record<string, unknown>[];
}

export const STAGES: Record<StageName, StageConfig> = {
  dev: {
    stageName: 'dev',
    region: 'ap-south-1',
    protectData: false,
    logRetention: RetentionDays.TWO_WEEKS,
    logLevel: 'DEBUG',
    throttle: { rateLimit: 20, burstLimit: 40 },
    publicRouteThrottle: { rateLimit: 5, burstLimit: 10 },
    bundleValidityHours: 72,
    passKeyGenerations: ['2026'],
    webOrigins: ['http://localhost:3000'],
    authDomainPrefix: 'rahdari-dev',
    createTrail: true,
  },
  prod: {
    stageName: 'prod',
    region: 'ap-south-1',
    protectData: true,
    logRetention: RetentionDays.ONE_YEAR,
    logLevel: 'INFO',
    // Ten million crossings a year arrive in batches: a few requests a second at peak, far below this.
    throttle: { rateLimit: 200, burstLimit: 400 },
    // A verifier caches the JWKS and a monitor polls health once a minute: 20 a second is already a flood.
    publicRouteThrottle: { rateLimit: 20, burstLimit: 40 },
    // About 280 approvals a day and 300 devices fetching bundles a few times a day: 10 each is ample headroom. Group
    // approvals sign as approvals do (a few groups a day, each approval and removal one request): the same 10.
    reservedConcurrency: { approvals: 10, trust: 10, groupApprovals: 10 },
    // 300 devices a few times a day average well under one request a second; after an outage they come back at
    // once, retrying with back-off, and a burst of 50 serves them within a minute.
    routeThrottles: { 'GET /trust-bundle': { rateLimit: 10, burstLimit: 50 } },
    bundleValidityHours: 72,
    passKeyGenerations: ['2026'],
    alarmEmail: 'rahdari-alarms@rahdari.gov.pk',
    webOrigins: ['https://rahdari.gov.pk'],
    // A post's device starts the app (about 20 files) and syncs a few times a day; an office behind one address
    // with 50 officers stays far below 1,000 requests in 5 minutes.
    webAcl: { rateLimitPer5Minutes: 1000 },
    authDomainPrefix: 'rahdari-gov-pk',
    createTrail: true,
    // Singapore: another region far enough from Mumbai for a regional outage, near enough to restore from.
    backup: { dailyRetentionDays: 7, weeklyRetentionDays: 35, copyTo: { region: 'ap-southeast-1' } },
  },
};

/**
 * Context for every synthesis, the CLI's and the tests' alike. CloudFormation template validation (schema and
 * best-practice rules bundled with aws-cdk-lib) fails the synthesis instead of only warning, and construct
 * warnings are part of the validation report, where the nag test reads them.
 */
export const APP_CONTEXT = {
  ...FEATURE_FLAGS,
  '@aws-cdk/core:validateAgainstDefaultRules': true,
  '@aws-cdk/core:annotationsInValidationReport': true,
  // Strong (Fn::ImportValue): CloudFormation itself refuses to delete the table or a key while functions use it.
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
} as const;
