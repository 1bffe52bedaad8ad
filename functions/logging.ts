import { Logger } from '@aws-lambda-powertools/logger';
import type { Config } from './config.js';

/** Structured JSON logs (Powertools). Callers log ids and codes only, never tokens or request bodies. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return new Logger({ serviceName: 'cognito-device-bff', logLevel: config.logLevel });
}
