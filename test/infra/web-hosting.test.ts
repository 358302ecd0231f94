// The checkpoint app in AWS: a private bucket only CloudFront reads, HTTPS with strict security headers, the cache
// split between hashed assets and the shell, the deployment with its generated config.json, and prod's web ACL.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { afterAll, describe, expect, it } from 'vitest';
import { STAGES } from '../../infra/config.ts';
import {
  CACHE_CONTROL,
  CheckpointHosting,
  checkpointContentSecurityPolicy,
} from '../../infra/constructs/web-hosting.ts';
import { CHECKPOINT_APP_DIR_CONTEXT, RahdariStage } from '../../infra/stage.ts';
import { StatefulStack } from '../../infra/stateful-stack.ts';
import { StatelessStack } from '../../infra/stateless-stack.ts';
import { CLOUDFRONT_WEB_ACL_REGION } from '../../infra/web-acl-stack.ts';
import { readConfig } from '../../web/checkpoint/src/config.ts';
import { CHECKPOINT_APP_FIXTURE, newApp, resourcesOfType, synthApp, validationReport } from './synth.ts';

const { stages, assembly } = synthApp();

/** Managed cache policy "CachingOptimized": long TTLs, compression, no headers or cookies in the key. */
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';

type Behavior = {
  PathPattern?: string;
  ViewerProtocolPolicy: string;
  CachePolicyId: unknown;
  ResponseHeadersPolicyId: unknown;
  AllowedMethods?: string[];
  FunctionAssociations?: { EventType: string; FunctionARN: unknown }[];
};

