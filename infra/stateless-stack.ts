// The stateless stack, generated from the route table: one function per route group behind an HTTP API with a
// Cognito JWT authorizer and CORS for the web origins, per-route throttles, alarms and security alerts.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import {
  ClientAttributes,
  type IUserPool,
  type IUserPoolClient,
  UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { type ITableV2, Operation } from 'aws-cdk-lib/aws-dynamodb';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { FilterPattern, LogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ROUTE_GROUPS } from '../functions/routes.ts';
import { loadPassTypes } from '../shared/domain/pass-types-config.ts';
import type { StageConfig, Throttle } from './config.ts';
import { ALARM_PERIOD, notifyingAlarm } from './constructs/alarms.ts';
import { type FeedStorage, MinistryFeed } from './constructs/feed.ts';
import { FUNCTION_DEFAULTS } from './constructs/function.ts';
import { GroupSweep } from './constructs/group-sweep.ts';
import { type DeployedRouteGroup, pascalCase, RouteGroupFunction } from './constructs/route-group.ts';
import { SecurityAlerts } from './constructs/security-alerts.ts';
import { appClientOptions, HOSTED_AUDIENCE, type PoolAudience } from './constructs/users.ts';
import {
  API_PATH,
  CHECKPOINT_PATH,
  CheckpointHosting,
  deployFolder,
  OFFICE_PATH,
} from './constructs/web-hosting.ts';

export {
  assertBodyFits,
  assertDeployableEntry,
  parseRouteKey,
  tableGrants,
} from './constructs/route-group.ts';

/**
 * Business metrics that page an operator: the metric the functions publish (Powertools Metrics, namespace Rahdari,
 * dimension service = route group) and the count in 5 minutes that is already too many.
 */
export const BUSINESS_ALARMS = [
  {
    id: 'ApprovalRetriesExhaustedAlarm',
    service: 'approvals',
    metricName: 'ApprovalRetriesExhausted',
    threshold: 1,
    description: 'an approval lost every retry to concurrent approvals and answered 503 busy',
  },
] as const;

/** The table operations the functions send (and a stream reader's GetRecords): at most 10 metrics per alarm. */
const TABLE_OPERATIONS = [
  Operation.GET_ITEM,
  Operation.BATCH_GET_ITEM,
  Operation.QUERY,
  Operation.PUT_ITEM,
  Operation.UPDATE_ITEM,
  Operation.DELETE_ITEM,
  Operation.TRANSACT_WRITE_ITEMS,
  Operation.GET_RECORDS,
];

export interface StatelessStackProps extends StackProps {
  stage: StageConfig;
  table: ITableV2;
  trustRootKey: IKey;
  /** PASS_KEY_IDS order: the first signs, the others are only published. */
  passSigningKeys: readonly IKey[];
  /** The roles the key policies let sign: the functions that sign run as these. */
  /** The signing roles by route group; each signing group runs as its own. */
  signingRoles: Readonly<Record<string, IRole>>;
  userPool: IUserPool;
  /**
   * The app clients kept with the pool; the authorizer accepts ID tokens issued to any of them and to the
   * checkpoint devices' client made here.
   */
  userPoolClients: Readonly<Record<PoolAudience, IUserPoolClient>>;
  /** The WAF web ACL (us-east-1) in front of the checkpoint app's distribution, where the stage has one. */
  webAclArn?: string;
  /** The built checkpoint app (`npm run build:web` → web/dist/checkpoint), deployed to S3 behind CloudFront. */
  checkpointAppDir: string;
  /** The route table; the real one unless a test supplies another. */
  routeGroups?: Readonly<Record<string, DeployedRouteGroup>>;
  /** The Ministry feed's key, the deliverer's role and the feed's storage (stateful stack). */
  feed?: {
    feedSigningKey: IKey;
    delivererRole: IRole;
    storage: Pick<FeedStorage, 'exportBucket' | 'endpointParameter' | 'credentialSecret'>;
  };
}

