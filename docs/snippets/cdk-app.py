from aws_cdk import App, CfnOutput, Stack
from aws_cdk.aws_cognito import UserPool, UserPoolClient
from cdk_cognito_device_bff import DeviceBff

app = App()
stack = Stack(app, "MyApp")

# Your pool and app client, from elsewhere (created in this app, pass the UserPool and UserPoolClient themselves).
user_pool = UserPool.from_user_pool_id(stack, "UserPool", "eu-west-1_AbC123")
mobile = UserPoolClient.from_user_pool_client_id(stack, "MobileClient", "1example23456789abcdefghij")

devices = DeviceBff(stack, "Devices",
    user_pool=user_pool,
    user_pool_clients=[mobile],
    # `cdk deploy -c fullDeviceView=true`: list every device that signed in, not only remembered ones.
    full_device_view=app.node.try_get_context("fullDeviceView") == "true",
    cors_origins=["https://app.example.com"]
)
CfnOutput(stack, "DevicesApiUrl", value=devices.url)
app.synth()
