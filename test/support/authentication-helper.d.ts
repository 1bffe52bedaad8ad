/** The part of amazon-cognito-identity-js's internal AuthenticationHelper the cross-check test uses. */
declare module 'amazon-cognito-identity-js/lib/AuthenticationHelper.js' {
  export default class AuthenticationHelper {
    constructor(poolName: string);
    /** The random SRP secret `a` the constructor drew. */
    smallAValue: { toString(radix: number): string };
    generateHashDevice(deviceGroupKey: string, username: string, callback: (error: unknown) => void): void;
    getRandomPassword(): string;
    getSaltDevices(): string;
    getVerifierDevices(): string;
    getLargeAValue(callback: (error: unknown, a: { toString(radix: number): string }) => void): void;
    getPasswordAuthenticationKey(
      username: string,
      password: string,
      serverB: unknown,
      salt: unknown,
      callback: (error: unknown, key: Uint8Array) => void,
    ): void;
  }
}

declare module 'amazon-cognito-identity-js/lib/BigInteger.js' {
  export default class BigInteger {
    constructor(value: string, radix: number);
  }
}

declare module 'amazon-cognito-identity-js/lib/DateHelper.js' {
  export default class DateHelper {
    getNowString(): string;
  }
}
