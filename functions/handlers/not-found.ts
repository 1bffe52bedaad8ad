import { loadConfig } from '../config.js';
import { createFallbackHandler } from '../http/fallback.js';
import { createLogger } from '../logging.js';
import { routeList } from '../routes.js';

export const handler = createFallbackHandler(routeList, createLogger(loadConfig(process.env)));
