// The CDK app: every stage from infra/config.ts. The deploying credentials' account is the only input from outside.
import { App } from 'aws-cdk-lib';
import { APP_CONTEXT, STAGES } from './config.ts';
import { RahdariStage } from './stage.ts';

const account = process.env.CDK_DEFAULT_ACCOUNT;

const app = new App({ context: APP_CONTEXT });
for (const config of Object.values(STAGES)) {
  new RahdariStage(app, config.stageName, { config: { ...config, ...(account ? { account } : {}) } });
}
app.synth();
