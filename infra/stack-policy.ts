// The stateful stack's CloudFormation stack policy: no update may replace the table, a key or the user pool, nor
// remove the table or the pool. `node infra/stack-policy.ts <stage>` prints it for `set-stack-policy`.
import { App, CfnResource, type Stack } from 'aws-cdk-lib';
import { APP_CONTEXT, STAGES, type StageName } from './config.ts';
import { RahdariStage } from './stage.ts';

/**
 * Resource types whose replacement loses what cannot be recreated, and whether removing them from the template must
 * be refused too. A key may leave the template (it is RETAINed, and a retired generation is removed on purpose);
 * the table and the pool never.
 */
export const PROTECTED_TYPES: Readonly<Record<string, { refuseRemoval: boolean }>> = {
  'AWS::DynamoDB::GlobalTable': { refuseRemoval: true },
  'AWS::Cognito::UserPool': { refuseRemoval: true },
  'AWS::KMS::Key': { refuseRemoval: false },
  'AWS::Backup::BackupVault': { refuseRemoval: true },
};

interface StackPolicyStatement {
  Effect: 'Allow' | 'Deny';
  Principal: '*';
  Action: string | string[];
  Resource: string | string[];
}

/**
 * CDK 2.276 cannot attach a stack policy (no Stack property, and `cdk deploy` sets none), so the policy is built
 * from the synthesized stack and applied once with `aws cloudformation set-stack-policy` (docs/deploy.md); it then
 * holds for every later update, `cdk deploy` included, until replaced.
 */
export function stackPolicy(stack: Stack): { Statement: StackPolicyStatement[] } {
  const protectedIds = (refuseRemoval: boolean) =>
    stack.node
      .findAll()
      .filter((c): c is CfnResource => CfnResource.isCfnResource(c))
      .filter((r) => {
        const rule = PROTECTED_TYPES[r.cfnResourceType];
        return rule !== undefined && (!refuseRemoval || rule.refuseRemoval);
      })
      .map((r) => `LogicalResourceId/${stack.resolve(r.logicalId)}`)
      .sort();
  return {
    Statement: [
      { Effect: 'Deny', Principal: '*', Action: 'Update:Replace', Resource: protectedIds(false) },
      { Effect: 'Deny', Principal: '*', Action: 'Update:Delete', Resource: protectedIds(true) },
      { Effect: 'Allow', Principal: '*', Action: 'Update:*', Resource: '*' },
    ],
  };
}

if (import.meta.main) {
  const stageName = process.argv[2] as StageName | undefined;
  const config = stageName ? STAGES[stageName] : undefined;
  if (!config) {
    console.error(`usage: node infra/stack-policy.ts <${Object.keys(STAGES).join('|')}>`);
    process.exit(2);
  }
  // The policy names logical IDs only, which do not depend on the function bundles: skip bundling.
  const app = new App({ context: { ...APP_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
  const stage = new RahdariStage(app, config.stageName, { config });
  console.log(JSON.stringify(stackPolicy(stage.stateful)));
}
