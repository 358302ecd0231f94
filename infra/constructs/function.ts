// RahdariFunction: every Lambda default set once (runtime, ARM64, ESM bundle, logs, metrics), and the esbuild options
// that build its bundle, shared with the bundle-size benchmark and test.
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { type IRole, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { BuildOptions } from 'esbuild';
import { FUNCTION_TIMEOUT_SECONDS } from '../../functions/limits.ts';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/**
 * How every function bundle is built, in esbuild's own terms. RahdariFunction hands these to NodejsFunction and
 * the bundle benchmark and test run esbuild with them directly, so a size measured there is the size deployed.
 * The AWS SDK is bundled rather than taken from the runtime: the version is the one tested, and a minified,
 * tree-shaken client loads faster than the runtime's full copy.
 */
export const LAMBDA_ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  // Prefer packages' ES module builds, which esbuild can tree-shake.
  mainFields: ['module', 'main'],
  // Some bundled CommonJS dependencies call require() for Node built-ins, which an ES module lacks.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  external: [],
  // Lambda always hands the role's credentials over in the environment; the SDK's full default chain (SSO,
  // profiles, IMDS, web identity, with an STS client) would add about 90 KB to every bundle for nothing.
  alias: { '@aws-sdk/credential-provider-node': './functions/lambda-credentials.ts' },
} as const satisfies BuildOptions;

export const FUNCTION_DEFAULTS = {
  runtime: Runtime.NODEJS_22_X,
  architecture: Architecture.ARM_64,
  memorySize: 512,
  // functions/limits.ts: the AWS SDK's timeouts there are set to end inside this one.
  timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS),
  /** CloudWatch namespace of the business metrics the functions publish as EMF (Powertools Metrics). */
  metricsNamespace: 'Rahdari',
} as const;

export interface RahdariFunctionProps
  extends Omit<
    NodejsFunctionProps,
    'runtime' | 'architecture' | 'bundling' | 'logGroup' | 'logRetention' | 'role' | 'tracing' | 'entry'
  > {
  /** Absolute path of the handler's source file; it must export `handler`. */
  entry: string;
  /**
   * The service its logs and metrics carry (POWERTOOLS_SERVICE_NAME, the `service` dimension of every metric):
   * the route group's name.
   */
  serviceName: string;
  /**
   * A role made elsewhere, for a function a key policy names (the signing roles of the stateful stack). Unset:
   * a new role of its own. Either way its policies are added in this function's stack.
   */
  role?: IRole;
  logRetention: RetentionDays;
  /** RETAIN in production so logs outlive a stack mistake; DESTROY in development. */
  logRemovalPolicy: RemovalPolicy;
  logLevel: LogLevel;
}

/**
 * A Node.js 22 ARM64 function bundled as minified ESM with source maps, logging JSON to its own log group and
 * publishing metrics in the Rahdari namespace. Active tracing is off: no tracer instruments the code, so X-Ray would
 * only record each invocation's duration, which CloudWatch already has (docs/decisions.md). Its role starts empty:
 * it may write to that log group and nothing else until a stack grants more, so no managed policy with
 * account-wide log permissions is attached.
 */
export class RahdariFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: RahdariFunctionProps) {
    const {
      logRetention,
      logRemovalPolicy,
      logLevel,
      environment,
      serviceName,
      role: givenRole,
      ...functionProps
    } = props;
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: logRetention,
      removalPolicy: logRemovalPolicy,
    });
    // A role from another stack is imported as mutable, so the grants below become a policy in this stack: adding
    // them to the role's own stack would make it depend on this one, a cycle.
    const role = givenRole
      ? Role.fromRoleArn(scope, `${id}ImportedRole`, givenRole.roleArn, { mutable: true })
      : new Role(scope, `${id}Role`, {
          assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
          description: `Runs ${id}`,
        });
    super(scope, id, {
      runtime: FUNCTION_DEFAULTS.runtime,
      architecture: FUNCTION_DEFAULTS.architecture,
      memorySize: FUNCTION_DEFAULTS.memorySize,
      timeout: FUNCTION_DEFAULTS.timeout,
      tracing: Tracing.DISABLED,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel[logLevel],
      logGroup,
      role,
      ...functionProps,
      bundling: {
        format: OutputFormat.ESM,
        target: LAMBDA_ESBUILD_OPTIONS.target,
        minify: LAMBDA_ESBUILD_OPTIONS.minify,
        sourceMap: LAMBDA_ESBUILD_OPTIONS.sourcemap,
        sourcesContent: LAMBDA_ESBUILD_OPTIONS.sourcesContent,
        mainFields: [...LAMBDA_ESBUILD_OPTIONS.mainFields],
        banner: LAMBDA_ESBUILD_OPTIONS.banner.js,
        externalModules: [...LAMBDA_ESBUILD_OPTIONS.external],
        esbuildArgs: Object.fromEntries(
          Object.entries(LAMBDA_ESBUILD_OPTIONS.alias).map(([from, to]) => [`--alias:${from}`, to]),
        ),
      },
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: serviceName,
        POWERTOOLS_METRICS_NAMESPACE: FUNCTION_DEFAULTS.metricsNamespace,
        POWERTOOLS_LOG_LEVEL: logLevel,
        ...environment,
      },
    });
    logGroup.grantWrite(role);
    Validations.of(this).acknowledge({
      id: 'Serverless-LambdaTracing',
      reason:
        'No tracer instruments the code, so active tracing would record only each invocation’s duration, which CloudWatch already has, at USD 5 per million traces (docs/decisions.md).',
    });
    for (const id of ['AwsSolutions-L1', 'Serverless-LambdaLatestVersion']) {
      Validations.of(this).acknowledge({
        id,
        reason:
          'Node.js 22 is the runtime the code and its tests run on (package.json engines); a newer runtime is a deliberate upgrade of both.',
      });
    }
  }
}
