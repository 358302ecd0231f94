// The deployment stages as data: what differs between dev and prod, and the CDK context every synthesis uses.
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { LogLevel } from './constructs/function.ts';

export type StageName = 'dev' | 'prod';

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
  /** Requests per second the API accepts steadily and in a burst before answering 429. */
  throttle: { rateLimit: number; burstLimit: number };
  /** Hours a trust bundle's revocation list is trusted (BUNDLE_VALIDITY_HOURS). */
  bundleValidityHours: number;
  /**
   * Pass-signing key generations in PASS_KEY_IDS order: the first signs new passes, every other one is only
   * published in the JWKS and trust bundles. A new key is added at the end (published first), moved to the front
   * once every checkpoint has it, and removed once the last pass signed by the old one has expired
   * (docs/deploy.md). Names become part of logical IDs and aliases, so they never change.
   */
  passKeyGenerations: readonly [string, ...string[]];
  /** Where alarm notifications are e-mailed; unset leaves the topic without a subscriber. */
  alarmEmail?: string;
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
    bundleValidityHours: 72,
    passKeyGenerations: ['2026'],
  },
  prod: {
    stageName: 'prod',
    region: 'ap-south-1',
    protectData: true,
    logRetention: RetentionDays.ONE_YEAR,
    logLevel: 'INFO',
    // Ten million crossings a year arrive in batches: a few requests a second at peak, far below this.
    throttle: { rateLimit: 200, burstLimit: 400 },
    bundleValidityHours: 72,
    passKeyGenerations: ['2026'],
  },
};

/**
 * Context for every synthesis, the CLI's and the tests' alike. CloudFormation template validation (schema and
 * best-practice rules bundled with aws-cdk-lib) fails the synthesis instead of only warning, and construct
 * warnings are part of the validation report, where the nag test reads them.
 */
export const APP_CONTEXT = {
  '@aws-cdk/core:validateAgainstDefaultRules': true,
  '@aws-cdk/core:annotationsInValidationReport': true,
  // Strong (Fn::ImportValue): CloudFormation itself refuses to delete the table or a key while functions use it.
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
} as const;
