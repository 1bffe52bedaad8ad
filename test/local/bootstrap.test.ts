// The local pool is the stack's pool: npm start's bootstrap, as a stage's settings change between starts.
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapPool, DEMO_USER } from '../../local/bootstrap.js';
import { CognitoStandIn } from '../../local/cognito/server.js';
import { passwordSignIn } from '../../local/users.js';

let standIn: CognitoStandIn;
beforeAll(async () => {
  standIn = await CognitoStandIn.start({ region: 'eu-west-1' });
});
afterAll(async () => {
  await standIn.close();
});

const stage = { stage: 'dev', deviceTracking: 'opt-in', mfa: 'off', usernameCaseSensitive: false } as const;

async function demoSignsIn(clientId: string, name: string) {
  const cognito = new CognitoIdentityProviderClient({ region: 'eu-west-1', endpoint: standIn.url });
  const { AccessToken } = await passwordSignIn(cognito, {
    clientId,
    username: name,
    password: DEMO_USER.password,
  });
  cognito.destroy();
  return JSON.parse(Buffer.from(AccessToken.split('.')[1] ?? '', 'base64url').toString()).username as string;
}

describe('bootstrapPool', () => {
  it('makes the sign-in the stage asks for, and replaces the pool when it changes, as CloudFormation would', async () => {
    const logged: string[] = [];
    const log = (line: string) => logged.push(line);
    const byUsername = await bootstrapPool(
      standIn.url,
      standIn.store,
      { ...stage, signInWith: 'username' },
      'eu-west-1',
      undefined,
      log,
    );
    expect(standIn.store.data.pools[byUsername.userPoolId]?.settings).toMatchObject({
      AliasAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
    });
    // The demo user signs in with the email (a verified alias) and the username.
    expect(await demoSignsIn(byUsername.clients.spa, DEMO_USER.email)).toBe('demo');
    expect(await demoSignsIn(byUsername.clients.spa, 'Demo')).toBe('demo');
    // Started again with the same settings: the same pool, nothing replaced.
    const again = await bootstrapPool(
      standIn.url,
      standIn.store,
      { ...stage, signInWith: 'username' },
      'eu-west-1',
      undefined,
      log,
    );
    expect(again.userPoolId).toBe(byUsername.userPoolId);
    expect(logged).toEqual([]);

    const byEmail = await bootstrapPool(
      standIn.url,
      standIn.store,
      { ...stage, signInWith: 'email' },
      'eu-west-1',
      undefined,
      log,
    );
    expect(byEmail.userPoolId).not.toBe(byUsername.userPoolId);
    expect(standIn.store.data.pools[byUsername.userPoolId]).toBeUndefined();
    expect(logged).toEqual([
      expect.stringContaining(`differ from the local pool ${byUsername.userPoolId}'s: it is replaced`),
    ]);
    expect(standIn.store.data.pools[byEmail.userPoolId]?.settings).toMatchObject({
      UsernameAttributes: ['email'],
    });
    expect(await demoSignsIn(byEmail.clients.spa, 'DEMO@example.com')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives a local pool from before the email alias the alias, keeping its users', async () => {
    const logged: string[] = [];
    const quiet = () => undefined;
    const old = await bootstrapPool(
      standIn.url,
      standIn.store,
      { ...stage, stage: 'old' },
      'eu-west-1',
      undefined,
      quiet,
    );
    const pool = standIn.store.data.pools[old.userPoolId];
    if (!pool) throw new Error('no pool');
    delete pool.settings.AliasAttributes;
    const again = await bootstrapPool(
      standIn.url,
      standIn.store,
      { ...stage, stage: 'old' },
      'eu-west-1',
      undefined,
      (line) => logged.push(line),
    );
    expect(again.userPoolId).toBe(old.userPoolId);
    expect(logged).toEqual([expect.stringContaining('now lets users sign in with their verified email')]);
    expect(await demoSignsIn(again.clients.spa, DEMO_USER.email)).toBe('demo');
  });
});
