// The CDK app: every stage from infra/config.ts. Environment variables are read here and nowhere else.
import { App } from 'aws-cdk-lib';
import { APP_CONTEXT, STAGES } from './config.ts';
import { RahdariStage } from './stage.ts';

const account = process.env.CDK_DEFAULT_ACCOUNT;
const alarmEmail = process.env.RAHDARI_ALARM_EMAIL;

const app = new App({ context: APP_CONTEXT });
for (const config of Object.values(STAGES)) {
  new RahdariStage(app, config.stageName, {
    config: { ...config, ...(account ? { account } : {}), ...(alarmEmail ? { alarmEmail } : {}) },
  });
}
app.synth();
