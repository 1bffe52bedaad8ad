import { App } from 'aws-cdk-lib';
import { loadStageConfig } from './config.js';
import { DeviceBffStack } from './device-bff-stack.js';

const app = new App();
const config = loadStageConfig((key) => app.node.tryGetContext(key));
new DeviceBffStack(app, `CognitoDeviceBff-${config.stage}`, {
  config,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
