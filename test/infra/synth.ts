// Synthesizes the CDK app once for the infra tests, as `npm run synth` does but without bundling the functions.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';
import { APP_CONTEXT, STAGES, type StageConfig, type StageName } from '../../infra/config.ts';
import { CHECKPOINT_APP_DIR_CONTEXT, RahdariStage } from '../../infra/stage.ts';

/** A stand-in for `web/dist/checkpoint`: an index, a service worker, a manifest and one hashed asset. */
export const CHECKPOINT_APP_FIXTURE = fileURLToPath(new URL('./fixtures/checkpoint-app', import.meta.url));

/**
 * Bundling every function takes seconds per stage; templates do not depend on the bundle's bytes. Nor do they
 * depend on the checkpoint app's build, so a small stand-in (test/infra/fixtures/checkpoint-app) is deployed.
 */
export const NO_BUNDLING = {
  'aws:cdk:bundling-stacks': [],
  [CHECKPOINT_APP_DIR_CONTEXT]: CHECKPOINT_APP_FIXTURE,
} as const;

export interface SynthesizedStage {
  stage: RahdariStage;
  stateful: Template;
  stateless: Template;
}

export interface ValidationReport {
  pluginReports: { pluginName: string; violations: { ruleName: string; description: string }[] }[];
}

/**
 * A new app with the context infra/app.ts uses. cdk-nag always runs; the template validation bundled with
 * aws-cdk-lib takes seconds to start, so only the tests that are about validation (and `npm run synth`) run it.
 */
export function newApp({ templateValidation = false } = {}): App {
  return new App({
    context: { ...APP_CONTEXT, ...NO_BUNDLING },
    builtinCloudFormationValidation: templateValidation,
  });
}

/** Builds one stage in a new app and synthesizes it; validation runs and throws on an unacknowledged finding. */
export function synthStage(
  config: StageConfig,
  options: { templateValidation?: boolean; extend?: (stage: RahdariStage) => void } = {},
): SynthesizedStage & { assembly: CloudAssembly } {
  const app = newApp(options);
  const stage = new RahdariStage(app, config.stageName, { config });
  options.extend?.(stage);
  const assembly = app.synth();
  return {
    stage,
    assembly,
    stateful: Template.fromStack(stage.stateful),
    stateless: Template.fromStack(stage.stateless),
  };
}

let everyStage:
  | { app: App; assembly: CloudAssembly; stages: Record<StageName, SynthesizedStage> }
  | undefined;

/** Both stages in one app, exactly as infra/app.ts builds them, synthesized once per test file. */
export function synthApp() {
  if (!everyStage) {
    const app = newApp();
    const built = Object.values(STAGES).map((config) => new RahdariStage(app, config.stageName, { config }));
    const assembly = app.synth();
    const stages = Object.fromEntries(
      built.map((stage) => [
        stage.stageName,
        {
          stage,
          stateful: Template.fromStack(stage.stateful),
          stateless: Template.fromStack(stage.stateless),
        },
      ]),
    ) as Record<StageName, SynthesizedStage>;
    everyStage = { app, assembly, stages };
  }
  return everyStage;
}

export function validationReport(assembly: CloudAssembly): ValidationReport {
  return JSON.parse(
    readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'),
  ) as ValidationReport;
}

/** Every acknowledged validation finding under a scope: rule id → the reasons given, with where. */
export function acknowledgements(scope: IConstruct): { path: string; id: string; reason: string }[] {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id,
          reason,
        })),
      ),
  );
}

/** A template resource; every type the tests query has Properties. */
type CfnResource = { Type: string; Properties: Record<string, unknown>; [key: string]: unknown };

/** Resources of one type as [logical id, resource] pairs. */
export function resourcesOfType(template: Template, type: string): [string, CfnResource][] {
  return Object.entries(template.findResources(type)) as [string, CfnResource][];
}
