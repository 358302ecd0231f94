// The stateless stack, generated from the route table: one function per route group behind an HTTP API with a
// Cognito JWT authorizer, least-privilege grants on the table and keys, access logs and alarms.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, type Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import {
  AccountRecovery,
  type CfnUserPool,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolEmail,
} from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { ROUTE_GROUPS, type RouteGroup, type TableIndex } from '../functions/routes.ts';
import { loadPassTypes } from '../shared/domain/pass-types-config.ts';
import { ROLES } from '../shared/schemas.ts';
import type { StageConfig } from './config.ts';
import { RahdariFunction } from './constructs/function.ts';

/** Logical IDs frozen like the stateful ones: the user pool is state (the accounts) living in this stack. */
export const STATELESS_LOGICAL_IDS = { userPool: 'RahdariUserPool' } as const;

/** The repository root: route group entries are relative to it. */
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

const METHODS: Record<string, HttpMethod> = {
  GET: HttpMethod.GET,
  POST: HttpMethod.POST,
  PUT: HttpMethod.PUT,
  PATCH: HttpMethod.PATCH,
  DELETE: HttpMethod.DELETE,
};

/** Splits "POST /applications/{id}/approve" into an API Gateway method and path, refusing anything else. */
export function parseRouteKey(routeKey: string): { method: HttpMethod; path: string } {
  const match = /^([A-Z]+) (\/[A-Za-z0-9._{}/-]*)$/.exec(routeKey);
  const method = match?.[1] ? METHODS[match[1]] : undefined;
  if (!match?.[2] || !method) throw new Error(`not a route key: "${routeKey}"`);
  return { method, path: match[2] };
}

/** Only handlers under functions/ are deployed: the local stack (dev login, dev issuer, key files) never is. */
export function assertDeployableEntry(entry: string): void {
  if (!/^functions\/[a-z0-9-]+\.ts$/.test(entry)) {
    throw new Error(`route group entry "${entry}" is not a handler file directly under functions/`);
  }
}

/** IAM actions a route group's declaration grants on the table, and on each index it queries. */
export function tableGrants(group: RouteGroup): { tableActions: string[]; indexes: TableIndex[] } {
  const indexes = [...(group.queriesIndexes ?? [])];
  if (indexes.length > 0 && !group.tableActions.includes('Query')) {
    throw new Error(`route group ${group.entry} queries ${indexes.join(', ')} but does not declare Query`);
  }
  return { tableActions: group.tableActions.map((action) => `dynamodb:${action}`), indexes };
}

const pascalCase = (name: string) =>
  name.replace(/(^|[^A-Za-z0-9])([A-Za-z0-9])/g, (_, __, letter: string) => letter.toUpperCase());

export interface StatelessStackProps extends StackProps {
  stage: StageConfig;
  table: ITableV2;
  trustRootKey: IKey;
  /** PASS_KEY_IDS order: the first signs, the others are only published. */
  passSigningKeys: readonly IKey[];
  /** The route table; the real one unless a test supplies another. */
  routeGroups?: Readonly<Record<string, RouteGroup>>;
}

