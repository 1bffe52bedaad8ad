import type { PostAuthenticationTriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { DeviceEvent, EventPublisher } from '../../../functions/events/device-event.js';
import {
  makePostAuthentication,
  postAuthenticationFromEnv,
  TRIGGER_BUDGET_MS,
} from '../../../functions/triggers/post-authentication.js';
import { captureOutput } from '../../support/output-capture.js';
import { RecordingLog } from '../../support/recording-log.js';

const SUB = '00000000-0000-4000-8000-0000000000aa';
/** The event Cognito sends (Developer Guide, "Post authentication Lambda trigger"). */
const signIn = (newDeviceUsed: boolean): PostAuthenticationTriggerEvent =>
  ({
    version: '1',
    triggerSource: 'PostAuthentication_Authentication',
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_AbC123',
    userName: 'alice',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'client1' },
    request: { userAttributes: { sub: SUB, email: 'alice@example.com' }, newDeviceUsed },
    response: {},
  }) as PostAuthenticationTriggerEvent;

class Recorder implements EventPublisher {
  readonly published: DeviceEvent[] = [];
  constructor(private readonly behaviour: 'ok' | 'throw' | 'hang' = 'ok') {}
  async publish(events: readonly DeviceEvent[]) {
    if (this.behaviour === 'throw') throw new Error('bus down');
    if (this.behaviour === 'hang') await new Promise(() => {});
    this.published.push(...events);
  }
}

describe('post-authentication trigger', () => {
  it('a sign-in on a new device publishes "New device sign-in" with the user and the app client, nothing else', async () => {
    const events = new Recorder();
    const trigger = makePostAuthentication({
      events,
      log: new RecordingLog(),
      budgetMs: 1_000,
      now: () => 0,
    });
    const event = signIn(true);
    await expect(trigger(event)).resolves.toBe(event);
    expect(events.published).toEqual([
      {
        type: 'New device sign-in',
        detail: {
          version: 1,
          sub: SUB,
          clientId: 'client1',
          deviceKey: null,
          deviceName: null,
          sourceIp: null,
          userAgent: null,
          time: '1970-01-01T00:00:00.000Z',
        },
      },
    ]);
    // Not the email, nor anything else of the user's attributes.
    expect(JSON.stringify(events.published)).not.toContain('alice');
  });

  it('a sign-in on a known device publishes nothing', async () => {
    const events = new Recorder();
    await makePostAuthentication({ events, log: new RecordingLog(), budgetMs: 1_000 })(signIn(false));
    expect(events.published).toEqual([]);
  });

  it('never fails the sign-in: a publisher that throws is logged, one that hangs is given up on in time', async () => {
    const log = new RecordingLog();
    await expect(
      makePostAuthentication({ events: new Recorder('throw'), log, budgetMs: 1_000 })(signIn(true)),
    ).resolves.toMatchObject({ userName: 'alice' });
    expect(log.entries.map((e) => e.message)).toContain(
      'post-authentication trigger failed; the sign-in goes on',
    );
    // The function's own budget: a sign-in waits at most half a second for it, whatever hangs.
    expect(TRIGGER_BUDGET_MS).toBe(500);
    const started = performance.now();
    await expect(
      makePostAuthentication({ events: new Recorder('hang'), log, budgetMs: TRIGGER_BUDGET_MS })(
        signIn(true),
      ),
    ).resolves.toMatchObject({ userName: 'alice' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(TRIGGER_BUDGET_MS - 5);
    expect(performance.now() - started).toBeLessThan(TRIGGER_BUDGET_MS + 300);
    expect(log.entries.map((e) => e.message)).toContain('post-authentication work not done in time');
  });

  it('a setting it cannot read is logged, and the trigger lets every sign-in through untouched', async () => {
    const output = captureOutput();
    let trigger: ReturnType<typeof postAuthenticationFromEnv>;
    try {
      trigger = postAuthenticationFromEnv({ REMEMBER_FOR_SECONDS: 'thirty days', LOG_LEVEL: 'INFO' });
    } finally {
      output.stop();
    }
    expect(output.text()).toContain('post-authentication trigger misconfigured');
    const event = signIn(true);
    await expect(trigger(event)).resolves.toBe(event);
  });
});
