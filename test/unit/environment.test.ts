import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config.js';
import {
  ConfigError,
  Delivery,
  Edge,
  Logging,
  parseEnvironment,
  Region,
  Rotation,
  required,
  Secrets,
  Trust,
} from '../../functions/environment.js';
import { variableNames } from '../../functions/environment-names.js';
import { targetRuntime } from '../../functions/target-runtime.js';
import { trustChecks, trustRecords, trustSettings } from '../../functions/trust/settings.js';
import {
  apiVariables,
  deliveryVariables,
  edgeVariables,
  loggingVariables,
  rotationVariables,
  trustVariables,
} from '../../infra/function-environment.js';

const POOL = 'eu-west-1_AbC123';
const trust = {
  rememberForSeconds: 3_600,
  group: 'cognito-device-bff-test',
  roleArn: 'arn:aws:iam::123456789012:role/scheduler',
  expiryArn: 'arn:aws:lambda:eu-west-1:123456789012:function:expiry',
  checkArn: 'arn:aws:lambda:eu-west-1:123456789012:function:check',
};

describe('the environment contract: what the writer sets, each function parses', () => {
  it('an API function: the pool, clients, routes, view, cursor key, edge, events and trust', () => {
    const config = loadConfig({
      ...apiVariables({
        userPoolId: POOL,
        clientIds: ['client1', 'client2'],
        logLevel: 'WARN',
        deviceVisibility: 'all',
        cursorKeySecretId: 'cursor-key',
        behindEdge: true,
        routes: ['listDevices', 'getDevice'],
        deviceEvents: true,
      }),
      ...trustVariables(trust),
    });
    expect(config).toMatchObject({
      userPoolId: POOL,
      region: 'eu-west-1',
      appClientIds: ['client1', 'client2'],
      logLevel: 'WARN',
      deviceVisibility: 'all',
      cursorKeySecretId: 'cursor-key',
      viewerAddress: 'cloudfront',
      routes: ['listDevices', 'getDevice'],
      deviceEvents: true,
      trust: { rememberForSeconds: 3_600, group: trust.group, expiryArn: trust.expiryArn },
    });
  });

  it('an API function without trust or events writes neither, and parses to none', () => {
    const written = apiVariables({ userPoolId: POOL, clientIds: ['client1'], logLevel: 'INFO' });
    expect(Object.keys(written).some((name) => name.startsWith('TRUST_') || name === 'DEVICE_EVENTS')).toBe(
      false,
    );
    const config = loadConfig(written);
    expect(config.trust).toBeUndefined();
    expect(config.deviceEvents).toBe(false);
    expect(config.routes).toBeUndefined();
  });

  it("the functions beside the API read their trust settings, and nothing of the API's", () => {
    const { trust: settings, cognito } = targetRuntime({
      AWS_REGION: 'eu-west-1',
      ...loggingVariables('INFO'),
      ...trustVariables(trust),
    });
    expect(settings).toMatchObject({ region: 'eu-west-1', group: trust.group, checkArn: trust.checkArn });
    expect(cognito.region).toBe('eu-west-1');
    // The trigger makes checks; without the check's ARN it could not.
    expect(settings && trustChecks(settings, 500)).toBeDefined();
    const { checkArn: _, ...withoutCheck } = trust;
    const noCheck = parsedTrust(withoutCheck);
    if (!noCheck) throw new Error('trust settings expected');
    expect(() => trustChecks(noCheck, 500)).toThrow('TRUST_CHECK_ARN is required with REMEMBER_FOR_SECONDS');
  });

  it('the expiry needs no role or target (it writes no record); a function that writes records does', () => {
    const { roleArn: _, ...withoutRole } = trust;
    const expiry = parsedTrust(withoutRole);
    if (!expiry) throw new Error('trust settings expected');
    expect(() => trustRecords(expiry, { writes: false })).not.toThrow();
    expect(() => trustRecords(expiry)).toThrow('TRUST_ROLE_ARN is required with REMEMBER_FOR_SECONDS');
  });

  it('the edge authorizer reads its secret and region only: no pool, no clients', () => {
    const env = parseEnvironment(
      { ...Region, ...Logging, ...Secrets, ...Edge },
      { AWS_REGION: 'us-east-1', ...loggingVariables('INFO'), ...edgeVariables('origin-secret') },
    );
    expect(env.ORIGIN_SECRET_ID).toBe('origin-secret');
    expect(() => parseEnvironment(Edge, {})).toThrow(ConfigError);
  });

  it('the delivery and the rotation parse what the construct writes them', () => {
    const delivery = parseEnvironment(
      { ...Region, ...Logging, ...Delivery },
      deliveryVariables({
        busName: 'default',
        retryQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/q',
        userPoolId: POOL,
      }),
    );
    expect(delivery).toMatchObject({ EVENT_BUS_NAME: 'default', USER_POOL_ID: POOL });
    expect(parseEnvironment({ ...Region, ...Rotation }, rotationVariables('E123')).DISTRIBUTION_ID).toBe(
      'E123',
    );
  });

  it('a bad value is named by its variable, never echoed with the rest of the environment', () => {
    expect(() =>
      loadConfig({ USER_POOL_ID: 'not-a-pool', APP_CLIENT_IDS: 'c', SECRET_THING: 'hunter2' }),
    ).toThrow(/^Invalid environment: USER_POOL_ID: /);
    try {
      loadConfig({ USER_POOL_ID: 'not-a-pool', APP_CLIENT_IDS: 'c', SECRET_THING: 'hunter2' });
    } catch (error) {
      expect(String(error)).not.toContain('hunter2');
    }
  });

  it('`required` names what is missing and why', () => {
    expect(required('x', 'A')).toBe('x');
    expect(() => required(undefined, 'CURSOR_KEY_SECRET_ID')).toThrow(
      'Invalid environment: CURSOR_KEY_SECRET_ID is required by this function',
    );
    expect(() => required('', 'A', 'here')).toThrow('A is required here');
  });

  it('names every variable once per concern, in upper snake case', () => {
    for (const names of Object.values(variableNames)) {
      expect(new Set(names).size).toBe(names.length);
      for (const name of names) expect(name).toMatch(/^[A-Z][A-Z0-9_]*$/);
    }
  });
});

/** `rememberFor`'s settings as the writer sets them and a function parses them, in eu-west-1. */
const parsedTrust = (props: Parameters<typeof trustVariables>[0]) =>
  trustSettings(
    parseEnvironment({ ...Region, ...Trust }, { AWS_REGION: 'eu-west-1', ...trustVariables(props) }),
  );
