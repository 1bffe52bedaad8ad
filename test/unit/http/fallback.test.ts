import type { Context } from 'aws-lambda';
import { expect, it } from 'vitest';
import { createFallbackHandler } from '../../../functions/http/fallback.js';
import { routeList } from '../../../functions/routes.js';
import { httpEvent } from '../../support/events.js';
import { RecordingLog } from '../../support/recording-log.js';

it.each([
  ['PATCH', '/devices', 405, 'method_not_allowed', { Allow: 'POST, GET' }],
  ['GET', '/users/me', 404, 'route_not_found', {}],
] as const)(
  '%s %s → %i problem+json, with the same outcome line as every route',
  async (method, path, status, code, headers) => {
    const log = new RecordingLog();
    const res = await createFallbackHandler(routeList, log)(
      httpEvent({ method, path, routeKey: '$default' }),
      {} as Context,
    );
    expect(res.statusCode).toBe(status);
    expect(res.headers).toEqual({
      'Content-Type': 'application/problem+json',
      ...headers,
      'Cache-Control': 'no-store',
      'X-Request-Id': 'req-0001',
    });
    expect(JSON.parse(String(res.body))).toMatchObject({ status, code });
    expect(log.entries).toEqual([
      {
        level: 'info',
        message: 'request',
        extra: { requestId: 'req-0001', route: 'notFound', status, code },
      },
    ]);
  },
);