export class StatelessStack extends Stack {
  readonly api: HttpApi;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  readonly alarmTopic: Topic;
  readonly functions: ReadonlyMap<string, RahdariFunction>;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { stage, table, trustRootKey, passSigningKeys } = props;
    const routeGroups: Readonly<Record<string, RouteGroup>> = props.routeGroups ?? ROUTE_GROUPS;
    const [currentPassKey] = passSigningKeys;
    if (!currentPassKey) throw new Error('at least one pass-signing key is needed');
    const removalPolicy = stage.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: `Rahdari ${stage.stageName} alarms`,
      enforceSSL: true,
    });
    if (stage.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(stage.alarmEmail));
    Validations.of(this.alarmTopic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry only alarm names and states, no personal data; CloudWatch cannot publish to a topic under the AWS managed SNS key, and a customer managed key for it costs more than it protects.',
    });

    ({ userPool: this.userPool, client: this.userPoolClient } = this.users(stage, removalPolicy));

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: stage.logRetention,
      removalPolicy,
    });
    this.api = new HttpApi(this, 'Api', {
      description: `Rahdari ${stage.stageName} API`,
      // Every route needs a token unless the route table names it public.
      defaultAuthorizer: new HttpUserPoolAuthorizer('CognitoAuthorizer', this.userPool, {
        userPoolClients: [this.userPoolClient],
      }),
      createDefaultStage: false,
    });
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: stage.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            time: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            // Who called, so an officer's actions can be traced; never the token itself.
            sub: '$context.authorizer.claims.sub',
          }),
        ),
      },
    });

    const functions = new Map<string, RahdariFunction>();
    const passTypes = stage.passTypes ? checkedPassTypes(stage.passTypes) : undefined;
    for (const [name, group] of Object.entries(routeGroups)) {
      assertDeployableEntry(group.entry);
      const fn = new RahdariFunction(this, `${pascalCase(name)}Function`, {
        entry: join(PROJECT_ROOT, group.entry),
        description: `Rahdari ${stage.stageName} ${name}: ${group.routes.join(', ')}`.slice(0, 256),
        logRetention: stage.logRetention,
        logRemovalPolicy: removalPolicy,
        logLevel: stage.logLevel,
        environment: {
          TABLE_NAME: table.tableName,
          // Every function reads the key configuration at cold start; IAM, not the environment, decides use.
          PASS_KEY_IDS: passSigningKeys.map((key) => key.keyArn).join(','),
          ROOT_KEY_ID: trustRootKey.keyArn,
          BUNDLE_VALIDITY_HOURS: String(stage.bundleValidityHours),
          ...(passTypes ? { PASS_TYPES: passTypes } : {}),
        },
      });
      functions.set(name, fn);

      // Not table.grant(): it adds every index (index/*) to whatever it grants. The table gets the group's
      // declared actions; an index gets Query only, and only if the group queries it.
      const grants = tableGrants(group);
      Grant.addToPrincipal({ grantee: fn, actions: grants.tableActions, resourceArns: [table.tableArn] });
      if (grants.indexes.length > 0) {
        Grant.addToPrincipal({
          grantee: fn,
          actions: ['dynamodb:Query'],
          resourceArns: grants.indexes.map((index) => `${table.tableArn}/index/${index}`),
        });
      }
      if (group.signs === 'pass') {
        currentPassKey.grantSign(fn);
        currentPassKey.grant(fn, 'kms:GetPublicKey');
      }
      if (group.signs === 'root') {
        trustRootKey.grantSign(fn);
        trustRootKey.grant(fn, 'kms:GetPublicKey');
      }
      if (group.readsPublicKeys) for (const key of passSigningKeys) key.grant(fn, 'kms:GetPublicKey');
      // API Gateway invokes synchronously: a failure is answered to the caller, and no event is left to dead-letter.
      Validations.of(fn).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason:
          'Invoked synchronously by API Gateway: errors go back to the caller; a DLQ only serves async invocations.',
      });

      const integration = new HttpLambdaIntegration(`${pascalCase(name)}Integration`, fn);
      const publicRoutes: readonly string[] = group.publicRoutes ?? [];
      for (const routeKey of group.routes) {
        const { method, path } = parseRouteKey(routeKey);
        const isPublic = publicRoutes.includes(routeKey);
        const [route] = this.api.addRoutes({
          path,
          methods: [method],
          integration,
          ...(isPublic ? { authorizer: new HttpNoneAuthorizer() } : {}),
        });
        if (isPublic && route) {
          Validations.of(route).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason: `${routeKey} is public by design (functions/routes.ts publicRoutes): read-only, no personal data, throttled with the stage.`,
          });
        }
      }
      this.alarm(`${pascalCase(name)}ErrorsAlarm`, `${name} function errors`, fn.metricErrors());
    }
    this.functions = functions;

    this.alarm('Api5xxAlarm', 'API answered 5xx', this.api.metricServerError());

    // What an operator hands to the apps and the user commands in docs/deploy.md.
    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint, description: 'Base URL of the API' });
    new CfnOutput(this, 'TrustBundleUrl', {
      value: `${this.api.apiEndpoint}/trust-bundle`,
      description: 'Where checkpoint devices download the signed trust bundle (checkpoint-officer ID token)',
    });
    new CfnOutput(this, 'JwksUrl', {
      value: `${this.api.apiEndpoint}/.well-known/jwks.json`,
      description: 'Public pass-signing keys for any verifier (no token)',
    });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId, description: 'Cognito user pool' });
    new CfnOutput(this, 'UserPoolClientId', {
      value: this.userPoolClient.userPoolClientId,
      description: 'Cognito app client of the web and checkpoint apps',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topicArn,
      description: 'SNS topic of the alarms: add subscribers here',
    });
  }

  /** The user pool: the roles are its groups; officers are created by an administrator and must use TOTP. */
  private users(stage: StageConfig, removalPolicy: RemovalPolicy) {
    const userPool = new UserPool(this, 'Users', {
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
    // The pool holds every officer's account: a refactor must never make CloudFormation replace it.
    (userPool.node.defaultChild as CfnUserPool).overrideLogicalId(STATELESS_LOGICAL_IDS.userPool);
    Validations.of(userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'TOTP MFA is required of every user. The Plus plan adds threat protection at USD 0.02 per monthly active user with no free tier, more than the rest of the platform costs (docs/deploy.md); Essentials covers the first 10,000 MAUs.',
    });
    for (const role of ROLES) {
      userPool.addGroup(pascalCase(role), { groupName: role, description: `Rahdari role ${role}` });
    }
    const client = userPool.addClient('WebClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes('checkpoint', 'cnic'),
      // A user must not rebind themselves to another checkpoint or CNIC: only an administrator writes them.
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
    });
    return { userPool, client };
  }

  private alarm(id: string, what: string, metric: Metric): Alarm {
    const alarm = new Alarm(this, id, {
      alarmDescription: `Rahdari: ${what} in the last 5 minutes`,
      metric: metric.with({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.alarmTopic));
    return alarm;
  }
}

/** The PASS_TYPES value for a stage, refused at synthesis if the functions would refuse it at cold start. */
function checkedPassTypes(passTypes: readonly Record<string, unknown>[]): string {
  const loaded = loadPassTypes(passTypes);
  if (!loaded.ok) throw new Error(`stage passTypes: ${loaded.errors.join('; ')}`);
  return JSON.stringify(passTypes);
}
