// The checkpoint app in AWS: a private S3 bucket behind CloudFront (origin access control, strict security headers),
// the API on the same origin under /api, and the built app with its runtime config.json deployed into the bucket.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, Fn, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

/** Where the app lives on its origin: the same path as on the local server (web/vite.config.ts). */
export const CHECKPOINT_PATH = '/checkpoint/';
/** Where the office pages (residents, FIA, Fisheries, Ministry) live on the same origin, as on the local server. */
export const OFFICE_PATH = '/office/';
/** Where the API answers on the app's origin; CloudFront strips the prefix before API Gateway sees the request. */
export const API_PATH = '/api';

/** Cache-Control of the app's files: hashed assets never change; everything else is looked at on every start. */
export const CACHE_CONTROL = {
  assets: 'public, max-age=31536000, immutable',
  shell: 'no-cache',
} as const;

/** HSTS as browsers' preload lists require it: two years, every subdomain. */
export const HSTS_MAX_AGE = Duration.days(730);

/** The runtime settings web/checkpoint/src/config.ts reads, as the deployment writes them. */
export interface CheckpointAppConfig {
  apiUrl: string;
  auth: { kind: 'cognito'; authority: string; clientId: string; scope: string };
}

/**
 * The page's Content-Security-Policy: the one local/static.ts sends, with the login provider's two origins (the
 * OpenID discovery and keys on cognito-idp, the token endpoint on the sign-in domain). The API is on the app's own
 * origin, so `'self'` covers it.
 */
export function checkpointContentSecurityPolicy(loginOrigins: readonly string[]): string {
  return [
    "default-src 'self'",
    // WebAssembly compilation for the QR decoder; no eval of JavaScript.
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob:",
    `connect-src ${["'self'", ...loginOrigins].join(' ')}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

/**
 * Viewer-request rewrites (CloudFront Functions, JavaScript 2.0): the app's folder answers with its index.html as
 * the local server does, a bare origin or `/checkpoint` goes to the app, and API requests lose their `/api` prefix.
 */
const VIEWER_REQUEST = `
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/' || uri === '${CHECKPOINT_PATH.slice(0, -1)}') {
    return { statusCode: 308, statusDescription: 'Permanent Redirect', headers: { location: { value: '${CHECKPOINT_PATH}' } } };
  }
  if (uri === '${OFFICE_PATH.slice(0, -1)}') {
    return { statusCode: 308, statusDescription: 'Permanent Redirect', headers: { location: { value: '${OFFICE_PATH}' } } };
  }
  if (uri === '${CHECKPOINT_PATH}') {
    request.uri = '${CHECKPOINT_PATH}index.html';
  } else if (uri === '${OFFICE_PATH}') {
    request.uri = '${OFFICE_PATH}index.html';
  } else if (uri.indexOf('${API_PATH}/') === 0) {
    request.uri = uri.slice(${API_PATH.length});
  }
  return request;
}
`;

export interface CheckpointHostingProps {
  /** The HTTP API's endpoint, `https://<id>.execute-api.<region>.amazonaws.com`. */
  apiEndpoint: string;
  /** Origins the page may connect to for sign-in: cognito-idp in the region and the Cognito sign-in domain. */
  loginOrigins: readonly string[];
  /** Development buckets go with their stack; production ones are retained. */
  removalPolicy: RemovalPolicy;
  /** Access logs of the bucket are kept this long. */
  logRetentionDays: number;
  /** A WAF web ACL (CLOUDFRONT scope, us-east-1) in front of the distribution, where the stage has one. */
  webAclArn?: string;
}

