import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { DeviceBff } from 'cdk-cognito-device-bff';

const app = new App();
const stack = new Stack(app, 'MyApp');

// Your pool and app client, from elsewhere (created in this app, pass the UserPool and UserPoolClient themselves).
const userPool = UserPool.fromUserPoolId(stack, 'UserPool', 'eu-west-1_AbC123');
const mobile = UserPoolClient.fromUserPoolClientId(stack, 'MobileClient', '1example23456789abcdefghij');

const devices = new DeviceBff(stack, 'Devices', {
  userPool,
  userPoolClients: [mobile],
  // `cdk deploy -c fullDeviceView=true`: list every device that signed in, not only remembered ones.
  fullDeviceView: app.node.tryGetContext('fullDeviceView') === 'true',
  corsOrigins: ['https://app.example.com'],
});
new CfnOutput(stack, 'DevicesApiUrl', { value: devices.url });
app.synth();
