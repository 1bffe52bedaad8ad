// Routes: GET /passkeys, POST /passkeys/registrations, POST /passkeys, DELETE /passkeys/{credentialId}, POST /devices,
// GET /devices. Flow: passkeys added, used to sign in, kept to their user, limited and removed.
import { readFileSync } from 'node:fs';
import {
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CognitoSignIn, DeviceBffClient, NotFoundError } from '../../client/index.js';
import type { LocalStack } from '../../local/stack.js';
import { cognitoClient, createPasswordUser, passwordToken, startTestStack } from '../support/local-stack.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';

// The caller's passkeys through the BFF (stage setting `passwordless: passkey`), checked for real by the stand-in
// against a software passkey: added in two steps, listed, used to sign in (its device confirmed and listed through
// the BFF), removed; each change an event.
describe('passkeys through the BFF', () => {
  const ORIGIN = 'http://localhost:5173';
  let passkeyStack: LocalStack;
  let bff: DeviceBffClient;
  const authenticator = new SoftAuthenticator(ORIGIN);
  const validate = new Ajv2020({
    strictSchema: true,
    strictTypes: false,
    strictRequired: false,
    validateFormats: false,
  }).compile(JSON.parse(readFileSync(new URL('../../docs/events.schema.json', import.meta.url), 'utf8')));

  beforeAll(async () => {
    passkeyStack = await startTestStack('opt-in', { passwordless: ['email_otp', 'passkey'] });
    await createPasswordUser(passkeyStack, 'ida', 'ida@example.com');
    const accessToken = await passwordToken(passkeyStack, 'ida');
    bff = new DeviceBffClient({ baseUrl: passkeyStack.api.url, accessToken: () => accessToken });
  });
  afterAll(async () => {
    await passkeyStack?.close();
  });

  /** What `act` published, as a subscriber receives it. */
  async function published(act: () => Promise<void>) {
    await passkeyStack.eventsDelivered();
    const before = passkeyStack.events.events.length;
    await act();
    await passkeyStack.eventsDelivered();
    return passkeyStack.events.events
      .slice(before)
      .map((e) => ({ source: e.source, 'detail-type': e.detailType, detail: e.detail }));
  }

  it('adds a passkey in two steps, lists it, and says so in an event', async () => {
    const events = await published(async () => {
      const options = await bff.startPasskeyRegistration();
      expect(options).toMatchObject({ rp: { id: 'localhost' }, challenge: expect.any(String) });
      const added = await bff.addPasskey(authenticator.create(options as never));
      expect(added).toEqual({ credentialId: authenticator.credentialId });
    });
    expect(events).toEqual([
      expect.objectContaining({
        'detail-type': 'Passkey added',
        detail: expect.objectContaining({ passkey: { credentialId: authenticator.credentialId } }),
      }),
    ]);
    for (const event of events) expect(validate(event), JSON.stringify(validate.errors)).toBe(true);
    expect((await bff.listPasskeys()).passkeys).toEqual([
      expect.objectContaining({
        credentialId: authenticator.credentialId,
        relyingPartyId: 'localhost',
        authenticatorAttachment: 'platform',
      }),
    ]);
  });

  it('a passkey sign-in gives a device that is confirmed through the BFF and listed as this device', async () => {
    const client = cognitoClient(passkeyStack);
    const started = await client.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_AUTH',
        ClientId: passkeyStack.clients.spa,
        AuthParameters: { USERNAME: 'ida@example.com', PREFERRED_CHALLENGE: 'WEB_AUTHN' },
      }),
    );
    const options = JSON.parse(started.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS ?? '{}');
    const signedIn = await client.send(
      new RespondToAuthChallengeCommand({
        ClientId: passkeyStack.clients.spa,
        ChallengeName: 'WEB_AUTHN',
        Session: started.Session,
        ChallengeResponses: {
          USERNAME: 'ida@example.com',
          CREDENTIAL: JSON.stringify(authenticator.get(options)),
        },
      }),
    );
    const tokens = signedIn.AuthenticationResult;
    const meta = tokens?.NewDeviceMetadata;
    if (!meta?.DeviceKey || !meta.DeviceGroupKey) throw new Error('expected a new device');
    const onDevice = new DeviceBffClient({
      baseUrl: passkeyStack.api.url,
      accessToken: () => tokens?.AccessToken ?? '',
    });
    const { device } = await onDevice.confirmNewDevice({
      deviceKey: meta.DeviceKey,
      deviceGroupKey: meta.DeviceGroupKey,
    });
    await onDevice.setDeviceStatus(device.deviceKey, 'remembered');
    expect((await onDevice.listDevices()).devices).toEqual([
      expect.objectContaining({ deviceKey: device.deviceKey, current: true }),
    ]);
  });

  it('the client signs in with the passkey, and the device it keeps proves itself: no new device', async () => {
    const cognito = new CognitoSignIn({
      userPoolId: passkeyStack.userPoolId,
      clientId: passkeyStack.clients.spa,
      endpoint: passkeyStack.cognito.url,
    });
    const passkey = async (options: Record<string, unknown>) => authenticator.get(options as never);
    const first = await cognito.signInWithPasskey({ username: 'ida@example.com', credential: passkey });
    if (first.kind !== 'signedIn' || !first.newDevice) throw new Error('expected tokens and a new device');
    expect(first.username).toBe('ida');
    const onDevice = new DeviceBffClient({
      baseUrl: passkeyStack.api.url,
      accessToken: () => first.tokens.accessToken,
    });
    const { device } = await onDevice.confirmNewDevice(first.newDevice);
    const again = await cognito.signInWithPasskey({
      username: 'ida@example.com',
      device: () => device,
      credential: passkey,
    });
    if (again.kind !== 'signedIn') throw new Error('expected tokens');
    expect(again.newDevice).toBeUndefined();
    expect(again.deviceRefused).toBe(false);
  });

  it('another user neither sees it nor removes it: Cognito keeps each user to their own', async () => {
    await createPasswordUser(passkeyStack, 'mallory');
    const token = await passwordToken(passkeyStack, 'mallory');
    const other = new DeviceBffClient({ baseUrl: passkeyStack.api.url, accessToken: () => token });
    expect((await other.listPasskeys()).passkeys).toEqual([]);
    const refused = await other.removePasskey(authenticator.credentialId).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 404, code: 'passkey_not_found' });
    expect((await bff.listPasskeys()).passkeys.map((p) => p.credentialId)).toEqual([
      authenticator.credentialId,
    ]);
  });

  it('removes it, with its event; removing it again is passkey_not_found', async () => {
    const events = await published(() => bff.removePasskey(authenticator.credentialId));
    expect(events.map((e) => e['detail-type'])).toEqual(['Passkey removed']);
    for (const event of events) expect(validate(event), JSON.stringify(validate.errors)).toBe(true);
    expect((await bff.listPasskeys()).passkeys).toEqual([]);
    const again = await bff.removePasskey(authenticator.credentialId).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(NotFoundError);
    expect(again).toMatchObject({ status: 404, code: 'passkey_not_found' });
  });

  it('a registration never started, or from another site, is refused with what to do', async () => {
    const stranger = new SoftAuthenticator(ORIGIN);
    const unstarted = await bff
      .addPasskey(stranger.create({ challenge: 'AAAA', rp: { id: 'localhost' }, user: { id: 'AAAA' } }))
      .catch((e: unknown) => e);
    expect(unstarted).toMatchObject({ status: 409, code: 'passkey_registration_expired' });
    const options = await bff.startPasskeyRegistration();
    const phished = await bff
      .addPasskey(new SoftAuthenticator('https://login.example.net').create(options as never))
      .catch((e: unknown) => e);
    expect(phished).toMatchObject({ status: 400, code: 'passkey_origin_not_allowed' });
    const invalid = await bff.addPasskey({ id: 'x' }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ status: 400, code: 'invalid_request' });
  });

  it('at the most passkeys Cognito allows a user, the next is 409 passkey_limit_reached', async () => {
    await createPasswordUser(passkeyStack, 'keys');
    const token = await passwordToken(passkeyStack, 'keys');
    const many = new DeviceBffClient({ baseUrl: passkeyStack.api.url, accessToken: () => token });
    for (let i = 0; i < 20; i++) {
      const options = await many.startPasskeyRegistration();
      await many.addPasskey(new SoftAuthenticator(ORIGIN).create(options as never));
    }
    const refused = await many.startPasskeyRegistration().catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 409, code: 'passkey_limit_reached' });
  });
});
