// No imports: the CDK construct's alarms read these too, and the published package ships only what it loads.
/** CloudWatch namespace of the BFF's own metrics; the construct's alarms and dashboard read them from here. */
export const METRICS_NAMESPACE = 'CognitoDeviceBff';
export const METRICS_SERVICE = 'cognito-device-bff';