/** The bucket and distribution; the app is deployed into them by `deploy` once its config is known. */
export class CheckpointHosting extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;
  readonly distribution: Distribution;
  readonly responseHeaders: ResponseHeadersPolicy;
  /** `https://<distribution domain>`: where the app and, under /api, the API answer. */
  readonly origin: string;

  constructor(scope: Construct, id: string, props: CheckpointHostingProps) {
    super(scope, id);
    const { removalPolicy } = props;
    const destroy = removalPolicy === RemovalPolicy.DESTROY;

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // S3 server access logs are delivered under the logging service's bucket policy, not ACLs.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(props.logRetentionDays) }],
      removalPolicy,
      autoDeleteObjects: destroy,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket receives the app bucket’s server access logs; logging it in turn would need another bucket for its own log deliveries, without end.',
    });

    this.bucket = new Bucket(this, 'App', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 's3/',
      // Superseded builds need no keeping beyond a rollback's reach.
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy,
      autoDeleteObjects: destroy,
    });

    this.responseHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Rahdari checkpoint app: strict CSP, HSTS and the camera for this origin only',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: checkpointContentSecurityPolicy(props.loginOrigins),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: HSTS_MAX_AGE,
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          {
            header: 'Permissions-Policy',
            value: 'camera=(self), microphone=(), geolocation=()',
            override: true,
          },
        ],
      },
    });

    const s3Origin = S3BucketOrigin.withOriginAccessControl(this.bucket);
    const rewrite = new EdgeFunction(this, 'ViewerRequest', {
      code: FunctionCode.fromInline(VIEWER_REQUEST),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Rahdari: the app folder’s index, redirects to the app, /api prefix',
    });
    const viewerRequest = [{ function: rewrite, eventType: FunctionEventType.VIEWER_REQUEST }];

    // The app shell (index.html, sw.js, manifest, config.json): cached at the edge until the next deployment
    // invalidates it, while browsers revalidate every time (Cache-Control from the object, CACHE_CONTROL.shell).
    const shellCache = new CachePolicy(this, 'ShellCache', {
      comment: 'Rahdari checkpoint app shell: edge-cached until a deployment invalidates it',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.days(1),
      maxTtl: Duration.days(1),
      headerBehavior: CacheHeaderBehavior.none(),
      queryStringBehavior: CacheQueryStringBehavior.none(),
      cookieBehavior: CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    // The API: nothing is cached, and the bearer token must reach API Gateway. CloudFront forwards Authorization
    // only when it is part of the cache key, so it is, with a TTL of zero.
    const apiCache = new CachePolicy(this, 'ApiNoCache', {
      comment: 'Rahdari API through the app origin: not cached, Authorization forwarded',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(1),
      headerBehavior: CacheHeaderBehavior.allowList('Authorization'),
      queryStringBehavior: CacheQueryStringBehavior.all(),
      cookieBehavior: CacheCookieBehavior.none(),
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Rahdari checkpoint app and API',
      httpVersion: HttpVersion.HTTP2_AND_3,
      // Pakistan is served from the Asia edge locations, which PriceClass 200 includes.
      priceClass: PriceClass.PRICE_CLASS_200,
      enableIpv6: true,
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
      defaultBehavior: {
        origin: s3Origin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: shellCache,
        responseHeadersPolicy: this.responseHeaders,
        functionAssociations: viewerRequest,
        compress: true,
      },
      additionalBehaviors: {
        // Hashed names: a new build has new names, so the edge keeps these for as long as it likes.
        [`${CHECKPOINT_PATH}assets/*`]: {
          origin: s3Origin,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: CachePolicy.CACHING_OPTIMIZED,
          responseHeadersPolicy: this.responseHeaders,
          compress: true,
        },
        [`${OFFICE_PATH}assets/*`]: {
          origin: s3Origin,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: CachePolicy.CACHING_OPTIMIZED,
          responseHeadersPolicy: this.responseHeaders,
          compress: true,
        },
        [`${API_PATH}/*`]: {
          origin: new HttpOrigin(hostOf(props.apiEndpoint), {
            protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
          }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: apiCache,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: this.responseHeaders,
          functionAssociations: viewerRequest,
          compress: true,
        },
      },
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;
    if (!props.webAclArn) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR2',
        reason:
          'A development stage has no web ACL (USD 5 a month and more for a stage nobody outside uses); the API behind /api keeps its per-route throttles and token checks.',
      });
    }
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'Posts on the Iran and Afghanistan borders often have signal only from a neighbouring country’s network, which geolocation places abroad; the app is public static files and every API call needs a token.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'CloudFront standard logs record every query string, and a sign-in returns to /checkpoint/?code=… with the authorization code in it; the API keeps its own access log (no token) and the bucket its server access log.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The distribution has no custom domain, so it serves the default *.cloudfront.net certificate, whose security policy CloudFront fixes at TLSv1; only a custom domain with its own certificate can require TLSv1.2_2021.',
      },
    );
  }

  /**
   * Deploys the built app under /checkpoint/ with its config.json: hashed assets first (never pruned, since a page
   * loaded before the deployment may still ask for the previous build's), then the shell that names them, then the
   * edge's copies of the shell are invalidated.
   */
  deploy(props: {
    appDir: string;
    config: CheckpointAppConfig;
    logRetention: RetentionDays;
    removalPolicy: RemovalPolicy;
  }): { assets: BucketDeployment; shell: BucketDeployment } {
    if (!existsSync(join(props.appDir, 'index.html'))) {
      throw new Error(
        `the checkpoint app is not built in ${props.appDir}: run \`npm run build:web\` (cdk.json runs it before every synthesis)`,
      );
    }
    const prefix = CHECKPOINT_PATH.slice(1);
    const logGroup = new LogGroup(this, 'DeploymentLogs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    const assets = new BucketDeployment(this, 'DeployAssets', {
      sources: [Source.asset(props.appDir, { exclude: ['*', '!assets', '!assets/**'] })],
      destinationBucket: this.bucket,
      destinationKeyPrefix: prefix,
      exclude: ['*'],
      include: ['assets/*'],
      prune: false,
      cacheControl: [CacheControl.fromString(CACHE_CONTROL.assets)],
      memoryLimit: 512,
      logGroup,
    });
    const shell = new BucketDeployment(this, 'DeployShell', {
      sources: [
        Source.asset(props.appDir, { exclude: ['assets'] }),
        Source.jsonData('config.json', props.config),
      ],
      destinationBucket: this.bucket,
      destinationKeyPrefix: prefix,
      exclude: ['assets/*'],
      cacheControl: [CacheControl.fromString(CACHE_CONTROL.shell)],
      distribution: this.distribution,
      distributionPaths: [`${CHECKPOINT_PATH}*`],
      memoryLimit: 512,
      logGroup,
    });
    shell.node.addDependency(assets);
    acknowledgeDeploymentHandler(shell);
    return { assets, shell };
  }
}

