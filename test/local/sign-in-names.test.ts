// The stand-in's sign-in names (local/cognito/README.md, "Sign-in names"): pools whose users sign in with their email as
// the username (UsernameAttributes) or as an alias (AliasAttributes), in either case setting, through the unmodified SDK.
import {
  AdminCreateUserCommand,
  type AdminCreateUserCommandInput,
  AdminGetUserCommand,
  AdminListDevicesCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  ConfirmDeviceCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CognitoStandIn } from '../../local/cognito/server.js';
import { srpSignIn } from '../support/srp-client.js';

const PASSWORD = 'Passw0rd!x';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
let standIn: CognitoStandIn;
let cognito: CognitoIdentityProviderClient;

beforeAll(async () => {
  standIn = await CognitoStandIn.start({ region: 'eu-west-1' });
  cognito = new CognitoIdentityProviderClient({
    region: 'eu-west-1',
    endpoint: standIn.url,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});
afterAll(async () => {
  cognito.destroy();
  await standIn.close();
});

async function poolWith(settings: Omit<CreateUserPoolCommandInput, 'PoolName'>) {
  const { UserPool } = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: 'names',
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false },
      ...settings,
    }),
  );
  const poolId = UserPool?.Id ?? '';
  const { UserPoolClient } = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'app',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
    }),
  );
  const clientId = UserPoolClient?.ClientId ?? '';
  return {
    poolId,
    clientId,
    /** Creates a user with a permanent password; returns the username Cognito gave them. */
    async create(
      username: string,
      attributes: Record<string, string> = {},
      extra: Partial<AdminCreateUserCommandInput> = {},
    ) {
      const { User } = await cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: username,
          MessageAction: 'SUPPRESS',
          UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
          ...extra,
        }),
      );
      const real = User?.Username ?? '';
      await cognito.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: poolId,
          Username: real,
          Password: PASSWORD,
          Permanent: true,
        }),
      );
      return real;
    },
    /** USER_PASSWORD_AUTH: the tokens' claims, or the error. */
    async signIn(name: string) {
      const { AuthenticationResult } = await cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: name, PASSWORD },
        }),
      );
      return {
        access: claims(AuthenticationResult?.AccessToken),
        id: claims(AuthenticationResult?.IdToken),
        device: AuthenticationResult?.NewDeviceMetadata,
        accessToken: AuthenticationResult?.AccessToken ?? '',
      };
    },
    srp(name: string, options: { ignoreUserIdForSrp?: boolean } = {}) {
      return srpSignIn({
        cognito,
        clientId,
        poolName: poolId.split('_')[1] ?? '',
        username: name,
        password: PASSWORD,
        ...options,
      });
    },
  };
}

const claims = (jwt: string | undefined) =>
  JSON.parse(Buffer.from(jwt?.split('.')[1] ?? '', 'base64url').toString()) as Record<string, string>;

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ name: 'none', message: 'it succeeded' }),
    (error: Error) => ({ name: error.name, message: error.message }),
  );

