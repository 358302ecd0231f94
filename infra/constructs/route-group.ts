// One route group of functions/routes.ts deployed: its function, the grants its declaration names, its routes on the
// HTTP API and its alarms.
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod, HttpNoneAuthorizer, type HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { MAX_BODY_BYTES } from '../../functions/http/problem.ts';
import type { RouteGroup, TableIndex } from '../../functions/routes.ts';
import type { StageConfig } from '../config.ts';
import { ALARM_PERIOD, notifyingAlarm } from './alarms.ts';
import { FUNCTION_DEFAULTS, RahdariFunction } from './function.ts';

export type { CognitoAction } from '../../functions/routes.ts';

/** A route group as the stack reads it: the route table's declaration, Cognito actions included. */
export type DeployedRouteGroup = RouteGroup;

/** The repository root: route group entries are relative to it. */
export const PROJECT_ROOT = new URL('../..', import.meta.url);

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

/**
 * What a synchronous Lambda invocation carries at most (request payload: the whole API Gateway event). API Gateway
 * itself takes 10 MB, so Lambda's limit is the one a body meets first.
 */
export const LAMBDA_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** The event beside its body (headers, the token's claims, the request context), generously. */
export const EVENT_OVERHEAD_BYTES = 64 * 1024;

/**
 * The largest body a route group takes (its maxBodyBytes, or the API's 64 KB) must reach its function whole: API
 * Gateway base64-encodes a body that is not text, which grows it by a third, and the event adds its own bytes. A
 * limit past that would be answered 413 by Lambda, as API Gateway's bare `{"message": …}`, never the handler's
 * problem document. Returns the limit.
 */
export function assertBodyFits(name: string, group: RouteGroup): number {
  const limit = group.maxBodyBytes ?? MAX_BODY_BYTES;
  if (!Number.isInteger(limit) || limit < MAX_BODY_BYTES) {
    throw new Error(
      `route group ${name} declares maxBodyBytes ${limit}: at least the API's ${MAX_BODY_BYTES}`,
    );
  }
  const inEvent = Math.ceil(limit / 3) * 4 + EVENT_OVERHEAD_BYTES;
  if (inEvent > LAMBDA_SYNC_PAYLOAD_BYTES) {
    throw new Error(
      `route group ${name} takes bodies of ${limit} bytes: base64-encoded in its event that is ${inEvent}, over Lambda's ${LAMBDA_SYNC_PAYLOAD_BYTES}`,
    );
  }
  return limit;
}

/** IAM actions a route group's declaration grants on the table, and on each index it queries. */
export function tableGrants(group: RouteGroup): { tableActions: string[]; indexes: TableIndex[] } {
  const indexes = [...(group.queriesIndexes ?? [])];
  if (indexes.length > 0 && !group.tableActions.includes('Query')) {
    throw new Error(`route group ${group.entry} queries ${indexes.join(', ')} but does not declare Query`);
  }
  return { tableActions: group.tableActions.map((action) => `dynamodb:${action}`), indexes };
}

/** The role a signing group runs as; one it lacks means the stateful stack was built from another route table. */
function signerRole(roles: Readonly<Record<string, IRole>>, group: string): IRole {
  const role = roles[group];
  if (!role) throw new Error(`route group ${group} signs but the stateful stack made no signing role for it`);
  return role;
}

export const pascalCase = (name: string) =>
  name.replace(/(^|[^A-Za-z0-9])([A-Za-z0-9])/g, (_, __, letter: string) => letter.toUpperCase());

export interface RouteGroupFunctionProps {
  /** The route group's name in the route table: the function's service name and the stem of its IDs. */
  name: string;
  group: DeployedRouteGroup;
  stage: StageConfig;
  api: HttpApi;
  table: ITableV2;
  trustRootKey: IKey;
  /** PASS_KEY_IDS order: the first signs, the others are only published. */
  passSigningKeys: readonly IKey[];
  /** The roles the key policies let sign, by signing route group. */
  signingRoles: Readonly<Record<string, IRole>>;
  userPool: IUserPool;
  /** Configuration every function reads (table, keys, bundle validity, pass types). */
  environment: Record<string, string>;
  logRemovalPolicy: RemovalPolicy;
  alarmTopic: ITopic;
  /** The feed-signing key, whose public key a group that reads it (readsFeedKey) may fetch. */
  feedSigningKey?: IKey;
}

/**
 * The function of a route group and everything that follows from its declaration: it runs as the signing role when
 * it signs, may take exactly the table, key and Cognito actions declared, serves its routes (public ones without
 * the authorizer), and alarms on errors, throttles and slow answers.
 */
export class RouteGroupFunction extends Construct {
  readonly fn: RahdariFunction;
  /** The API routes by route key, for per-route settings. */
  readonly routes: ReadonlyMap<string, HttpRoute>;

  constructor(scope: Construct, id: string, props: RouteGroupFunctionProps) {
    super(scope, id);
    const { name, group, stage, table, trustRootKey, passSigningKeys, signingRoles, userPool } = props;
    assertDeployableEntry(group.entry);
    assertBodyFits(name, group);
    const [currentPassKey] = passSigningKeys;
    if (!currentPassKey) throw new Error('at least one pass-signing key is needed');
    const cognitoActions = group.cognitoActions ?? [];
    const reserved = stage.reservedConcurrency?.[name];

    const fn = new RahdariFunction(this, 'Function', {
      entry: new URL(group.entry, PROJECT_ROOT).pathname,
      serviceName: name,
      description: `Rahdari ${stage.stageName} ${name}: ${group.routes.join(', ')}`.slice(0, 256),
      logRetention: stage.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      logLevel: stage.logLevel,
      ...(group.signs ? { role: signerRole(signingRoles, name) } : {}),
      ...(reserved !== undefined ? { reservedConcurrentExecutions: reserved } : {}),
      environment: {
        ...props.environment,
        ...(cognitoActions.length > 0 ? { USER_POOL_ID: userPool.userPoolId } : {}),
        ...(group.readsFeedKey && props.feedSigningKey ? { FEED_KEY_ID: props.feedSigningKey.keyArn } : {}),
      },
    });
    this.fn = fn;

    // Not table.grant(): it adds every index (index/*) to whatever it grants. The table gets the group's declared
    // actions; an index gets Query only, and only if the group queries it.
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
    // Without the feed's key (a stack built from a test's route table) there is nothing to grant.
    if (group.readsFeedKey && props.feedSigningKey) props.feedSigningKey.grant(fn, 'kms:GetPublicKey');
    if (cognitoActions.length > 0) {
      Grant.addToPrincipal({
        grantee: fn,
        actions: cognitoActions.map((action) => `cognito-idp:${action}`),
        resourceArns: [userPool.userPoolArn],
      });
    }
    // API Gateway invokes synchronously: a failure is answered to the caller, and no event is left to dead-letter.
    Validations.of(fn).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Invoked synchronously by API Gateway: errors go back to the caller; a DLQ only serves async invocations.',
    });

    const integration = new HttpLambdaIntegration('Integration', fn);
    const publicRoutes: readonly string[] = group.publicRoutes ?? [];
    const routes = new Map<string, HttpRoute>();
    for (const routeKey of group.routes) {
      const { method, path } = parseRouteKey(routeKey);
      const isPublic = publicRoutes.includes(routeKey);
      const [route] = props.api.addRoutes({
        path,
        methods: [method],
        integration,
        ...(isPublic ? { authorizer: new HttpNoneAuthorizer() } : {}),
      });
      if (!route) throw new Error(`no route made for ${routeKey}`);
      routes.set(routeKey, route);
      if (isPublic) {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${routeKey} is public by design (functions/routes.ts publicRoutes): read-only, no personal data, and throttled on its own route (publicRouteThrottle).`,
        });
      }
    }
    this.routes = routes;

    const topic = props.alarmTopic;
    notifyingAlarm(this, 'ErrorsAlarm', {
      description: `${name} function crashed or timed out in the last 5 minutes`,
      metric: fn.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }),
      threshold: 1,
      topic,
    });
    notifyingAlarm(this, 'ThrottlesAlarm', {
      description: `${name} function invocations were throttled (concurrency exhausted) in the last 5 minutes`,
      metric: fn.metricThrottles({ period: ALARM_PERIOD, statistic: 'Sum' }),
      threshold: 1,
      topic,
    });
    // Half the timeout, three periods running: a slow dependency shows here before requests start timing out.
    const slow = Duration.seconds(FUNCTION_DEFAULTS.timeout.toSeconds() / 2);
    notifyingAlarm(this, 'DurationAlarm', {
      description: `${name} function p99 duration at or above ${slow.toSeconds()} s for 15 minutes`,
      metric: fn.metricDuration({ period: ALARM_PERIOD, statistic: 'p99' }),
      threshold: slow.toMilliseconds(),
      evaluationPeriods: 3,
      topic,
    });
  }
}
