import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export interface EventOptions {
  method: string;
  path: string;
  routeKey?: string;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
}

/** An API Gateway HTTP API (payload 2.0) event, as the service would deliver it. */
export function httpEvent(options: EventOptions): APIGatewayProxyEventV2 {
  const rawQueryString = new URLSearchParams(options.queryStringParameters ?? {}).toString();
  return {
    version: '2.0',
    routeKey: options.routeKey ?? `${options.method} ${options.path}`,
    rawPath: options.path,
    rawQueryString,
    headers: { 'user-agent': 'vitest', ...options.headers },
    ...(options.queryStringParameters && { queryStringParameters: options.queryStringParameters }),
    ...(options.pathParameters && { pathParameters: options.pathParameters }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api1234567',
      domainName: 'api1234567.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'api1234567',
      http: {
        method: options.method,
        path: options.path,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.7',
        userAgent: 'vitest',
      },
      requestId: 'req-0001',
      routeKey: options.routeKey ?? `${options.method} ${options.path}`,
      stage: '$default',
      time: '22/Nov/2026:10:00:00 +0000',
      timeEpoch: 1795860000000,
    },
    ...(options.body !== undefined && { body: options.body }),
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
}
