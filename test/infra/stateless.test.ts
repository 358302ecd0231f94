// The stateless stack against the route table: every route and its authorizer and throttle, every function's runtime
// and settings, the least-privilege grants on table, keys and users, alarms and alerts, and nothing from the local
// stack.
import { CfnElement, type CfnResource, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { Role } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { ROUTE_GROUPS, type RouteGroup } from '../../functions/routes.ts';
import { STAGES } from '../../infra/config.ts';
import { GROUP_SWEEP_GRANTS } from '../../infra/constructs/group-sweep.ts';
import {
  type DeployedRouteGroup,
  EVENT_OVERHEAD_BYTES,
  LAMBDA_SYNC_PAYLOAD_BYTES,
} from '../../infra/constructs/route-group.ts';
import { POOL_AUDIENCES } from '../../infra/constructs/users.ts';
import { StatefulStack } from '../../infra/stateful-stack.ts';
import {
  assertBodyFits,
  assertDeployableEntry,
  parseRouteKey,
  StatelessStack,
  tableGrants,
} from '../../infra/stateless-stack.ts';
import { CHECKPOINT_APP_FIXTURE, newApp, resourcesOfType, synthApp } from './synth.ts';

const { stages } = synthApp();
const groups = Object.entries(ROUTE_GROUPS) as [string, RouteGroup][];
const everyRoute = groups.flatMap(([name, group]) =>
  group.routes.map((routeKey) => ({ name, group, routeKey })),
);

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

/**
 * CDK's own deployment-time functions: the handler that deploys the checkpoint app, in development the provider
 * that empties buckets on deletion, and in prod the reader of the web ACL's ARN from us-east-1. They run only while
 * CloudFormation deploys; what they may do is reviewed in test/infra/web-hosting.test.ts and the nag
 * acknowledgements, not held to the route functions' rules.
 */
const DELIVERY_PATHS =
  /\/(Custom::CDKBucketDeployment[^/]*|Custom::S3AutoDeleteObjectsCustomResourceProvider|Custom::CrossRegionExportReaderCustomResourceProvider)\//;

function deliveryLogicalIds(stack: Stack): Set<string> {
  return new Set(
    stack.node
      .findAll()
      .filter(
        (construct) => CfnElement.isCfnElement(construct) && DELIVERY_PATHS.test(`${construct.node.path}/`),
      )
      .map((element) => stack.getLogicalId(element as CfnElement)),
  );
}

/** The import expression a consumer template holds for a value exported by the stateful stack. */
function importOf(producer: Stack, value: string): unknown {
  return producer.resolve(producer.exportValue(value));
}

describe.each(['dev', 'prod'] as const)('the %s stateless stack', (stageName) => {
  const { stage, stateless: template } = stages[stageName];
  const stack = stage.stateless;
  const config = STAGES[stageName];
  const delivery = deliveryLogicalIds(stack);
  /** The stack's resources of a type, without CDK's app-delivery functions and their roles. */
  const platform = (type: string) => resourcesOfType(template, type).filter(([id]) => !delivery.has(id));
  const resources = template.toJSON().Resources as Record<
    string,
    { Type: string; Properties: Record<string, unknown> }
  >;

  const functionLogicalId = (name: string) => {
    const deployed = stack.functions.get(name);
    if (!deployed) throw new Error(`no function for route group ${name}`);
    return stack.getLogicalId(deployed.fn.node.defaultChild as CfnFunction);
  };

  /** The group sweep's function, which no route reaches. */
  const sweepLogicalId = stack.getLogicalId(stack.groupSweep.fn.node.defaultChild as CfnFunction);

  /**
   * IAM statements attached to the role of a function: its own role, or a signing role of the stateful stack,
   * whose policies name it by the imported ARN.
   */
  const statementsOfFunction = (logicalId: string): Statement[] => {
    const fn = resources[logicalId];
    if (!fn) throw new Error(`no function resource ${logicalId}`);
    const role = (fn.Properties as { Role: { 'Fn::GetAtt'?: [string]; 'Fn::ImportValue'?: unknown } }).Role;
    const attachedToRole = (roles: unknown) =>
      role['Fn::GetAtt']
        ? JSON.stringify(roles) === JSON.stringify([{ Ref: role['Fn::GetAtt'][0] }])
        : JSON.stringify(roles).includes(JSON.stringify(role));
    return resourcesOfType(template, 'AWS::IAM::Policy')
      .filter(([, policy]) => attachedToRole(policy.Properties.Roles))
      .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  };
  /** IAM statements of a route group's function. */
  const statementsOf = (name: string): Statement[] => statementsOfFunction(functionLogicalId(name));
  /** Actions a function may take on exactly this resource (not on one whose ARN merely contains it). */
  const actionsOn = (name: string, resource: unknown) =>
    statementsOf(name)
      .filter((s) => [s.Resource].flat().some((r) => JSON.stringify(r) === JSON.stringify(resource)))
      .flatMap((s) => [s.Action].flat());
  /** Every "action on resource" pair a function's DynamoDB statements allow, sorted. */
  const dynamodbPermissionsOf = (statements: Statement[]) =>
    statements
      .filter((s) => [s.Action].flat().some((action) => action.startsWith('dynamodb:')))
      .flatMap((s) =>
        [s.Action]
          .flat()
          .flatMap((action) => [s.Resource].flat().map((r) => `${action} on ${JSON.stringify(r)}`)),
      )
      .sort();
  const dynamodbPermissions = (name: string) => dynamodbPermissionsOf(statementsOf(name));
  const tableArn = importOf(stage.stateful, stage.stateful.table.tableArn);
  const indexArn = (index: string) => ({ 'Fn::Join': ['', [tableArn, `/index/${index}`]] });

  const passKeys = stage.stateful.passSigningKeys.map((key) => importOf(stage.stateful, key.keyArn));
  const rootKey = importOf(stage.stateful, stage.stateful.trustRootKey.keyArn);
  const authorizerId = Object.keys(template.findResources('AWS::ApiGatewayV2::Authorizer'))[0];

  it('has one function per route group, beside CDK’s functions that deliver the checkpoint app', () => {
    // One per route group, the feed's deliverer and exporter, and the group sweep.
    expect(platform('AWS::Lambda::Function')).toHaveLength(groups.length + 3);
    const deliveryFunctions = resourcesOfType(template, 'AWS::Lambda::Function').filter(([id]) =>
      delivery.has(id),
    );
    // The deployment handler, the provider that empties development buckets, the reader of prod's web ACL ARN.
    expect(deliveryFunctions).toHaveLength(1 + (config.protectData ? 0 : 1) + (config.webAcl ? 1 : 0));
    expect([...stack.functions.keys()]).toEqual(groups.map(([name]) => name));
  });

  it.each(everyRoute)('serves $routeKey from the $name function', ({ name, routeKey, group }) => {
    const isPublic = (group.publicRoutes ?? []).includes(routeKey);
    const routes = Object.values(
      template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } }),
    );
    expect(routes).toHaveLength(1);
    const route = routes[0] as {
      Properties: { AuthorizationType: string; AuthorizerId?: unknown; Target: unknown };
    };
    if (isPublic) {
      expect(route.Properties.AuthorizationType).toBe('NONE');
      expect(route.Properties.AuthorizerId).toBeUndefined();
    } else {
      expect(route.Properties.AuthorizationType).toBe('JWT');
      expect(route.Properties.AuthorizerId).toEqual({ Ref: authorizerId });
    }
    const integrationId = JSON.stringify(route.Properties.Target).match(/"Ref":"([^"]+)"/)?.[1] as string;
    expect(resources[integrationId]?.Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [functionLogicalId(name), 'Arn'] },
    });
  });

  it('has no route the route table does not list', () => {
    const routeKeys = resourcesOfType(template, 'AWS::ApiGatewayV2::Route').map(
      ([, route]) => route.Properties.RouteKey,
    );
    expect(routeKeys.sort()).toEqual(everyRoute.map((r) => r.routeKey).sort());
  });

  it('authorizes with Cognito-issued JWTs for every audience’s app client', () => {
    const { users } = stage.stateful;
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [
          ...POOL_AUDIENCES.map((audience) =>
            importOf(stage.stateful, users.clients[audience].userPoolClientId),
          ),
          stage.stateless.resolve(stage.stateless.checkpointClient.userPoolClientId),
        ],
        Issuer: {
          'Fn::Join': [
            '',
            [
              `https://cognito-idp.${config.region}.amazonaws.com/`,
              importOf(stage.stateful, users.userPool.userPoolId),
            ],
          ],
        },
      },
    });
  });

  it('runs every function on Node.js 22, ARM64, untraced, with its own JSON log group', () => {
    for (const [, fn] of platform('AWS::Lambda::Function')) {
      const service = String(
        (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables
          .POWERTOOLS_SERVICE_NAME,
      );
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        // The exporter streams a day of up to a million crossings, gzip at level 9 wants the CPU of 1 GB.
        MemorySize: service === 'exporter' ? 1024 : 512,
        // The feed's deliverer drains for minutes, the exporter writes a whole day and the group sweep reads every
        // overdue group; every API function 10 s.
        Timeout: { deliverer: 300, exporter: 900, groupSweep: 300 }[service] ?? 10,
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } },
      });
      expect(fn.Properties.TracingConfig).toBeUndefined();
    }
  });

  it.each(groups)('gives the %s function the configuration its handlers read', (name, group) => {
    const passKeyIds = passKeys.length === 1 ? passKeys[0] : { 'Fn::Join': [',', passKeys] };
    const fn = resources[functionLogicalId(name)] as unknown as {
      Properties: { Environment: { Variables: unknown } };
    };
    expect(fn.Properties.Environment.Variables).toEqual({
      TABLE_NAME: importOf(stage.stateful, stage.stateful.table.tableName),
      PASS_KEY_IDS: passKeyIds,
      ROOT_KEY_ID: rootKey,
      BUNDLE_VALIDITY_HOURS: String(config.bundleValidityHours),
      POWERTOOLS_SERVICE_NAME: name,
      POWERTOOLS_METRICS_NAMESPACE: 'Rahdari',
      POWERTOOLS_LOG_LEVEL: config.logLevel,
      NODE_OPTIONS: '--enable-source-maps',
      // Only a group that takes Cognito actions learns which pool it acts on.
      ...((group.cognitoActions ?? []).length > 0
        ? { USER_POOL_ID: importOf(stage.stateful, stage.stateful.users.userPool.userPoolId) }
        : {}),
      // Only a group that serves the feed's public key learns which key that is.
      ...('readsFeedKey' in group && group.readsFeedKey
        ? { FEED_KEY_ID: importOf(stage.stateful, stage.stateful.feedSigningKey.keyArn) }
        : {}),
    });
  });

  it.each(groups)('reserves concurrency for the %s function only when the stage says so', (name) => {
    const fn = resources[functionLogicalId(name)];
    expect(fn?.Properties.ReservedConcurrentExecutions).toBe(config.reservedConcurrency?.[name]);
  });

  it('reserves for group approvals what it reserves for approvals, and nothing for the sweep', () => {
    const reserved = (logicalId: string) => resources[logicalId]?.Properties.ReservedConcurrentExecutions;
    expect(reserved(functionLogicalId('groupApprovals'))).toBe(reserved(functionLogicalId('approvals')));
    expect(reserved(functionLogicalId('groupApprovals'))).toBe(config.protectData ? 10 : undefined);
    expect(reserved(sweepLogicalId)).toBeUndefined();
  });

  it('runs the signing functions as the roles the key policies name', () => {
    const roleOf = (name: string) => resources[functionLogicalId(name)]?.Properties.Role;
    const signingRoles = stage.stateful.signingRoles;
    for (const [name] of groups.filter(([, g]) => g.signs)) {
      const role = signingRoles[name];
      if (!role) throw new Error(`no signing role for ${name}`);
      expect(roleOf(name), name).toEqual(importOf(stage.stateful, role.roleArn));
    }
    expect(
      new Set(groups.filter(([, g]) => g.signs).map(([name]) => JSON.stringify(roleOf(name)))).size,
    ).toBe(groups.filter(([, g]) => g.signs).length);
    expect(groups.filter(([, g]) => g.signs).map(([name]) => name)).toEqual(
      expect.arrayContaining(['approvals', 'certificates', 'groupApprovals', 'trust']),
    );
    // Group approvals sign members' passes and group passes as a role of their own, not as approvals'.
    expect(roleOf('groupApprovals')).toEqual(
      importOf(stage.stateful, (signingRoles.groupApprovals as Role).roleArn),
    );
    expect(JSON.stringify(roleOf('groupApprovals'))).toContain('GroupApprovalsSignerRole');
    for (const [name] of groups.filter(([, g]) => !g.signs)) {
      expect(JSON.stringify(roleOf(name)), name).not.toContain('Signer');
    }
  });

  it('keeps function, access and app-deployment logs for the stage’s retention', () => {
    const logGroups = resourcesOfType(template, 'AWS::Logs::LogGroup');
    // The route groups', the feed's deliverer and exporter, the group sweep's, and the access and app-deployment logs.
    expect(logGroups).toHaveLength(groups.length + 5);
    for (const [, logGroup] of logGroups) {
      expect(logGroup.Properties.RetentionInDays).toBe(config.logRetention);
      expect(logGroup.DeletionPolicy).toBe(config.protectData ? 'Retain' : 'Delete');
    }
  });

  it('throttles each public route and the trust bundle apart, below the stage, and every other route at the stage’s limit', () => {
    const [[, stageResource] = []] = resourcesOfType(template, 'AWS::ApiGatewayV2::Stage');
    const settings = stageResource?.Properties.RouteSettings as Record<
      string,
      { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }
    >;
    expect(Object.keys(settings).sort()).toEqual(everyRoute.map((r) => r.routeKey).sort());
    for (const { routeKey, group } of everyRoute) {
      const limit = (group.publicRoutes ?? []).includes(routeKey)
        ? config.publicRouteThrottle
        : (config.routeThrottles?.[routeKey] ?? config.throttle);
      expect(settings[routeKey], routeKey).toEqual({
        ThrottlingRateLimit: limit.rateLimit,
        ThrottlingBurstLimit: limit.burstLimit,
      });
    }
    expect(settings['GET /health']?.ThrottlingRateLimit).toBeLessThan(config.throttle.rateLimit);
    // A stolen checkpoint token cycling `since` makes the trust function sign: held apart in production.
    if (config.protectData) {
      expect(settings['GET /trust-bundle']?.ThrottlingRateLimit).toBeLessThanOrEqual(10);
    }
    expect(settings['GET /.well-known/jwks.json']?.ThrottlingRateLimit).toBeLessThan(
      config.throttle.rateLimit,
    );
  });

  it('allows CORS from the stage’s web origins only, without credentials', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowOrigins: [...config.webOrigins],
        AllowCredentials: false,
        AllowHeaders: ['authorization', 'content-type'],
      }),
    });
    expect(JSON.stringify(template.findResources('AWS::ApiGatewayV2::Api'))).not.toContain('"*"');
  });

  it('throttles the stage and writes JSON access logs', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: config.throttle.rateLimit,
        ThrottlingBurstLimit: config.throttle.burstLimit,
      },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
        Format: Match.anyValue(),
      },
    });
    const [[, stageResource] = []] = resourcesOfType(template, 'AWS::ApiGatewayV2::Stage');
    const format = JSON.parse(
      (stageResource?.Properties.AccessLogSettings as { Format: string } | undefined)?.Format ?? '',
    );
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
  });

  describe('grants', () => {
    it.each(groups)('lets %s sign only with the key its route group names', (name, group) => {
      const sign = (key: unknown) => actionsOn(name, key).includes('kms:Sign');
      expect(sign(passKeys[0])).toBe(group.signs === 'pass');
      expect(sign(rootKey)).toBe(group.signs === 'root');
      for (const retired of passKeys.slice(1)) expect(sign(retired)).toBe(false);
    });

    it.each(groups)('lets %s read public keys only when it signs or publishes them', (name, group) => {
      const reads = (key: unknown) => actionsOn(name, key).includes('kms:GetPublicKey');
      expect(reads(passKeys[0])).toBe(group.signs === 'pass' || group.readsPublicKeys === true);
      expect(reads(rootKey)).toBe(group.signs === 'root');
    });

    it.each(groups)('gives %s exactly the table actions its route group declares', (name, group) => {
      const expected = [
        ...group.tableActions.map((action) => `dynamodb:${action} on ${JSON.stringify(tableArn)}`),
        ...(group.queriesIndexes ?? []).map(
          (index) => `dynamodb:Query on ${JSON.stringify(indexArn(index))}`,
        ),
      ].sort();
      expect(dynamodbPermissions(name)).toEqual(expected);
      expect(dynamodbPermissions(name).join('\n')).not.toContain('/index/*');
    });

    it('lets no function scan the table or write in batches', () => {
      const actions = resourcesOfType(template, 'AWS::IAM::Policy').flatMap(([, policy]) =>
        (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement.flatMap((s) =>
          [s.Action].flat(),
        ),
      );
      expect(actions).toContain('dynamodb:GetItem');
      for (const forbidden of ['dynamodb:Scan', 'dynamodb:BatchWriteItem']) {
        expect(actions).not.toContain(forbidden);
      }
    });

    it('lets only the groups that declare BatchGetItem, the group sweep and the feed, read in batches, on the table alone', () => {
      const declaring = groups
        .filter(([, group]) => (group.tableActions as readonly string[]).includes('BatchGetItem'))
        .map(([name]) => name);
      expect(declaring.sort()).toEqual(['crossings', 'groupApprovals', 'groups']);
      const batchReaders = groups
        .filter(([name]) =>
          statementsOf(name).some((s) => [s.Action].flat().includes('dynamodb:BatchGetItem')),
        )
        .map(([name]) => name);
      expect(batchReaders.sort()).toEqual(declaring.sort());
      // Exactly one statement per batch reader, on the table's ARN (BatchGetItem never reads an index).
      const batchStatements = platform('AWS::IAM::Policy').flatMap(([, policy]) =>
        (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement.filter((s) =>
          [s.Action].flat().includes('dynamodb:BatchGetItem'),
        ),
      );
      // The group sweep, and the feed's deliverer and exporter (pass holders, a hundred a request).
      expect(batchStatements).toHaveLength(declaring.length + 3);
      for (const statement of batchStatements) expect(statement.Resource).toEqual(tableArn);
    });

    it('queries only the indexes a group declares: every GSI for groups, none for group approvals', () => {
      const queried = (name: string) =>
        dynamodbPermissions(name)
          .filter((p) => p.startsWith('dynamodb:Query on') && p.includes('/index/'))
          .map((p) => /\/index\/(GSI\d)/.exec(p)?.[1]);
      expect(queried('groups')).toEqual(['GSI1', 'GSI2', 'GSI3', 'GSI4']);
      expect(queried('groupApprovals')).toEqual([]);
      expect(dynamodbPermissions('groupApprovals').some((p) => p.startsWith('dynamodb:Query'))).toBe(false);
    });

    it('allows no wildcard action and no "*" resource', () => {
      const statements = platform('AWS::IAM::Policy').flatMap(
        ([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
      );
      expect(statements.length).toBeGreaterThan(0);
      for (const statement of statements) {
        expect([statement.Action].flat().filter((action) => action.includes('*'))).toEqual([]);
        expect([statement.Resource].flat()).not.toContain('*');
      }
    });

    it.each(groups)('gives %s exactly the Cognito actions its route group declares', (name, group) => {
      const declared = ((group as DeployedRouteGroup).cognitoActions ?? []).map((a) => `cognito-idp:${a}`);
      const granted = statementsOf(name).flatMap((s) =>
        [s.Action].flat().filter((action) => action.startsWith('cognito-idp:')),
      );
      expect(granted.sort()).toEqual([...declared].sort());
    });

    it('attaches no managed policy to any role', () => {
      for (const [, role] of platform('AWS::IAM::Role')) {
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      }
    });

    it('lets nothing but the signing functions call kms:Sign at all', () => {
      const signers = groups.filter(([name]) =>
        statementsOf(name).some((s) => [s.Action].flat().some((a) => a === 'kms:Sign')),
      );
      expect(signers.map(([name]) => name).sort()).toEqual(
        groups
          .filter(([, group]) => group.signs !== undefined)
          .map(([name]) => name)
          .sort(),
      );
      const allStatements = JSON.stringify(template.findResources('AWS::IAM::Policy'));
      // And the feed's deliverer, which signs batches with the feed key only (test/infra/feed.test.ts).
      expect(allStatements.match(/"kms:Sign"/g)).toHaveLength(groups.filter(([, g]) => g.signs).length + 1);
    });
  });

  describe('the group sweep', () => {
    const sweep = resources[sweepLogicalId] as { Properties: Record<string, unknown> };
    const schedules = resourcesOfType(template, 'AWS::Scheduler::Schedule').filter(
      ([, schedule]) =>
        JSON.stringify((schedule.Properties.Target as { Arn: unknown }).Arn) ===
        JSON.stringify({ 'Fn::GetAtt': [sweepLogicalId, 'Arn'] }),
    );

    it('runs at five past every hour, Pakistan time, with retries, as a role of its own', () => {
      expect(schedules).toHaveLength(1);
      const [[, schedule]] = schedules as unknown as [[string, { Properties: Record<string, unknown> }]];
      expect(schedule.Properties).toMatchObject({
        ScheduleExpression: 'cron(5 * * * ? *)',
        ScheduleExpressionTimezone: 'Asia/Karachi',
        State: 'ENABLED',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { RetryPolicy: { MaximumRetryAttempts: 2 } },
      });
      const roleArn = (schedule.Properties.Target as { RoleArn: { 'Fn::GetAtt': [string, string] } }).RoleArn;
      const [roleId] = roleArn['Fn::GetAtt'];
      expect(resources[roleId]?.Properties.AssumeRolePolicyDocument).toMatchObject({
        Statement: [{ Principal: { Service: 'scheduler.amazonaws.com' } }],
      });
      // The schedule's role may invoke the sweep (and its versions) and nothing else.
      const statements = resourcesOfType(template, 'AWS::IAM::Policy')
        .filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
        .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
      expect(statements).toEqual([
        expect.objectContaining({
          Effect: 'Allow',
          Action: 'lambda:InvokeFunction',
          Resource: [
            { 'Fn::GetAtt': [sweepLogicalId, 'Arn'] },
            { 'Fn::Join': ['', [{ 'Fn::GetAtt': [sweepLogicalId, 'Arn'] }, ':*']] },
          ],
        }),
      ]);
    });

    it('may query GSI3, read in batches and put items on the table, and nothing else', () => {
      expect(dynamodbPermissionsOf(statementsOfFunction(sweepLogicalId))).toEqual(
        [
          `dynamodb:BatchGetItem on ${JSON.stringify(tableArn)}`,
          `dynamodb:PutItem on ${JSON.stringify(tableArn)}`,
          `dynamodb:Query on ${JSON.stringify(indexArn('GSI3'))}`,
        ].sort(),
      );
      expect(GROUP_SWEEP_GRANTS).toEqual({
        tableActions: ['BatchGetItem', 'PutItem'],
        queriesIndexes: ['GSI3'],
      });
      const actions = statementsOfFunction(sweepLogicalId).flatMap((s) => [s.Action].flat());
      // Its own log group, the table: no key, no user pool, no queue.
      expect(actions.filter((a) => !a.startsWith('dynamodb:') && !a.startsWith('logs:'))).toEqual([]);
      expect(JSON.stringify(statementsOfFunction(sweepLogicalId))).not.toContain('/index/*');
    });

    it('runs as a role of its own, with every function’s configuration and no signing key to use', () => {
      expect(JSON.stringify(sweep.Properties.Role)).not.toContain('Signer');
      expect(JSON.stringify(sweep.Properties.Role)).not.toContain('ImportValue');
      const passKeyIds = passKeys.length === 1 ? passKeys[0] : { 'Fn::Join': [',', passKeys] };
      expect((sweep.Properties.Environment as { Variables: unknown }).Variables).toEqual({
        TABLE_NAME: importOf(stage.stateful, stage.stateful.table.tableName),
        PASS_KEY_IDS: passKeyIds,
        ROOT_KEY_ID: rootKey,
        BUNDLE_VALIDITY_HOURS: String(config.bundleValidityHours),
        POWERTOOLS_SERVICE_NAME: 'groupSweep',
        POWERTOOLS_METRICS_NAMESPACE: 'Rahdari',
        POWERTOOLS_LOG_LEVEL: config.logLevel,
        NODE_OPTIONS: '--enable-source-maps',
      });
    });

    it('alarms on its errors and when it has not run for two hours', () => {
      const topic = stack.resolve(stack.alarmTopic.topicArn);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: sweepLogicalId } }],
        Threshold: 1,
        AlarmActions: [topic],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Invocations',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: sweepLogicalId } }],
        Period: 3600,
        EvaluationPeriods: 2,
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 1,
        TreatMissingData: 'breaching',
        AlarmActions: [topic],
      });
    });
  });

  describe('alarms', () => {
    const topic = stack.resolve(stack.alarmTopic.topicArn);
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);

    it.each(['Errors', 'Throttles', 'Duration'])('alarms on %s of every function', (metricName) => {
      for (const [name] of groups) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Lambda',
          MetricName: metricName,
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionLogicalId(name) } }],
          AlarmActions: [topic],
          ...(metricName === 'Duration' ? { ExtendedStatistic: 'p99', Threshold: 5000 } : { Threshold: 1 }),
        });
      }
    });

    it.each(['5xx', '4xx'])('alarms on the rate of %s answers among the API’s requests', (metricName) => {
      const rate = alarms.find((alarm) =>
        JSON.stringify(alarm.Metrics ?? []).includes(`"MetricName":"${metricName}"`),
      );
      expect(rate?.AlarmActions).toEqual([topic]);
      expect(JSON.stringify(rate?.Metrics)).toContain('"MetricName":"Count"');
      expect(JSON.stringify(rate?.Metrics)).toContain(JSON.stringify(stack.resolve(stack.api.apiId)));
    });

    it('counts 429 answers from the access log and alarms on a spike', () => {
      template.hasResourceProperties('AWS::Logs::MetricFilter', {
        FilterPattern: '{ $.status = "429" }',
        MetricTransformations: [Match.objectLike({ MetricNamespace: 'Rahdari', MetricName: 'ApiThrottled' })],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'Rahdari',
        MetricName: 'ApiThrottled',
        AlarmActions: [topic],
      });
    });

    it.each(['ThrottledRequests', 'SystemErrors'])('alarms on the table’s %s', (metricName) => {
      const alarm = alarms.find((a) =>
        JSON.stringify(a.Metrics ?? []).includes(`"MetricName":"${metricName}"`),
      );
      expect(alarm?.AlarmActions).toEqual([topic]);
      expect(JSON.stringify(alarm?.Metrics)).toContain(
        JSON.stringify(importOf(stage.stateful, stage.stateful.table.tableName)),
      );
    });

    it('alarms when an approval loses every retry (the ApprovalRetriesExhausted business metric)', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'Rahdari',
        MetricName: 'ApprovalRetriesExhausted',
        Dimensions: [{ Name: 'service', Value: 'approvals' }],
        Threshold: 1,
        AlarmActions: [topic],
      });
    });

    it('sends alarms to an SNS topic that refuses plain HTTP, and alarms on undelivered notifications', () => {
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        AlarmActions: [topic],
      });
      for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([topic]);
    });

    it(`${config.alarmEmail ? 'e-mails' : 'has no e-mail subscriber for'} the alarms from the stage configuration`, () => {
      const subscriptions = resourcesOfType(template, 'AWS::SNS::Subscription').map(([, s]) => s.Properties);
      expect(subscriptions).toEqual(
        config.alarmEmail
          ? [
              expect.objectContaining({
                Protocol: 'email',
                Endpoint: config.alarmEmail,
                RedrivePolicy: expect.anything(),
              }),
            ]
          : [],
      );
    });
  });

  describe('security alerts', () => {
    const rules = resourcesOfType(template, 'AWS::Events::Rule').map(([, rule]) => rule.Properties);
    const ruleFor = (eventName: string) =>
      rules.find((rule) => JSON.stringify(rule.EventPattern).includes(`"${eventName}"`));
    const keyArns = [rootKey, ...passKeys];

    it.each(['PutKeyPolicy', 'DisableKey', 'ScheduleKeyDeletion', 'CreateGrant'])(
      'alerts on %s of a signing key',
      (eventName) => {
        const rule = ruleFor(eventName);
        expect(rule?.EventPattern).toMatchObject({
          source: ['aws.kms'],
          detail: { resources: { ARN: keyArns } },
        });
        expect(JSON.stringify(rule?.Targets)).toContain(
          JSON.stringify(stack.resolve(stack.alarmTopic.topicArn)),
        );
      },
    );

    it('alerts on every Sign by a principal other than the signing roles, read-only events included', () => {
      const rule = ruleFor('Sign');
      const signers = Object.values(stage.stateful.signingRoles).map((role) =>
        importOf(stage.stateful, role.roleArn),
      );
      expect(rule?.State).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
      expect(JSON.stringify(rule?.EventPattern)).toContain(JSON.stringify({ 'anything-but': signers }));
      expect(JSON.stringify(rule?.EventPattern)).toContain('"anything-but":"AssumedRole"');
      // Group approvals' role among them: its signatures are expected, any other principal's are not.
      expect(JSON.stringify(rule?.EventPattern)).toContain('GroupApprovalsSignerRole');
    });

    it('alerts on any failed call on a signing key', () => {
      const rule = rules.find((r) => JSON.stringify(r.EventPattern).includes('"errorCode"'));
      expect(rule?.EventPattern).toMatchObject({ detail: { errorCode: [{ exists: true }] } });
      expect(rule?.State).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    });

    it.each(['AdminAddUserToGroup', 'AdminUpdateUserAttributes'])(
      'alerts on %s in the user pool',
      (eventName) => {
        expect(ruleFor(eventName)?.EventPattern).toMatchObject({
          source: ['aws.cognito-idp'],
          detail: {
            requestParameters: {
              userPoolId: [importOf(stage.stateful, stage.stateful.users.userPool.userPoolId)],
            },
          },
        });
      },
    );

    it('never puts the API call’s parameters in an alert, and dead-letters what it cannot deliver', () => {
      for (const rule of rules) {
        for (const target of rule.Targets as {
          InputTransformer?: { InputPathsMap: object };
          DeadLetterConfig?: object;
        }[]) {
          expect(JSON.stringify(target.InputTransformer?.InputPathsMap)).not.toMatch(
            /requestParameters|responseElements/,
          );
          expect(target.DeadLetterConfig).toBeDefined();
        }
      }
    });
  });

  it('outputs what an operator hands to the apps and the user commands', () => {
    const apiUrl = stack.resolve(stack.api.apiEndpoint);
    template.hasOutput('ApiUrl', { Value: apiUrl });
    template.hasOutput('TrustBundleUrl', { Value: { 'Fn::Join': ['', [apiUrl, '/trust-bundle']] } });
    template.hasOutput('JwksUrl', { Value: { 'Fn::Join': ['', [apiUrl, '/.well-known/jwks.json']] } });
    template.hasOutput('AlarmTopicArn', { Value: stack.resolve(stack.alarmTopic.topicArn) });
    template.hasOutput('GroupSweepFunctionName', { Value: stack.resolve(stack.groupSweep.fn.functionName) });
  });

  it('contains nothing from the local stack', () => {
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toMatch(/dev-login|dev-issuer|KEY_DIR|local\//i);
    for (const [, route] of resourcesOfType(template, 'AWS::ApiGatewayV2::Route')) {
      expect(String(route.Properties.RouteKey)).not.toMatch(/dev|login/i);
    }
  });
});