export class StatelessStack extends Stack {
  readonly api: HttpApi;
  readonly apiStage: HttpStage;
  readonly alarmTopic: Topic;
  /** Dead letters of the notifications: alarm e-mails and security alerts that could not be delivered. */
  readonly undelivered: Queue;
  readonly functions: ReadonlyMap<string, RouteGroupFunction>;
  /** The Ministry feed's deliverer and exporter, when the stage has the feed's key and storage. */
  readonly feed?: MinistryFeed;
  /** The hourly overdue-group sweep (GROUP_OVERDUE anomalies), a function no route reaches. */
  readonly groupSweep: GroupSweep;
  readonly checkpointHosting: CheckpointHosting;
  /** The checkpoint devices' app client: its sign-in returns to the app on the distribution's domain. */
  readonly checkpointClient: UserPoolClient;
  /** The office pages' app client, when the pages are built beside the checkpoint app (`npm run build:web`). */
  readonly officeClient: UserPoolClient | undefined;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { stage, table, trustRootKey, passSigningKeys, signingRoles, userPool } = props;
    const routeGroups: Readonly<Record<string, DeployedRouteGroup>> = props.routeGroups ?? ROUTE_GROUPS;
    const removalPolicy = stage.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    // A signing role belongs to one function: two sharing it would share every grant either needs.
    const signerRoles = Object.entries(routeGroups)
      .filter(([, group]) => group.signs)
      .map(([name]) => {
        const role = signingRoles[name];
        if (!role)
          throw new Error(`route group ${name} signs but the stateful stack made no signing role for it`);
        return role;
      });
    if (new Set(signerRoles).size !== signerRoles.length) {
      throw new Error('two signing route groups would run as one signing role');
    }
    // A reservation under a name no route group has would silently reserve nothing.
    for (const name of Object.keys(stage.reservedConcurrency ?? {})) {
      if (!routeGroups[name]) throw new Error(`stage reservedConcurrency names no route group: ${name}`);
    }

    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: `Rahdari ${stage.stageName} alarms`,
      enforceSSL: true,
    });
    // What could not be delivered (an e-mail endpoint refusing, a topic policy gone wrong) waits here for two weeks
    // and raises its own alarm, rather than vanishing: a lost security alert is worse than a late one.
    this.undelivered = new Queue(this, 'UndeliveredNotifications', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    for (const id of ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy']) {
      Validations.of(this.undelivered).acknowledge({
        id,
        reason:
          'This queue is itself the dead-letter queue of the alarm e-mail subscription and of every security-alert rule target; nothing consumes it but an operator, so nothing could fail to process it.',
      });
    }
    if (stage.alarmEmail) {
      this.alarmTopic.addSubscription(
        new EmailSubscription(stage.alarmEmail, { deadLetterQueue: this.undelivered }),
      );
    }
    Validations.of(this.alarmTopic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm and alert notifications carry alarm names, event names, caller ARNs and times, no personal data; CloudWatch cannot publish to a topic under the AWS managed SNS key, and a customer managed key for it costs more than it protects.',
    });

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: stage.logRetention,
      removalPolicy,
    });
    // The authorizer reads this list when the first route binds it, after the checkpoint client joins it below.
    const authorizedClients: IUserPoolClient[] = Object.values(props.userPoolClients);
    this.api = new HttpApi(this, 'Api', {
      description: `Rahdari ${stage.stageName} API`,
      // Every route needs a token unless the route table names it public.
      defaultAuthorizer: new HttpUserPoolAuthorizer('CognitoAuthorizer', userPool, {
        userPoolClients: authorizedClients,
      }),
      // The web apps call the API from their own origins with a bearer token (no cookies): CORS names exactly those
      // origins (docs/decisions.md).
      corsPreflight: {
        allowOrigins: [...stage.webOrigins],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.DELETE],
        allowHeaders: ['authorization', 'content-type'],
        exposeHeaders: ['content-type'],
        allowCredentials: false,
        maxAge: Duration.hours(1),
      },
      createDefaultStage: false,
    });
    this.apiStage = new HttpStage(this, 'DefaultStage', {
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

    // The checkpoint app on CloudFront, with the API on its origin under /api (no CORS needed for it), and the
    // devices' app client, whose sign-in returns to the distribution's domain (docs/decisions.md).
    const signInOrigin = `https://${stage.authDomainPrefix}.auth.${this.region}.amazoncognito.com`;
    const idpOrigin = `https://cognito-idp.${this.region}.amazonaws.com`;
    this.checkpointHosting = new CheckpointHosting(this, 'CheckpointApp', {
      apiEndpoint: this.api.apiEndpoint,
      loginOrigins: [idpOrigin, signInOrigin],
      removalPolicy,
      logRetentionDays: stage.logRetention,
      ...(props.webAclArn ? { webAclArn: props.webAclArn } : {}),
    });
    this.checkpointClient = new UserPoolClient(this, 'CheckpointsClient', {
      userPool,
      ...appClientOptions(stage, HOSTED_AUDIENCE, [...stage.webOrigins, this.checkpointHosting.origin]),
    });
    authorizedClients.push(this.checkpointClient);
    this.checkpointHosting.deploy({
      appDir: props.checkpointAppDir,
      config: {
        apiUrl: `${this.checkpointHosting.origin}${API_PATH}`,
        auth: {
          kind: 'cognito',
          authority: `${idpOrigin}/${userPool.userPoolId}`,
          clientId: this.checkpointClient.userPoolClientId,
          scope: 'openid email profile',
        },
      },
      logRetention: stage.logRetention,
      removalPolicy,
    });
    this.officeClient = this.deployOfficePages(props, stage, userPool, idpOrigin, removalPolicy);
    if (this.officeClient) authorizedClients.push(this.officeClient);

    const passTypes = stage.passTypes ? checkedPassTypes(stage.passTypes) : undefined;
    const environment = {
      TABLE_NAME: table.tableName,
      // Every function reads the key configuration at cold start; IAM and the key policies, not the environment,
      // decide use.
      PASS_KEY_IDS: passSigningKeys.map((key) => key.keyArn).join(','),
      ROOT_KEY_ID: trustRootKey.keyArn,
      BUNDLE_VALIDITY_HOURS: String(stage.bundleValidityHours),
      ...(passTypes ? { PASS_TYPES: passTypes } : {}),
    };
    const functions = new Map<string, RouteGroupFunction>();
    const routeThrottles: Record<string, Throttle> = {};
    for (const [name, group] of Object.entries(routeGroups)) {
      const deployed = new RouteGroupFunction(this, pascalCase(name), {
        name,
        group,
        stage,
        api: this.api,
        table,
        trustRootKey,
        passSigningKeys,
        signingRoles,
        userPool,
        environment,
        logRemovalPolicy: removalPolicy,
        alarmTopic: this.alarmTopic,
        ...(props.feed ? { feedSigningKey: props.feed.feedSigningKey } : {}),
      });
      functions.set(name, deployed);
      const publicRoutes: readonly string[] = group.publicRoutes ?? [];
      for (const [routeKey, route] of deployed.routes) {
        routeThrottles[routeKey] = publicRoutes.includes(routeKey)
          ? stage.publicRouteThrottle
          : (stage.routeThrottles?.[routeKey] ?? stage.throttle);
        // Route settings name routes by key: CloudFormation must create each route before the stage names it.
        this.apiStage.node.addDependency(route);
      }
    }
    this.functions = functions;
    if (props.feed) {
      this.feed = new MinistryFeed(this, 'MinistryFeed', {
        stage,
        table,
        delivererRole: props.feed.delivererRole,
        feedSigningKey: props.feed.feedSigningKey,
        exportBucket: props.feed.storage.exportBucket,
        endpointParameter: props.feed.storage.endpointParameter,
        credentialSecret: props.feed.storage.credentialSecret,
        environment,
        logRemovalPolicy: removalPolicy,
        alarmTopic: this.alarmTopic,
      });
    }
    this.groupSweep = new GroupSweep(this, 'GroupSweep', {
      stage,
      table,
      environment,
      logRemovalPolicy: removalPolicy,
      alarmTopic: this.alarmTopic,
    });
    (this.apiStage.node.defaultChild as CfnStage).routeSettings = Object.fromEntries(
      Object.entries(routeThrottles).map(([routeKey, throttle]) => [
        routeKey,
        { ThrottlingRateLimit: throttle.rateLimit, ThrottlingBurstLimit: throttle.burstLimit },
      ]),
    );

    this.apiAlarms(accessLogs);
    this.tableAlarms(table);
    for (const business of BUSINESS_ALARMS) {
      if (!routeGroups[business.service]) continue;
      notifyingAlarm(this, business.id, {
        description: `${business.description} in the last 5 minutes`,
        metric: new Metric({
          namespace: FUNCTION_DEFAULTS.metricsNamespace,
          metricName: business.metricName,
          dimensionsMap: { service: business.service },
          period: ALARM_PERIOD,
          statistic: 'Sum',
        }),
        threshold: business.threshold,
        topic: this.alarmTopic,
      });
    }

    new SecurityAlerts(this, 'SecurityAlerts', {
      keyArns: [trustRootKey.keyArn, ...passSigningKeys.map((key) => key.keyArn)],
      signingRoleArns: Object.values(signingRoles).map((role) => role.roleArn),
      userPoolId: userPool.userPoolId,
      topic: this.alarmTopic,
      deadLetterQueue: this.undelivered,
    });
    notifyingAlarm(this, 'UndeliveredNotificationsAlarm', {
      description: 'an alarm e-mail or security alert could not be delivered (see the dead-letter queue)',
      metric: this.undelivered.metricApproximateNumberOfMessagesVisible({
        period: ALARM_PERIOD,
        statistic: 'Maximum',
      }),
      threshold: 1,
      topic: this.alarmTopic,
    });

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
    new CfnOutput(this, 'CheckpointAppUrl', {
      value: `${this.checkpointHosting.origin}${CHECKPOINT_PATH}`,
      description: 'The checkpoint app: open it once with signal on each device and install it',
    });
    if (this.officeClient)
      new CfnOutput(this, 'OfficePagesUrl', {
        value: `${this.checkpointHosting.origin}${OFFICE_PATH}`,
        description:
          'The office pages: residents apply, FIA decides, Fisheries registers boats, the Ministry reads reports',
      });
    new CfnOutput(this, 'CheckpointsClientId', {
      value: this.checkpointClient.userPoolClientId,
      description: 'App client of the checkpoints audience (written into the app’s config.json)',
    });
    new CfnOutput(this, 'GroupSweepFunctionName', {
      value: this.groupSweep.fn.functionName,
      description: 'The hourly overdue-group sweep: invoke it by hand to sweep at once (safe at any time)',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topicArn,
      description: 'SNS topic of the alarms and security alerts: add subscribers here',
    });
  }

  /**
   * The API as its callers see it: answers the functions handled but failed (5xx), spikes of refused requests
   * (4xx: bad tokens, scans) and of throttled ones (429, counted from the access log since the API's metrics lump
   * them with every 4xx).
   */
  private apiAlarms(accessLogs: LogGroup): void {
    const apiMetric = (metricName: string) =>
      new Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap: { ApiId: this.api.apiId },
        period: ALARM_PERIOD,
        statistic: 'Sum',
      });
    const rate = (errors: string, minimumRequests: number) =>
      new MathExpression({
        // Percent of requests, and nothing while traffic is too thin for a rate to mean anything.
        expression: `IF(requests >= ${minimumRequests}, 100 * errors / requests, 0)`,
        usingMetrics: { errors: apiMetric(errors), requests: apiMetric('Count') },
        period: ALARM_PERIOD,
        label: `${errors} rate (%)`,
      });
    notifyingAlarm(this, 'Api5xxRateAlarm', {
      description: 'at least 1% of API requests answered 5xx in the last 5 minutes',
      metric: rate('5xx', 1),
      threshold: 1,
      topic: this.alarmTopic,
    });
    notifyingAlarm(this, 'Api4xxRateAlarm', {
      description: 'at least 25% of at least 100 API requests answered 4xx in the last 5 minutes',
      metric: rate('4xx', 100),
      threshold: 25,
      topic: this.alarmTopic,
    });
    const throttled = new MetricFilter(this, 'Api429Filter', {
      logGroup: accessLogs,
      filterPattern: FilterPattern.stringValue('$.status', '=', '429'),
      metricNamespace: FUNCTION_DEFAULTS.metricsNamespace,
      metricName: 'ApiThrottled',
      metricValue: '1',
    });
    notifyingAlarm(this, 'Api429Alarm', {
      description: 'at least 50 API requests were throttled (429) in the last 5 minutes',
      metric: throttled.metric({ period: ALARM_PERIOD, statistic: 'Sum' }),
      threshold: 50,
      topic: this.alarmTopic,
    });
  }

  /**
   * The office pages on the checkpoint app's distribution under /office/, with their own app client: one sign-in page
   * for residents and staff alike, returning to /office/, reading the CNIC and port bindings the pages act on and
   * lasting a working day. They are deployed when `npm run build:web` has built them beside the checkpoint app (cdk.json
   * builds both before every synthesis), so a stack over the checkpoint app alone still synthesizes.
   */
  private deployOfficePages(
    props: StatelessStackProps,
    stage: StageConfig,
    userPool: IUserPool,
    idpOrigin: string,
    removalPolicy: RemovalPolicy,
  ): UserPoolClient | undefined {
    const appDir = join(dirname(props.checkpointAppDir), 'office');
    if (!existsSync(join(appDir, 'index.html'))) return undefined;
    const hosting = this.checkpointHosting;
    const staff = appClientOptions(stage, 'staff', []);
    const back = [`${hosting.origin}${OFFICE_PATH}`];
    const client = new UserPoolClient(this, 'OfficeClient', {
      userPool,
      ...staff,
      userPoolClientName: `rahdari-${stage.stageName}-office`,
      oAuth: { ...staff.oAuth, callbackUrls: back, logoutUrls: back },
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes('cnic', 'port'),
    });
    deployFolder(hosting, 'Office', {
      path: OFFICE_PATH,
      appDir,
      config: {
        apiUrl: `${hosting.origin}${API_PATH}`,
        auth: {
          kind: 'cognito',
          authority: `${idpOrigin}/${userPool.userPoolId}`,
          clientId: client.userPoolClientId,
          scope: 'openid email profile',
        },
      },
      logRetention: stage.logRetention,
      removalPolicy,
    });
    return client;
  }

  /** The table: requests it throttled, and errors on DynamoDB's side. */
  private tableAlarms(table: ITableV2): void {
    notifyingAlarm(this, 'TableThrottlesAlarm', {
      description: 'the table throttled requests in the last 5 minutes',
      metric: table.metricThrottledRequestsForOperations({
        operations: TABLE_OPERATIONS,
        period: ALARM_PERIOD,
      }),
      threshold: 1,
      topic: this.alarmTopic,
    });
    notifyingAlarm(this, 'TableSystemErrorsAlarm', {
      description: 'DynamoDB answered requests with system errors (HTTP 500) in the last 5 minutes',
      metric: table.metricSystemErrorsForOperations({ operations: TABLE_OPERATIONS, period: ALARM_PERIOD }),
      threshold: 1,
      topic: this.alarmTopic,
    });
  }
}

/** The PASS_TYPES value for a stage, refused at synthesis if the functions would refuse it at cold start. */
function checkedPassTypes(passTypes: readonly Record<string, unknown>[]): string {
  const loaded = loadPassTypes(passTypes);
  if (!loaded.ok) throw new Error(`stage passTypes: ${loaded.errors.join('; ')}`);
  return JSON.stringify(passTypes);
}
