import { serviceModel } from './model.js';

/**
 * An error the stand-in answers with, shaped as AWS JSON 1.1 does: `{"__type", "message"}` and the status
 * code the service model gives the exception (400 unless stated; 500 for faults).
 */
export class CognitoError extends Error {
  readonly status: number;

  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
    const shape = serviceModel.shapes[type];
    this.status = shape?.error?.httpStatusCode ?? (shape?.fault ? 500 : 400);
  }
}

export const invalidParameter = (message: string) => new CognitoError('InvalidParameterException', message);
export const notAuthorized = (message: string) => new CognitoError('NotAuthorizedException', message);
export const resourceNotFound = (message: string) => new CognitoError('ResourceNotFoundException', message);
export const userNotFound = () => new CognitoError('UserNotFoundException', 'User does not exist.');
/**
 * Real Cognito's wording (amazon-archives/amazon-cognito-identity-js #200; amplify-android PR #2605), which
 * amazon-cognito-identity-js and amplify-js match on ("device", "Device does not exist.") before retrying a
 * sign-in without the device.
 */
export const DEVICE_NOT_FOUND = 'Device does not exist.';