describe('UsernameAttributes [email] (Amplify Gen 2 pools)', () => {
  it('AdminCreateUser names the user with a UUID equal to sub and keeps the email as its attribute', async () => {
    const pool = await poolWith({
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
    });
    const username = await pool.create('Ada@Example.com');
    expect(username).toMatch(UUID);
    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'ada@example.com' }),
    );
    expect(user.Username).toBe(username);
    const attributes = Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
    expect(attributes).toMatchObject({ email: 'Ada@Example.com', sub: username });
    // The sub names the user too, as the admin operations' Username documents.
    const bySub = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: username }),
    );
    expect(bySub.Username).toBe(username);
  });

  it('refuses a Username that is not an email, an email attribute that differs, and an email already in use', async () => {
    const pool = await poolWith({
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
    });
    await pool.create('grace@example.com');
    expect(await failure(pool.create('grace'))).toEqual({
      name: 'InvalidParameterException',
      message: 'Username should be an email.',
    });
    expect(await failure(pool.create('linus@example.com', { email: 'other@example.com' }))).toEqual({
      name: 'InvalidParameterException',
      message: 'User email should be empty or same as username, since username attribute is email.',
    });
    expect(await failure(pool.create('GRACE@example.com'))).toEqual({
      name: 'UsernameExistsException',
      message: 'An account with the given email already exists.',
    });
    // SignUp the same way, and its UserSub is the new username.
    const signUp = (Username: string) =>
      cognito.send(new SignUpCommand({ ClientId: pool.clientId, Username, Password: PASSWORD }));
    expect(await failure(signUp('grace@example.com'))).toMatchObject({ name: 'UsernameExistsException' });
    const { UserSub } = await signUp('joan@example.com');
    const joan = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'joan@example.com' }),
    );
    expect(joan.Username).toBe(UserSub);
  });

  it('signs in with the email, verified or not, in any case; the tokens name the UUID', async () => {
    const pool = await poolWith({
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
    });
    const username = await pool.create('katherine@example.com');
    const { access, id } = await pool.signIn('Katherine@EXAMPLE.com');
    expect(access.username).toBe(username);
    expect(access.sub).toBe(username);
    expect(id['cognito:username']).toBe(username);
    expect(id.email).toBe('katherine@example.com');
  });

  it('a case-sensitive pool knows the email only as it was given', async () => {
    const pool = await poolWith({
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: true },
    });
    await pool.create('margaret@example.com');
    expect(await failure(pool.signIn('Margaret@example.com'))).toMatchObject({
      name: 'NotAuthorizedException',
    });
    // ... so another user may hold it in other capitals.
    expect(await pool.create('Margaret@example.com')).toMatch(UUID);
  });

  it('SRP with the email: the challenge names the UUID, and only a claim computed with it signs in', async () => {
    const pool = await poolWith({
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
    });
    const username = await pool.create('barbara@example.com');
    const started = await cognito.send(
      new InitiateAuthCommand({
        ClientId: pool.clientId,
        AuthFlow: 'USER_SRP_AUTH',
        AuthParameters: { USERNAME: 'Barbara@example.com', SRP_A: 'ab'.repeat(192) },
      }),
    );
    expect(started.ChallengeParameters).toMatchObject({ USER_ID_FOR_SRP: username, USERNAME: username });
    const { result } = await pool.srp('Barbara@example.com');
    expect(claims(result.AccessToken).username).toBe(username);
    expect(await failure(pool.srp('barbara@example.com', { ignoreUserIdForSrp: true }))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  it('an unknown email looks like a user: a UUID identity and a salt that do not change between tries', async () => {
    const pool = await poolWith({
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
    });
    await pool.create('known@example.com');
    const challenge = async (name: string) => {
      const { ChallengeParameters } = await cognito.send(
        new InitiateAuthCommand({
          ClientId: pool.clientId,
          AuthFlow: 'USER_SRP_AUTH',
          AuthParameters: { USERNAME: name, SRP_A: 'ab'.repeat(192) },
        }),
      );
      return { id: ChallengeParameters?.USER_ID_FOR_SRP, salt: ChallengeParameters?.SALT };
    };
    const stranger = await challenge('nobody@example.com');
    expect(stranger.id).toMatch(UUID);
    expect(await challenge('nobody@example.com')).toEqual(stranger);
    // What a real user's answer looks like, on every try: the same shape.
    const known = await challenge('known@example.com');
    expect(await challenge('known@example.com')).toEqual(known);
    expect(known.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(stranger.salt).toMatch(/^[0-9a-f]{32}$/);
    // Each name its own, and the variant digit spread as a random UUID's is.
    const variants = new Set<string>();
    for (let i = 0; i < 64; i++)
      variants.add((await challenge(`nobody-${i}@example.com`)).id?.charAt(19) ?? '');
    expect([...variants].sort()).toEqual(['8', '9', 'a', 'b']);
    expect(await failure(pool.srp('nobody@example.com'))).toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('the admin device operations take the email and the sub; the device owner is the UUID', async () => {
    const pool = await poolWith({
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
    });
    const username = await pool.create('hedy@example.com');
    const { device, accessToken } = await pool.signIn('hedy@example.com');
    await cognito.send(
      new ConfirmDeviceCommand({
        AccessToken: accessToken,
        DeviceKey: device?.DeviceKey,
        DeviceName: 'laptop',
      }),
    );
    for (const name of ['HEDY@example.com', username]) {
      const { Devices } = await cognito.send(
        new AdminListDevicesCommand({ UserPoolId: pool.poolId, Username: name }),
      );
      expect(Devices?.map((d) => d.DeviceKey)).toEqual([device?.DeviceKey]);
      const owner = Devices?.[0]?.DeviceAttributes?.find((a) => a.Name === 'dev:device_owner')?.Value;
      expect(owner).toBe(`${username}.${pool.poolId}`);
    }
  });
});

describe('AliasAttributes [email] (the stack’s pool, signInWith username)', () => {
  it('a verified email signs the user in, an unverified one does not; the username always does', async () => {
    const pool = await poolWith({
      AliasAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
    });
    expect(await pool.create('alan', { email: 'alan@example.com', email_verified: 'true' })).toBe('alan');
    await pool.create('edsger', { email: 'edsger@example.com' });
    expect((await pool.signIn('Alan@Example.com')).access.username).toBe('alan');
    expect((await pool.signIn('ALAN')).access.username).toBe('alan');
    expect(await failure(pool.signIn('edsger@example.com'))).toMatchObject({
      name: 'NotAuthorizedException',
    });
    expect((await pool.signIn('edsger')).access.username).toBe('edsger');
    // SRP with the alias: the challenge names the username.
    const { result } = await pool.srp('alan@example.com');
    expect(claims(result.AccessToken).username).toBe('alan');
  });

  it('refuses a username that looks like an email', async () => {
    const pool = await poolWith({
      AliasAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
    });
    expect(await failure(pool.create('tim@example.com'))).toEqual({
      name: 'InvalidParameterException',
      message: 'Username cannot be of email format, since user pool is configured for email alias.',
    });
  });

  it('one verified email, one user: AliasExistsException, or ForceAliasCreation moves it', async () => {
    const pool = await poolWith({
      AliasAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
    });
    await pool.create('dennis', { email: 'shared@example.com', email_verified: 'true' });
    expect(
      await failure(pool.create('ken', { email: 'Shared@example.com', email_verified: 'true' })),
    ).toEqual({
      name: 'AliasExistsException',
      message: 'An account with the email already exists.',
    });
    // Unverified, it claims nothing.
    expect(await pool.create('brian', { email: 'shared@example.com' })).toBe('brian');
    await pool.create(
      'ken',
      { email: 'shared@example.com', email_verified: 'true' },
      { ForceAliasCreation: true },
    );
    expect((await pool.signIn('shared@example.com')).access.username).toBe('ken');
    const dennis = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'dennis' }),
    );
    expect(dennis.UserAttributes?.find((a) => a.Name === 'email_verified')?.Value).toBe('false');
  });

  it('a refused ForceAliasCreation changes nobody', async () => {
    const pool = await poolWith({
      AliasAttributes: ['email', 'preferred_username'],
      UsernameConfiguration: { CaseSensitive: false },
    });
    await pool.create('carol', {
      email: 'carol@example.com',
      email_verified: 'true',
      preferred_username: 'cc',
    });
    const attempt = pool.create(
      'mallory',
      { email: 'carol@example.com', email_verified: 'true', preferred_username: 'cc' },
      { ForceAliasCreation: true },
    );
    expect(await failure(attempt)).toMatchObject({ name: 'AliasExistsException' });
    expect((await pool.signIn('carol@example.com')).access.username).toBe('carol');
  });

  it('a preferred_username may not be another user’s username', async () => {
    const pool = await poolWith({
      AliasAttributes: ['preferred_username'],
      UsernameConfiguration: { CaseSensitive: false },
    });
    await pool.create('peggy');
    expect(await failure(pool.create('margaret', { preferred_username: 'Peggy' }))).toMatchObject({
      name: 'AliasExistsException',
    });
  });

  it('nobody verifies their own email at sign-up', async () => {
    const pool = await poolWith({
      AliasAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
    });
    const signUp = cognito.send(
      new SignUpCommand({
        ClientId: pool.clientId,
        Username: 'eve',
        Password: PASSWORD,
        UserAttributes: [
          { Name: 'email', Value: 'eve@example.com' },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    expect(await failure(signUp)).toEqual({
      name: 'InvalidParameterException',
      message: 'A client cannot set email_verified at sign-up.',
    });
  });

  it('preferred_username signs in without verification and is unique', async () => {
    const pool = await poolWith({
      AliasAttributes: ['email', 'preferred_username'],
      UsernameConfiguration: { CaseSensitive: false },
    });
    await pool.create('frances', { preferred_username: 'fran' });
    expect((await pool.signIn('Fran')).access.username).toBe('frances');
    expect(await failure(pool.create('francis', { preferred_username: 'FRAN' }))).toEqual({
      name: 'AliasExistsException',
      message: 'An account with the preferred_username already exists.',
    });
  });

  it('a case-sensitive pool matches the alias only in its own case', async () => {
    const pool = await poolWith({
      AliasAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: true },
    });
    await pool.create('john', { email: 'john@example.com', email_verified: 'true' });
    expect((await pool.signIn('john@example.com')).access.username).toBe('john');
    expect(await failure(pool.signIn('John@example.com'))).toMatchObject({ name: 'NotAuthorizedException' });
    expect(await failure(pool.signIn('John'))).toMatchObject({ name: 'NotAuthorizedException' });
  });
});

describe('any pool', () => {
  it('names that every JavaScript object has are ordinary names', async () => {
    const pool = await poolWith({});
    expect(
      await failure(cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'toString' }))),
    ).toEqual({
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
    expect(await pool.create('constructor')).toBe('constructor');
    expect((await pool.signIn('constructor')).access.username).toBe('constructor');
  });

  it('a challenge answered in the name of another user is refused, in the user’s own names accepted', async () => {
    const pool = await poolWith({ AliasAttributes: ['email'] });
    await pool.create('alice', { email: 'alice@example.com', email_verified: 'true' });
    await pool.create('bob');
    const answeredAs = (name: string) =>
      srpSignIn({
        cognito,
        clientId: pool.clientId,
        poolName: pool.poolId.split('_')[1] ?? '',
        username: 'alice',
        password: PASSWORD,
        answerAs: name,
      });
    expect(await failure(answeredAs('bob'))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    expect(claims((await answeredAs('alice@example.com')).result.AccessToken).username).toBe('alice');
  });
});