describe.each(['dev', 'prod'] as const)('the %s checkpoint app hosting', (stageName) => {
  const { stage, stateless: template } = stages[stageName];
  const stack = stage.stateless;
  const config = STAGES[stageName];
  const hosting = stack.checkpointHosting;
  const id = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as never);
  const bucketId = id(hosting.bucket);
  const distributionId = id(hosting.distribution);
  const [[, distribution] = []] = resourcesOfType(template, 'AWS::CloudFront::Distribution');
  const distributionConfig = distribution?.Properties.DistributionConfig as {
    HttpVersion: string;
    DefaultCacheBehavior: Behavior;
    CacheBehaviors: Behavior[];
    Origins: { Id: string; OriginAccessControlId?: unknown; S3OriginConfig?: unknown; DomainName: unknown }[];
    WebACLId?: unknown;
    ViewerCertificate?: unknown;
    Logging?: unknown;
  };
  const behavior = (pattern: string) => {
    const found = distributionConfig.CacheBehaviors.find((b) => b.PathPattern === pattern);
    if (!found) throw new Error(`no behaviour for ${pattern}`);
    return found;
  };

  it('keeps the app in a private, encrypted, versioned bucket that refuses plain HTTP', () => {
    const bucket = template.toJSON().Resources[bucketId];
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: id(hosting.accessLogs) }, LogFilePrefix: 's3/' },
    });
    expect(bucket.DeletionPolicy).toBe(config.protectData ? 'Retain' : 'Delete');
  });

  it('lets only this distribution read the bucket, through origin access control', () => {
    const [[, policy] = []] = resourcesOfType(template, 'AWS::S3::BucketPolicy').filter(
      ([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: bucketId }),
    );
    if (!policy) throw new Error('the app bucket has no policy');
    const statements = (
      policy.Properties.PolicyDocument as {
        Statement: { Effect: string; Principal: unknown; Action: unknown; Condition?: unknown }[];
      }
    ).Statement;
    const allows = statements.filter((s) => s.Effect === 'Allow');
    const cloudFront = allows.filter(
      (s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: 'cloudfront.amazonaws.com' }),
    );
    expect(cloudFront).toEqual([
      expect.objectContaining({
        Action: 's3:GetObject',
        Condition: {
          StringEquals: {
            'AWS:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':cloudfront::',
                  { Ref: 'AWS::AccountId' },
                  ':distribution/',
                  { Ref: distributionId },
                ],
              ],
            },
          },
        },
      }),
    ]);
    // Besides CloudFront, only the provider that empties a development bucket before its stack deletes it.
    const others = allows.filter((s) => !cloudFront.includes(s));
    expect(others).toHaveLength(config.protectData ? 0 : 1);
    for (const other of others) expect(JSON.stringify(other.Principal)).toContain('AutoDeleteObjects');
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
    template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    const s3Origins = distributionConfig.Origins.filter((o) => o.S3OriginConfig !== undefined);
    expect(s3Origins).toHaveLength(1);
    expect(s3Origins[0]?.OriginAccessControlId).toBeDefined();
    expect(s3Origins[0]?.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
  });

  it('answers over HTTPS only, with HTTP/2 and HTTP/3', () => {
    expect(distributionConfig.HttpVersion).toBe('http2and3');
    expect(distributionConfig.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(behavior('/checkpoint/assets/*').ViewerProtocolPolicy).toBe('redirect-to-https');
    // A token must never travel in clear, so the API is not even redirected.
    expect(behavior('/api/*').ViewerProtocolPolicy).toBe('https-only');
  });

  it('sends the strict CSP, HSTS and the other security headers on every path', () => {
    const policyRef = { Ref: id(hosting.responseHeaders) };
    for (const b of [distributionConfig.DefaultCacheBehavior, ...distributionConfig.CacheBehaviors]) {
      expect(b.ResponseHeadersPolicyId).toEqual(policyRef);
    }
    const csp = [
      "default-src 'self'",
      "script-src 'self' 'wasm-unsafe-eval'",
      "worker-src 'self'",
      "style-src 'self'",
      "img-src 'self' blob: data:",
      "media-src 'self' blob:",
      `connect-src 'self' https://cognito-idp.${config.region}.amazonaws.com https://${config.authDomainPrefix}.auth.${config.region}.amazoncognito.com`,
      "font-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "frame-ancestors 'none'",
      "form-action 'self'",
    ].join('; ');
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: {
          ContentSecurityPolicy: { ContentSecurityPolicy: csp, Override: true },
          StrictTransportSecurity: {
            AccessControlMaxAgeSec: 63_072_000,
            IncludeSubdomains: true,
            Preload: true,
            Override: true,
          },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
        },
        CustomHeadersConfig: {
          Items: [
            {
              Header: 'Permissions-Policy',
              Value: 'camera=(self), microphone=(), geolocation=()',
              Override: true,
            },
          ],
        },
      },
    });
  });

  it('caches hashed assets for a year at the edge, the shell until a deployment, and the API not at all', () => {
    expect(behavior('/checkpoint/assets/*').CachePolicyId).toBe(CACHING_OPTIMIZED);
    const policies = Object.fromEntries(resourcesOfType(template, 'AWS::CloudFront::CachePolicy'));
    const configOf = (ref: unknown) =>
      policies[(ref as { Ref: string }).Ref]?.Properties.CachePolicyConfig as {
        DefaultTTL: number;
        MaxTTL: number;
        ParametersInCacheKeyAndForwardedToOrigin: {
          HeadersConfig: { HeaderBehavior: string; Headers?: string[] };
          QueryStringsConfig: { QueryStringBehavior: string };
          CookiesConfig: { CookieBehavior: string };
        };
      };
    const shell = configOf(distributionConfig.DefaultCacheBehavior.CachePolicyId);
    expect(shell.DefaultTTL).toBe(86_400);
    expect(shell.ParametersInCacheKeyAndForwardedToOrigin.QueryStringsConfig.QueryStringBehavior).toBe(
      'none',
    );
    const api = configOf(behavior('/api/*').CachePolicyId);
    expect(api.DefaultTTL).toBe(0);
    expect(api.MaxTTL).toBeLessThanOrEqual(1);
    expect(api.ParametersInCacheKeyAndForwardedToOrigin.HeadersConfig).toEqual({
      HeaderBehavior: 'whitelist',
      Headers: ['Authorization'],
    });
    expect(api.ParametersInCacheKeyAndForwardedToOrigin.CookiesConfig.CookieBehavior).toBe('none');
    expect(behavior('/api/*').AllowedMethods).toContain('POST');
    expect(distributionConfig.DefaultCacheBehavior.AllowedMethods).toEqual(['GET', 'HEAD']);
  });

  it('sends /api/* to the HTTP API over HTTPS', () => {
    const apiOrigin = distributionConfig.Origins.find((o) => o.S3OriginConfig === undefined) as unknown as {
      DomainName: unknown;
      CustomOriginConfig: { OriginProtocolPolicy: string };
    };
    expect(apiOrigin.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
    expect(JSON.stringify(apiOrigin.DomainName)).toContain(
      stack.getLogicalId(stack.api.node.defaultChild as never),
    );
  });

  describe('the viewer-request function', () => {
    const [[, fn] = []] = resourcesOfType(template, 'AWS::CloudFront::Function');
    type Answer = { uri?: string; statusCode?: number; headers?: { location: { value: string } } };
    const handler = runInNewContext(`${fn?.Properties.FunctionCode as string}; handler`) as (event: {
      request: { uri: string };
    }) => Answer;
    const viewerRequest = (uri: string) => handler({ request: { uri } });

    it('is attached to the shell and the API, not to the hashed assets', () => {
      expect(fn?.Properties.FunctionConfig).toMatchObject({ Runtime: 'cloudfront-js-2.0' });
      expect(distributionConfig.DefaultCacheBehavior.FunctionAssociations?.[0]?.EventType).toBe(
        'viewer-request',
      );
      expect(behavior('/api/*').FunctionAssociations?.[0]?.EventType).toBe('viewer-request');
      expect(behavior('/checkpoint/assets/*').FunctionAssociations).toBeUndefined();
    });

    it('sends the bare origin and /checkpoint to the app', () => {
      for (const uri of ['/', '/checkpoint']) {
        expect(viewerRequest(uri)).toMatchObject({
          statusCode: 308,
          headers: { location: { value: '/checkpoint/' } },
        });
      }
    });

    it('answers the app folder with its index.html, as the local server does', () => {
      expect(viewerRequest('/checkpoint/').uri).toBe('/checkpoint/index.html');
      expect(viewerRequest('/checkpoint/sw.js').uri).toBe('/checkpoint/sw.js');
      expect(viewerRequest('/checkpoint/config.json').uri).toBe('/checkpoint/config.json');
    });

    it('takes the /api prefix off before API Gateway sees the path', () => {
      expect(viewerRequest('/api/trust-bundle').uri).toBe('/trust-bundle');
      expect(viewerRequest('/api/.well-known/jwks.json').uri).toBe('/.well-known/jwks.json');
      expect(viewerRequest('/apis/x').uri).toBe('/apis/x');
    });
  });

  describe('the deployment', () => {
    const deployments = resourcesOfType(template, 'Custom::CDKBucketDeployment');
    const assets = deployments.find(([, d]) => JSON.stringify(d.Properties.Include) === '["assets/*"]');
    const shell = deployments.find(([, d]) => JSON.stringify(d.Properties.Exclude) === '["assets/*"]');

    it('puts hashed assets (kept, immutable) and then the shell (no-cache) under checkpoint/', () => {
      expect(deployments).toHaveLength(2);
      expect(assets?.[1].Properties).toMatchObject({
        DestinationBucketName: { Ref: bucketId },
        DestinationBucketKeyPrefix: 'checkpoint/',
        Prune: false,
        SystemMetadata: { 'cache-control': CACHE_CONTROL.assets },
      });
      expect(shell?.[1].Properties).toMatchObject({
        DestinationBucketName: { Ref: bucketId },
        DestinationBucketKeyPrefix: 'checkpoint/',
        Prune: true,
        SystemMetadata: { 'cache-control': CACHE_CONTROL.shell },
        DistributionId: { Ref: distributionId },
        DistributionPaths: ['/checkpoint/*'],
      });
      expect(CACHE_CONTROL).toEqual({ assets: 'public, max-age=31536000, immutable', shell: 'no-cache' });
      expect(shell?.[1].DependsOn).toContain(assets?.[0]);
    });

    it('writes a config.json the app accepts, naming this stage’s API, authority and device client', () => {
      const properties = shell?.[1].Properties as {
        SourceObjectKeys: string[];
        SourceMarkers: Record<string, unknown>[];
      };
      const index = properties.SourceMarkers.findIndex((markers) => Object.keys(markers).length > 0);
      const key = properties.SourceObjectKeys[index] as string;
      const file = join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`, 'config.json');
      const written = JSON.parse(readFileSync(file, 'utf8'));
      const markers = properties.SourceMarkers[index] as Record<string, unknown>;
      const markerFor = (value: unknown) =>
        Object.entries(markers).find(([, token]) => JSON.stringify(token) === JSON.stringify(value))?.[0];
      const domain = markerFor({ 'Fn::GetAtt': [distributionId, 'DomainName'] });
      const pool = markerFor(
        stage.stateful.resolve(stage.stateful.exportValue(stage.stateful.users.userPool.userPoolId)),
      );
      const client = markerFor({ Ref: id(stack.checkpointClient) });
      expect([domain, pool, client]).not.toContain(undefined);
      expect(written).toEqual({
        apiUrl: `https://${domain}/api`,
        auth: {
          kind: 'cognito',
          authority: `https://cognito-idp.${config.region}.amazonaws.com/${pool}`,
          clientId: client,
          scope: 'openid email profile',
        },
      });
      expect(readConfig(written)).toEqual(written);
    });
  });

  it(config.webAcl ? 'puts the us-east-1 web ACL in front of the distribution' : 'has no web ACL', () => {
    if (!config.webAcl) {
      expect(distributionConfig.WebACLId).toBeUndefined();
      expect(stage.webAcl).toBeUndefined();
      return;
    }
    expect(stage.webAcl?.region).toBe(CLOUDFRONT_WEB_ACL_REGION);
    // CloudFormation cannot import across regions: CDK copies the ARN into an SSM parameter here and reads it back.
    expect(JSON.stringify(distributionConfig.WebACLId)).toContain('ExportsReader');
    Template.fromStack(stage.webAcl as Stack).hasResourceProperties('Custom::CrossRegionExportWriter', {
      WriterProps: { region: config.region },
    });
  });
});

