import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CognitoStandIn } from '../../local/cognito/server.js';

const run = promisify(execFile);
let standIn: CognitoStandIn;
beforeAll(async () => {
  standIn = await CognitoStandIn.start({ region: 'eu-west-1' });
});
afterAll(async () => {
  await standIn.close();
});

const awsEnv = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_DEFAULT_REGION: 'eu-west-1',
  AWS_PAGER: '',
};

/** boto3 (shipped with the image's Python) drives the whole device flow with only an endpoint override. */
it('boto3 runs the device flow against the stand-in', async () => {
  const script = `
import boto3, json, sys
c = boto3.client('cognito-idp', endpoint_url=sys.argv[1], region_name='eu-west-1')
pool = c.create_user_pool(PoolName='py', DeviceConfiguration={'ChallengeRequiredOnNewDevice': True, 'DeviceOnlyRememberedOnUserPrompt': False})['UserPool']['Id']
client = c.create_user_pool_client(UserPoolId=pool, ClientName='py', ExplicitAuthFlows=['ALLOW_USER_PASSWORD_AUTH'])['UserPoolClient']['ClientId']
c.admin_create_user(UserPoolId=pool, Username='py', MessageAction='SUPPRESS')
c.admin_set_user_password(UserPoolId=pool, Username='py', Password='Passw0rd!', Permanent=True)
auth = c.initiate_auth(ClientId=client, AuthFlow='USER_PASSWORD_AUTH', AuthParameters={'USERNAME': 'py', 'PASSWORD': 'Passw0rd!'})['AuthenticationResult']
key = auth['NewDeviceMetadata']['DeviceKey']
confirm = c.confirm_device(AccessToken=auth['AccessToken'], DeviceKey=key, DeviceName='py')
device = c.get_device(AccessToken=auth['AccessToken'], DeviceKey=key)['Device']
listed = c.list_devices(AccessToken=auth['AccessToken'], Limit=10)['Devices']
c.update_device_status(AccessToken=auth['AccessToken'], DeviceKey=key, DeviceRememberedStatus='not_remembered')
try:
    c.get_device(AccessToken=auth['AccessToken'], DeviceKey=key)
    hidden = None
except c.exceptions.ResourceNotFoundException as e:
    hidden = e.response['Error']['Message']
admin = c.admin_get_device(UserPoolId=pool, Username='py', DeviceKey=key)['Device']
c.update_device_status(AccessToken=auth['AccessToken'], DeviceKey=key, DeviceRememberedStatus='remembered')
c.forget_device(AccessToken=auth['AccessToken'], DeviceKey=key)
try:
    c.get_device(AccessToken=auth['AccessToken'], DeviceKey=key)
    missing = None
except c.exceptions.ResourceNotFoundException as e:
    missing = e.response['Error']['Code']
print(json.dumps({'confirm': confirm['UserConfirmationNecessary'], 'attrs': {a['Name']: a['Value'] for a in device['DeviceAttributes']},
  'created': type(device['DeviceCreateDate']).__name__, 'listed': [d['DeviceKey'] == key for d in listed], 'hidden': hidden,
  'admin': {a['Name']: a['Value'] for a in admin['DeviceAttributes']}['dev:device_remembered_status'], 'missing': missing}))
`;
  const { stdout } = await run('python3', ['-c', script, standIn.url], { env: awsEnv });
  expect(JSON.parse(stdout)).toEqual({
    confirm: false,
    attrs: {
      device_status: 'valid',
      device_name: 'py',
      'dev:device_arn': expect.stringMatching(/^arn:aws:cognito-idp:eu-west-1:\d{12}:owner\/py\./),
      'dev:device_owner': expect.stringMatching(/^py\.eu-west-1_/),
      'dev:device_remembered_status': 'remembered',
      'dev:device_sdk': 'aws-sdk',
      last_ip_used: '127.0.0.1',
    },
    created: 'datetime',
    listed: [true],
    hidden: 'Device does not exist.',
    admin: 'not_remembered',
    missing: 'ResourceNotFoundException',
  });
});

it('the AWS CLI creates and describes a pool with device tracking', async () => {
  const aws = (...args: string[]) =>
    run('aws', ['cognito-idp', ...args, '--endpoint-url', standIn.url, '--output', 'json'], { env: awsEnv });
  const created = JSON.parse(
    (
      await aws(
        'create-user-pool',
        '--pool-name',
        'cli',
        '--device-configuration',
        'ChallengeRequiredOnNewDevice=true,DeviceOnlyRememberedOnUserPrompt=true',
        '--mfa-configuration',
        'OPTIONAL',
      )
    ).stdout,
  );
  const described = JSON.parse(
    (await aws('describe-user-pool', '--user-pool-id', created.UserPool.Id)).stdout,
  );
  expect(described.UserPool).toMatchObject({
    Id: expect.stringMatching(/^eu-west-1_/),
    MfaConfiguration: 'OPTIONAL',
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
  });
  const failure = await aws('list-devices', '--access-token', 'a.b.c').then(
    () => '',
    (error: { stderr: string }) => error.stderr,
  );
  expect(failure).toMatch(/NotAuthorizedException/);
});