/**
 * Deploys a built folder under a path of the bucket with its config.json, as `CheckpointHosting.deploy` does the
 * checkpoint app: hashed assets first and never pruned, then the shell that names them, then the edge invalidated.
 */
export function deployFolder(
  hosting: CheckpointHosting,
  id: string,
  props: {
    path: string;
    appDir: string;
    config: CheckpointAppConfig;
    logRetention: RetentionDays;
    removalPolicy: RemovalPolicy;
  },
): { assets: BucketDeployment; shell: BucketDeployment } {
  if (!existsSync(join(props.appDir, 'index.html')))
    throw new Error(`nothing is built in ${props.appDir}: run \`npm run build:web\``);
  const prefix = props.path.slice(1);
  const logGroup = new LogGroup(hosting, `${id}DeploymentLogs`, {
    retention: props.logRetention,
    removalPolicy: props.removalPolicy,
  });
  const assets = new BucketDeployment(hosting, `${id}Assets`, {
    sources: [Source.asset(props.appDir, { exclude: ['*', '!assets', '!assets/**'] })],
    destinationBucket: hosting.bucket,
    destinationKeyPrefix: prefix,
    exclude: ['*'],
    include: ['assets/*'],
    prune: false,
    cacheControl: [CacheControl.fromString(CACHE_CONTROL.assets)],
    memoryLimit: 512,
    logGroup,
  });
  const shell = new BucketDeployment(hosting, `${id}Shell`, {
    sources: [
      Source.asset(props.appDir, { exclude: ['assets'] }),
      Source.jsonData('config.json', props.config),
    ],
    destinationBucket: hosting.bucket,
    destinationKeyPrefix: prefix,
    exclude: ['assets/*'],
    cacheControl: [CacheControl.fromString(CACHE_CONTROL.shell)],
    distribution: hosting.distribution,
    distributionPaths: [`${props.path}*`],
    memoryLimit: 512,
    logGroup,
  });
  shell.node.addDependency(assets);
  return { assets, shell };
}

/**
 * CDK's deployment handler (one per stack, shared by both deployments) runs only while CloudFormation deploys: it
 * copies the build from the CDK assets bucket into the app bucket and invalidates the edge's copies.
 */
function acknowledgeDeploymentHandler(deployment: BucketDeployment): void {
  const role = deployment.handlerRole;
  const handler = role.node.scope;
  if (!handler) throw new Error('the bucket deployment handler has no function');
  Validations.of(role).acknowledge(
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'CDK attaches the basic execution policy to its deployment handler (writing its own logs); the handler runs only during deployments and holds no data.',
    },
    ...[
      'Action::s3:Abort*',
      'Action::s3:DeleteObject*',
      'Action::s3:GetBucket*',
      'Action::s3:GetObject*',
      'Action::s3:List*',
      'Resource::<CheckpointApp86541306.Arn>/*',
      'Resource::arn:aws:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-ap-south-1/*',
    ].map((finding) => ({
      id: `AwsSolutions-IAM5[${finding}]`,
      reason:
        'CDK’s deployment handler reads the build from the CDK assets bucket and syncs it into the app bucket (put, delete, list, abort multipart uploads on its objects); the grants name those two buckets only.',
    })),
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'CDK grants its deployment handler cloudfront:CreateInvalidation and GetInvalidation on every distribution; an invalidation only makes the edge fetch again and can neither read nor change content.',
    },
  );
  Validations.of(handler).acknowledge(
    {
      id: 'AwsSolutions-L1',
      reason:
        'CDK fixes the runtime of its deployment handler (Python with the AWS CLI layer); it runs only while CloudFormation deploys, never on a request.',
    },
    {
      id: 'Serverless-LambdaLatestVersion',
      reason:
        'CDK fixes the runtime of its deployment handler (Python with the AWS CLI layer); it runs only while CloudFormation deploys, never on a request.',
    },
    {
      id: 'Serverless-LambdaTracing',
      reason:
        'The deployment handler is CDK’s own code, run once per deployment; CloudFormation reports its failures and its log group keeps its output.',
    },
    {
      id: 'Serverless-LambdaDLQ',
      reason:
        'CloudFormation invokes the deployment handler as a custom resource and fails the deployment on its error; there is no asynchronous event to keep.',
    },
  );
}

/** The host of an `https://host[/…]` URL that may be a CloudFormation token: split on the slashes. */
function hostOf(endpoint: string): string {
  // A token survives Fn::Select/Fn::Split; a literal URL is split the same way by CloudFormation.
  return Fn.select(2, Fn.split('/', endpoint));
}
