import {
  AdminUpdateDeviceStatusCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import * as z from 'zod/mini';
import { createCognitoClient } from '../cognito/client.js';
import { createEvents } from '../events/create.js';
import { createLogger } from '../logging.js';
import { makeTrustExpiry } from '../trust/expiry.js';

/** The target of the trust schedules: sets the device `not_remembered` and says so. */
const env = z
  .object({
    AWS_REGION: z._default(z.string(), 'us-east-1'),
    COGNITO_ENDPOINT: z.optional(z.url()),
    EVENT_BUS_NAME: z.optional(z.string().check(z.minLength(1))),
    EVENTS_ENDPOINT: z.optional(z.url()),
    LOG_LEVEL: z._default(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']), 'INFO'),
  })
  .parse(process.env);
const log = createLogger({ logLevel: env.LOG_LEVEL });
const cognito = createCognitoClient({
  region: env.AWS_REGION,
  endpoint: env.COGNITO_ENDPOINT,
  attemptTimeoutMs: 2_000,
  maxAttempts: 3,
});
export const handler = makeTrustExpiry({
  notRemembered: async (input) => {
    try {
      await cognito.send(
        new AdminUpdateDeviceStatusCommand({
          UserPoolId: input.userPoolId,
          Username: input.username,
          DeviceKey: input.deviceKey,
          DeviceRememberedStatus: 'not_remembered',
        }),
      );
      return 'done';
    } catch (error) {
      // Forgotten meanwhile, or its user deleted: nothing is trusted any more.
      if (error instanceof ResourceNotFoundException) return 'gone';
      if ((error as { name?: string }).name === 'UserNotFoundException') return 'gone';
      throw error;
    }
  },
  events: createEvents(
    {
      region: env.AWS_REGION,
      eventBusName: env.EVENT_BUS_NAME,
      eventsEndpoint: env.EVENTS_ENDPOINT,
      attemptTimeoutMs: 1_500,
    },
    log,
  ),
  log,
});
