/** The part of amazon-cognito-identity-js's internal AuthenticationHelper the cross-check test uses. */
declare module 'amazon-cognito-identity-js/lib/AuthenticationHelper.js' {
  export default class AuthenticationHelper {
    constructor(poolName: string);
    generateHashDevice(deviceGroupKey: string, username: string, callback: (error: unknown) => void): void;
    getRandomPassword(): string;
    getSaltDevices(): string;
    getVerifierDevices(): string;
  }
}
