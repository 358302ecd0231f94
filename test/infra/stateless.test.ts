// The stateless stack against the route table: every route and its authorizer, every function's runtime and
// settings, the least-privilege grants on table and keys, alarms, and nothing from the local stack.
import type { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { ROUTE_GROUPS, type RouteGroup } from '../../functions/routes.ts';
import { STAGES } from '../../infra/config.ts';
import { StatefulStack } from '../../infra/stateful-stack.ts';
import {
  assertDeployableEntry,
  parseRouteKey,
  STATELESS_LOGICAL_IDS,
  StatelessStack,
  tableGrants,
} from '../../infra/stateless-stack.ts';
import { ROLES } from '../../shared/schemas.ts';
import { newApp, resourcesOfType, synthApp, synthStage } from './synth.ts';

const { stages } = synthApp();
const groups = Object.entries(ROUTE_GROUPS) as [string, RouteGroup][];
const everyRoute = groups.flatMap(([name, group]) =>
  group.routes.map((routeKey) => ({ name, group, routeKey })),
);

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

/** The import expression a consumer template holds for a value exported by the stateful stack. */
function importOf(producer: Stack, value: string): unknown {
  return producer.resolve(producer.exportValue(value));
}

describe.each(['dev', 'prod'] as const)('the %s stateless stack', (stageName) => {
  const { stage, stateless: template } = stages[stageName];
  const stack = stage.stateless;
  const config = STAGES[stageName];
  const resources = template.toJSON().Resources as Record<
    string,
    { Type: string; Properties: Record<string, unknown> }
  >;

  const functionLogicalId = (name: string) => {
    const fn = stack.functions.get(name);
    if (!fn) throw new Error(`no function for route group ${name}`);
    return stack.getLogicalId(fn.node.defaultChild as CfnFunction);
  };

  /** IAM statements attached to the role of a route group's function. */
  const statementsOf = (name: string): Statement[] => {
    const fn = resources[functionLogicalId(name)];
    if (!fn) throw new Error(`no function resource for ${name}`);
    const roleId = (fn.Properties as { Role: { 'Fn::GetAtt': [string] } }).Role['Fn::GetAtt'][0];
    return resourcesOfType(template, 'AWS::IAM::Policy')
      .filter(([, policy]) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  };
  /** Actions a function may take on exactly this resource (not on one whose ARN merely contains it). */
  const actionsOn = (name: string, resource: unknown) =>
    statementsOf(name)
      .filter((s) => [s.Resource].flat().some((r) => JSON.stringify(r) === JSON.stringify(resource)))
      .flatMap((s) => [s.Action].flat());
  /** Every "action on resource" pair a function's DynamoDB statements allow, sorted. */
  const dynamodbPermissions = (name: string) =>
    statementsOf(name)
      .filter((s) => [s.Action].flat().some((action) => action.startsWith('dynamodb:')))
      .flatMap((s) =>
        [s.Action]
          .flat()
          .flatMap((action) => [s.Resource].flat().map((r) => `${action} on ${JSON.stringify(r)}`)),
      )
      .sort();

  const passKeys = stage.stateful.passSigningKeys.map((key) => importOf(stage.stateful, key.keyArn));
  const rootKey = importOf(stage.stateful, stage.stateful.trustRootKey.keyArn);
  const authorizerId = Object.keys(template.findResources('AWS::ApiGatewayV2::Authorizer'))[0];

  it('has one function per route group', () => {
    template.resourceCountIs('AWS::Lambda::Function', groups.length);
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

  it('authorizes with Cognito-issued JWTs for the app client', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [stack.resolve(stack.userPoolClient.userPoolClientId)],
        Issuer: {
          'Fn::Join': [
            '',
            [`https://cognito-idp.${config.region}.amazonaws.com/`, stack.resolve(stack.userPool.userPoolId)],
          ],
        },
      },
    });
  });

  it('runs every function on Node.js 22, ARM64, traced, with its own JSON log group', () => {
    for (const [, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        MemorySize: 512,
        Timeout: 10,
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } },
      });
    }
  });

  it('gives every function the configuration the handlers read', () => {
    const passKeyIds = passKeys.length === 1 ? passKeys[0] : { 'Fn::Join': [',', passKeys] };
    for (const [, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
      expect((fn.Properties as { Environment: { Variables: unknown } }).Environment.Variables).toEqual({
        TABLE_NAME: importOf(stage.stateful, stage.stateful.table.tableName),
        PASS_KEY_IDS: passKeyIds,
        ROOT_KEY_ID: rootKey,
        BUNDLE_VALIDITY_HOURS: String(config.bundleValidityHours),
        POWERTOOLS_SERVICE_NAME: 'rahdari',
        POWERTOOLS_LOG_LEVEL: config.logLevel,
        NODE_OPTIONS: '--enable-source-maps',
      });
    }
  });

  it('keeps function and access logs for the stage’s retention', () => {
    const logGroups = resourcesOfType(template, 'AWS::Logs::LogGroup');
    expect(logGroups).toHaveLength(groups.length + 1);
    for (const [, logGroup] of logGroups) {
      expect(logGroup.Properties.RetentionInDays).toBe(config.logRetention);
      expect(logGroup.DeletionPolicy).toBe(config.protectData ? 'Retain' : 'Delete');
    }
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
      const tableArn = importOf(stage.stateful, stage.stateful.table.tableArn);
      const indexArn = (index: string) => ({ 'Fn::Join': ['', [tableArn, `/index/${index}`]] });
      const expected = [
        ...group.tableActions.map((action) => `dynamodb:${action} on ${JSON.stringify(tableArn)}`),
        ...(group.queriesIndexes ?? []).map(
          (index) => `dynamodb:Query on ${JSON.stringify(indexArn(index))}`,
        ),
      ].sort();
      expect(dynamodbPermissions(name)).toEqual(expected);
      expect(dynamodbPermissions(name).join('\n')).not.toContain('/index/*');
    });

    it('lets no function scan the table or use the batch actions', () => {
      const actions = resourcesOfType(template, 'AWS::IAM::Policy').flatMap(([, policy]) =>
        (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement.flatMap((s) =>
          [s.Action].flat(),
        ),
      );
      expect(actions).toContain('dynamodb:GetItem');
      for (const forbidden of ['dynamodb:Scan', 'dynamodb:BatchWriteItem', 'dynamodb:BatchGetItem']) {
        expect(actions).not.toContain(forbidden);
      }
    });

    it('allows no wildcard action, and a "*" resource only for the X-Ray tracing calls', () => {
      const statements = resourcesOfType(template, 'AWS::IAM::Policy').flatMap(
        ([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
      );
      for (const statement of statements) {
        const actions = [statement.Action].flat();
        expect(actions.filter((action) => action.includes('*'))).toEqual([]);
        if ([statement.Resource].flat().includes('*')) {
          expect(actions.sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
        }
      }
    });

    it('attaches no managed policy to any role', () => {
      for (const [, role] of resourcesOfType(template, 'AWS::IAM::Role')) {
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
      expect(allStatements.match(/"kms:Sign"/g)).toHaveLength(groups.filter(([, g]) => g.signs).length);
    });
  });

  describe('alarms', () => {
    const topic = stack.resolve(stack.alarmTopic.topicArn);

    it('alarms on any 5xx answer from the API', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/ApiGateway',
        MetricName: '5xx',
        Dimensions: [{ Name: 'ApiId', Value: stack.resolve(stack.api.apiId) }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [topic],
      });
    });

    it.each(groups)('alarms on errors of the %s function', (name) => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionLogicalId(name) } }],
        Threshold: 1,
        AlarmActions: [topic],
      });
    });

    it('sends alarms to an SNS topic that refuses plain HTTP', () => {
      template.resourceCountIs('AWS::CloudWatch::Alarm', groups.length + 1);
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });
  });

  describe('users', () => {
    it('keeps the frozen logical ID of the user pool', () => {
      expect(resources[STATELESS_LOGICAL_IDS.userPool]?.Type).toBe('AWS::Cognito::UserPool');
      expect(resources.RahdariUserPool?.Type).toBe('AWS::Cognito::UserPool');
    });

    it('has one Cognito group per role', () => {
      const groupNames = resourcesOfType(template, 'AWS::Cognito::UserPoolGroup').map(
        ([, group]) => group.Properties.GroupName,
      );
      expect(groupNames.sort()).toEqual([...ROLES].sort());
    });

    it('requires TOTP MFA, strong passwords and administrator-created accounts', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
        Schema: Match.arrayWith([
          Match.objectLike({ Name: 'checkpoint', AttributeDataType: 'String', Mutable: true }),
        ]),
      });
    });

    it('binds an applicant to a CNIC with a 13-character custom attribute', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        Schema: Match.arrayWith([
          {
            Name: 'cnic',
            AttributeDataType: 'String',
            Mutable: true,
            StringAttributeConstraints: { MinLength: '13', MaxLength: '13' },
          },
        ]),
      });
    });

    it('lets the app client read the checkpoint and CNIC claims but never write them', () => {
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        ReadAttributes: Match.arrayWith(['custom:checkpoint', 'custom:cnic']),
      });
      const [[, client] = []] = resourcesOfType(template, 'AWS::Cognito::UserPoolClient');
      const writable = client?.Properties.WriteAttributes as string[];
      expect(writable.length).toBeGreaterThan(0);
      expect(writable.filter((attribute) => attribute.startsWith('custom:'))).toEqual([]);
    });

    it(`${stageName === 'prod' ? 'retains and protects' : 'destroys'} the user pool with the stack`, () => {
      const pool = resourcesOfType(template, 'AWS::Cognito::UserPool')[0]?.[1];
      expect(pool?.DeletionPolicy).toBe(config.protectData ? 'Retain' : 'Delete');
      expect(pool?.Properties.DeletionProtection).toBe(config.protectData ? 'ACTIVE' : 'INACTIVE');
      expect(stack.terminationProtection).toBe(config.protectData);
    });

    it('sends e-mail with Cognito’s own sender until the stage names an SES identity', () => {
      const pool = resourcesOfType(template, 'AWS::Cognito::UserPool')[0]?.[1];
      expect(config.cognitoEmail).toBeUndefined();
      expect(pool?.Properties.EmailConfiguration).toBeUndefined();
    });
  });

  it('outputs what an operator hands to the apps and the user commands', () => {
    const apiUrl = stack.resolve(stack.api.apiEndpoint);
    template.hasOutput('ApiUrl', { Value: apiUrl });
    template.hasOutput('TrustBundleUrl', { Value: { 'Fn::Join': ['', [apiUrl, '/trust-bundle']] } });
    template.hasOutput('JwksUrl', { Value: { 'Fn::Join': ['', [apiUrl, '/.well-known/jwks.json']] } });
    template.hasOutput('UserPoolId', { Value: { Ref: STATELESS_LOGICAL_IDS.userPool } });
    template.hasOutput('UserPoolClientId', { Value: stack.resolve(stack.userPoolClient.userPoolClientId) });
    template.hasOutput('AlarmTopicArn', { Value: stack.resolve(stack.alarmTopic.topicArn) });
  });

  it('contains nothing from the local stack', () => {
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toMatch(/dev-login|dev-issuer|KEY_DIR|local\//i);
    for (const [, route] of resourcesOfType(template, 'AWS::ApiGatewayV2::Route')) {
      expect(String(route.Properties.RouteKey)).not.toMatch(/dev|login/i);
    }
  });
});

describe('Cognito e-mail through SES', () => {
  it('sends from the stage’s verified SES identity in its own region', () => {
    const { stateless } = synthStage({
      ...STAGES.prod,
      cognitoEmail: {
        fromEmail: 'no-reply@rahdari.gov.pk',
        fromName: 'Rahdari',
        sesVerifiedDomain: 'rahdari.gov.pk',
      },
    });
    stateless.hasResourceProperties('AWS::Cognito::UserPool', {
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
    expect(
      () =>
        new StatelessStack(app, 'Stateless', {
          stage: STAGES.dev,
          table: stateful.table,
          trustRootKey: stateful.trustRootKey,
          passSigningKeys: stateful.passSigningKeys,
          routeGroups: { ...ROUTE_GROUPS, devLogin },
        }),
    ).toThrow('not a handler file directly under functions/');
  });
});