describe('the prod web ACL', () => {
  const { stage } = stages.prod;
  const webAcl = stage.webAcl;
  if (!webAcl) throw new Error('prod has no web ACL');
  const template = Template.fromStack(webAcl);
  const [[, acl] = []] = resourcesOfType(template, 'AWS::WAFv2::WebACL');
  const rules = acl?.Properties.Rules as {
    Name: string;
    Statement: {
      RateBasedStatement?: { Limit: number; AggregateKeyType: string };
      ManagedRuleGroupStatement?: {
        Name: string;
        RuleActionOverrides?: { Name: string; ActionToUse: unknown }[];
      };
    };
    Action?: unknown;
  }[];

  it('is a CloudFront web ACL that allows what no rule blocks', () => {
    expect(acl?.Properties).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
  });

  it('blocks an address over the stage’s rate', () => {
    expect(rules[0]).toMatchObject({
      Action: { Block: {} },
      Statement: {
        RateBasedStatement: {
          Limit: STAGES.prod.webAcl?.rateLimitPer5Minutes,
          AggregateKeyType: 'IP',
          EvaluationWindowSec: 300,
        },
      },
    });
  });

  it('applies the core rule set (counting only the 8 KB body limit) and known bad inputs', () => {
    const managed = rules.flatMap((r) =>
      r.Statement.ManagedRuleGroupStatement ? [r.Statement.ManagedRuleGroupStatement] : [],
    );
    expect(managed.map((m) => m.Name)).toEqual([
      'AWSManagedRulesCommonRuleSet',
      'AWSManagedRulesKnownBadInputsRuleSet',
    ]);
    expect(managed[0]?.RuleActionOverrides).toEqual([
      { Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
    ]);
    expect(managed[1]?.RuleActionOverrides).toBeUndefined();
  });
});

describe('the CSP', () => {
  it('lets the page connect only to its own origin and the login origins it is given', () => {
    const csp = checkpointContentSecurityPolicy(['https://idp.example']);
    expect(csp).toContain("connect-src 'self' https://idp.example;");
    expect(csp).not.toMatch(/'unsafe-inline'|'unsafe-eval'|\*/);
  });
});

describe('a synthesis without the built app', () => {
  it('fails with a message that says how to build it', () => {
    const stack = new Stack(newApp(), 'Bare');
    const hosting = new CheckpointHosting(stack, 'App', {
      apiEndpoint: 'https://api.example',
      loginOrigins: [],
      removalPolicy: RemovalPolicy.DESTROY,
      logRetentionDays: 14,
    });
    expect(() =>
      hosting.deploy({
        appDir: '/nonexistent/web/dist/checkpoint',
        config: { apiUrl: '', auth: { kind: 'cognito', authority: 'a', clientId: 'c', scope: 'openid' } },
        logRetention: RetentionDays.TWO_WEEKS,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    ).toThrow(/npm run build:web/);
  });
});

describe('the office pages built beside the checkpoint app', () => {
  const build = mkdtempSync(join(tmpdir(), 'rahdari-infra-office-'));
  cpSync(CHECKPOINT_APP_FIXTURE, join(build, 'checkpoint'), { recursive: true });
  mkdirSync(join(build, 'office', 'assets'), { recursive: true });
  writeFileSync(join(build, 'office', 'index.html'), '<!doctype html><title>office</title>');
  writeFileSync(join(build, 'office', 'assets', 'index-0a1b2c3d.js'), 'export {};');
  const app = newApp();
  const stateful = new StatefulStack(app, 'Stateful', { stage: STAGES.dev });
  const stack = new StatelessStack(app, 'Stateless', {
    stage: STAGES.dev,
    table: stateful.table,
    trustRootKey: stateful.trustRootKey,
    passSigningKeys: stateful.passSigningKeys,
    signingRoles: stateful.signingRoles,
    userPool: stateful.users.userPool,
    userPoolClients: stateful.users.clients,
    checkpointAppDir: join(build, 'checkpoint'),
  });
  const template = Template.fromStack(stack);
  afterAll(() => rmSync(build, { recursive: true, force: true }));

  it('deploys them under office/ on the same bucket and distribution, assets first, the shell invalidated', () => {
    const deployments = resourcesOfType(template, 'Custom::CDKBucketDeployment');
    const office = deployments.filter(([, d]) => d.Properties.DestinationBucketKeyPrefix === 'office/');
    expect(deployments).toHaveLength(4);
    expect(office).toHaveLength(2);
    const shell = office.find(([, d]) => JSON.stringify(d.Properties.Exclude) === '["assets/*"]');
    const assets = office.find(([, d]) => JSON.stringify(d.Properties.Include) === '["assets/*"]');
    expect(shell?.[1].Properties).toMatchObject({
      DistributionPaths: ['/office/*'],
      SystemMetadata: { 'cache-control': CACHE_CONTROL.shell },
    });
    expect(assets?.[1].Properties).toMatchObject({
      Prune: false,
      SystemMetadata: { 'cache-control': CACHE_CONTROL.assets },
    });
    expect(shell?.[1].DependsOn).toContain(assets?.[0]);
  });

  it('caches their hashed assets at the edge and answers /office and /office/ with their index', () => {
    const [[, distribution] = []] = resourcesOfType(template, 'AWS::CloudFront::Distribution');
    const behaviors =
      (distribution?.Properties.DistributionConfig as { CacheBehaviors?: Behavior[] } | undefined)
        ?.CacheBehaviors ?? [];
    expect(behaviors.find((b) => b.PathPattern === '/office/assets/*')?.CachePolicyId).toBe(
      CACHING_OPTIMIZED,
    );
    const [[, fn] = []] = resourcesOfType(template, 'AWS::CloudFront::Function');
    const handler = runInNewContext(`${fn?.Properties.FunctionCode as string}; handler`) as (event: {
      request: { uri: string };
    }) => { uri?: string; statusCode?: number; headers?: { location: { value: string } } };
    expect(handler({ request: { uri: '/office' } })).toMatchObject({
      statusCode: 308,
      headers: { location: { value: '/office/' } },
    });
    expect(handler({ request: { uri: '/office/' } }).uri).toBe('/office/index.html');
    expect(handler({ request: { uri: '/office/assets/index-0a1b2c3d.js' } }).uri).toBe(
      '/office/assets/index-0a1b2c3d.js',
    );
  });

  it('signs people in through their own app client, returning to /office/ and reading the CNIC and port', () => {
    const clients = resourcesOfType(template, 'AWS::Cognito::UserPoolClient');
    const office = clients.find(([, c]) => c.Properties.ClientName === 'rahdari-dev-office');
    expect(JSON.stringify(office?.[1].Properties.CallbackURLs)).toContain('/office/');
    expect(office?.[1].Properties).toMatchObject({ GenerateSecret: false, AllowedOAuthFlows: ['code'] });
    expect(office?.[1].Properties.ReadAttributes).toEqual(
      expect.arrayContaining(['custom:cnic', 'custom:port', 'email']),
    );
    expect(office?.[1].Properties.WriteAttributes ?? []).not.toContain('custom:cnic');
    template.hasOutput('OfficePagesUrl', {});
  });
});

describe('a stage synthesized with the office pages built', () => {
  it('passes cdk-nag and the construct checks with nothing new to acknowledge', () => {
    const build = mkdtempSync(join(tmpdir(), 'rahdari-infra-office-stage-'));
    try {
      cpSync(CHECKPOINT_APP_FIXTURE, join(build, 'checkpoint'), { recursive: true });
      mkdirSync(join(build, 'office', 'assets'), { recursive: true });
      writeFileSync(join(build, 'office', 'index.html'), '<!doctype html><title>office</title>');
      const app = newApp();
      app.node.setContext(CHECKPOINT_APP_DIR_CONTEXT, join(build, 'checkpoint'));
      const stage = new RahdariStage(app, 'dev', { config: STAGES.dev });
      // Synthesis runs the validations and throws on any finding not acknowledged.
      const assembly = app.synth();
      expect(stage.stateless.officeClient).toBeDefined();
      expect(validationReport(assembly).pluginReports.flatMap((r) => r.violations)).toEqual([]);
    } finally {
      rmSync(build, { recursive: true, force: true });
    }
  });
});