/** A stateless stack over the given route table, wired to a stateful stack as the stage wires them. */
function statelessWith(
  app: ReturnType<typeof newApp>,
  stateful: StatefulStack,
  routeGroups: Record<string, DeployedRouteGroup>,
): StatelessStack {
  return new StatelessStack(app, 'Stateless', {
    stage: STAGES.dev,
    table: stateful.table,
    trustRootKey: stateful.trustRootKey,
    passSigningKeys: stateful.passSigningKeys,
    signingRoles: stateful.signingRoles,
    userPool: stateful.users.userPool,
    userPoolClients: stateful.users.clients,
    checkpointAppDir: CHECKPOINT_APP_FIXTURE,
    routeGroups,
  });
}

describe('the route table as the stack reads it', () => {
  it('turns a route key into a method and path', () => {
    expect(parseRouteKey('POST /applications/{id}/approve')).toEqual({
      method: 'POST',
      path: '/applications/{id}/approve',
    });
  });

  it.each(['GET', 'FETCH /x', 'GET applications', 'get /x', 'GET /a b'])(
    'refuses the route key "%s"',
    (key) => {
      expect(() => parseRouteKey(key)).toThrow('not a route key');
    },
  );

  it.each(['local/dev-login.ts', 'functions/store/store.ts', '../functions/x.ts', 'cli/rahdari.ts'])(
    'refuses to deploy %s as a handler',
    (entry) => {
      expect(() => assertDeployableEntry(entry)).toThrow('not a handler file');
    },
  );

  it.each(groups)('lets the largest body %s takes reach its function whole', (name, group) => {
    const limit = assertBodyFits(name, group);
    expect(limit).toBe(group.maxBodyBytes ?? 64 * 1024);
    // Base64-encoded (API Gateway's form for a body that is not text) and inside its event.
    expect((limit / 3) * 4 + EVENT_OVERHEAD_BYTES).toBeLessThanOrEqual(LAMBDA_SYNC_PAYLOAD_BYTES);
  });

  it('takes group applications of up to 256 KB and crossings batches of up to 1 MiB', () => {
    expect(assertBodyFits('groups', ROUTE_GROUPS.groups)).toBe(256 * 1024);
    expect(assertBodyFits('crossings', ROUTE_GROUPS.crossings)).toBe(1024 * 1024);
  });

  it.each([5 * 1024 * 1024, 16 * 1024, 100_000.5])(
    'refuses a route group taking bodies of %s bytes',
    (bytes) => {
      const group: RouteGroup = { ...ROUTE_GROUPS.groups, maxBodyBytes: bytes };
      expect(() => assertBodyFits('groups', group)).toThrow(/maxBodyBytes|over Lambda/);
    },
  );

  it('refuses a stage reserving concurrency for a route group that does not exist', () => {
    const app = newApp();
    const stateful = new StatefulStack(app, 'Stateful', { stage: STAGES.dev });
    expect(
      () =>
        new StatelessStack(app, 'Stateless', {
          stage: { ...STAGES.dev, reservedConcurrency: { groupApproval: 10 } },
          table: stateful.table,
          trustRootKey: stateful.trustRootKey,
          passSigningKeys: stateful.passSigningKeys,
          signingRoles: stateful.signingRoles,
          userPool: stateful.users.userPool,
          userPoolClients: stateful.users.clients,
          checkpointAppDir: CHECKPOINT_APP_FIXTURE,
        }),
    ).toThrow('stage reservedConcurrency names no route group: groupApproval');
  });

  it('refuses a route group that queries an index without declaring Query', () => {
    const group: RouteGroup = {
      entry: 'functions/x.ts',
      routes: ['GET /x'],
      tableActions: ['GetItem'],
      queriesIndexes: ['GSI1'],
    };
    expect(() => tableGrants(group)).toThrow('does not declare Query');
  });

  it('refuses to build a route group whose handler lives in local/', () => {
    const app = newApp();
    const stateful = new StatefulStack(app, 'Stateful', { stage: STAGES.dev });
    const devLogin: RouteGroup = {
      entry: 'local/dev-login.ts',
      routes: ['POST /dev/login'],
      tableActions: ['GetItem'],
    };
    expect(() => statelessWith(app, stateful, { ...ROUTE_GROUPS, devLogin })).toThrow(
      'not a handler file directly under functions/',
    );
  });

  it('refuses a signing route group the stateful stack made no signing role for', () => {
    const app = newApp();
    const stateful = new StatefulStack(app, 'Stateful', { stage: STAGES.dev });
    const reissue: RouteGroup = { ...ROUTE_GROUPS.approvals, routes: ['POST /passes/{no}/reissue'] };
    expect(() => statelessWith(app, stateful, { ...ROUTE_GROUPS, reissue })).toThrow(
      'route group reissue signs but the stateful stack made no signing role for it',
    );
  });

  it('refuses two signing route groups running as one role', () => {
    const app = newApp();
    const stateful = new StatefulStack(app, 'Stateful', { stage: STAGES.dev });
    const stack = () =>
      new StatelessStack(app, 'Stateless', {
        stage: STAGES.dev,
        table: stateful.table,
        trustRootKey: stateful.trustRootKey,
        passSigningKeys: stateful.passSigningKeys,
        signingRoles: { ...stateful.signingRoles, certificates: stateful.signingRoles.approvals as Role },
        userPool: stateful.users.userPool,
        userPoolClients: stateful.users.clients,
        checkpointAppDir: CHECKPOINT_APP_FIXTURE,
      });
    expect(stack).toThrow('two signing route groups would run as one signing role');
  });

  it('grants a route group the Cognito actions it declares on the pool, and gives it the pool id', () => {
    const app = newApp();
    const stateful = new StatefulStack(app, 'Stateful', { stage: STAGES.dev });
    const accounts: DeployedRouteGroup = {
      // An existing handler file stands in: the entry's code does not shape the grants.
      entry: 'functions/health.ts',
      routes: ['POST /accounts/applicants'],
      tableActions: ['PutItem'],
      cognitoActions: ['AdminCreateUser'],
    };
    const stack = statelessWith(app, stateful, { ...ROUTE_GROUPS, accounts });
    const template = Template.fromStack(stack);
    const fn = stack.functions.get('accounts')?.fn;
    const roleRef = stack.getLogicalId(fn?.role?.node.defaultChild as CfnResource);
    const poolArn = importOf(stateful, stateful.users.userPool.userPoolArn);
    const statements = resourcesOfType(template, 'AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleRef }]))
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    const cognito = statements.filter((st) => [st.Action].flat().some((a) => a.startsWith('cognito-idp:')));
    expect(cognito).toEqual([
      expect.objectContaining({ Action: 'cognito-idp:AdminCreateUser', Resource: poolArn }),
    ]);
    const fnResource = resourcesOfType(template, 'AWS::Lambda::Function').find(
      ([id]) => id === stack.getLogicalId(fn?.node.defaultChild as CfnFunction),
    );
    const environment = fnResource?.[1].Properties.Environment as { Variables: Record<string, unknown> };
    const variables = environment.Variables;
    expect(variables.USER_POOL_ID).toEqual(importOf(stateful, stateful.users.userPool.userPoolId));
  });
});
