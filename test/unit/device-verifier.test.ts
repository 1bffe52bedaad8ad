import AuthenticationHelper from 'amazon-cognito-identity-js/lib/AuthenticationHelper.js';
import { expect, it } from 'vitest';
import { createDeviceSecretVerifier } from '../../client/device-verifier.js';

const DEVICE_KEY = 'eu-west-1_0f4e8a6b-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const GROUP_KEY = '-abcDEF123';

/** The library's own generateHashDevice, run for real; its random password and salt become our "randomness". */
function libraryDevice(): Promise<{ password: string; salt: string; verifier: string }> {
  const helper = new AuthenticationHelper(GROUP_KEY);
  return new Promise((resolve, reject) =>
    helper.generateHashDevice(GROUP_KEY, DEVICE_KEY, (error: unknown) =>
      error
        ? reject(error)
        : resolve({
            password: helper.getRandomPassword(),
            salt: helper.getSaltDevices(),
            verifier: helper.getVerifierDevices(),
          }),
    ),
  );
}

it('is byte-compatible with amazon-cognito-identity-js generateHashDevice, given the same randomness', async () => {
  for (let run = 0; run < 5; run++) {
    const library = await libraryDevice();
    const saltBytes = Buffer.from(BigInt(`0x${library.salt}`).toString(16).padStart(32, '0'), 'hex');
    const fixed = [Buffer.from(library.password, 'base64'), saltBytes];
    const ours = createDeviceSecretVerifier(DEVICE_KEY, GROUP_KEY, () => fixed.shift() ?? new Uint8Array());
    expect(ours).toEqual({
      devicePassword: library.password,
      passwordVerifier: Buffer.from(library.verifier, 'hex').toString('base64'),
      salt: Buffer.from(library.salt, 'hex').toString('base64'),
    });
  }
});

it('uses fresh secure randomness by default', () => {
  const a = createDeviceSecretVerifier(DEVICE_KEY, GROUP_KEY);
  const b = createDeviceSecretVerifier(DEVICE_KEY, GROUP_KEY);
  expect(Buffer.from(a.devicePassword, 'base64')).toHaveLength(40);
  expect(a.devicePassword).not.toBe(b.devicePassword);
  expect(a.salt).not.toBe(b.salt);
});
