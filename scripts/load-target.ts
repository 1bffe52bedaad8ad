/**
 * The local stack in a process of its own, driven by scripts/load.ts over IPC: it reports where it listens
 * and, on request, its memory (after a full GC when --expose-gc is given) and the CPU time it has used.
 */
import { localStageConfig } from '../local/settings.js';
import { startLocalStack } from '../local/stack.js';

const stack = await startLocalStack({
  config: { ...localStageConfig({}), deviceTracking: 'opt-in' },
  region: 'eu-west-1',
  logLevel: process.env.LOG_LEVEL ?? 'WARN',
  // The benchmark's measure of the API's own work: events written, not delivered here.
  deliverEvents: process.env.LOCAL_EVENT_DELIVERY !== 'off',
});

process.on('message', (message: { type: string }) => {
  if (message.type === 'memory') {
    globalThis.gc?.();
    // The driver may already be gone (a late sample at shutdown): nothing to report to then.
    process.send?.(
      { type: 'memory', usage: process.memoryUsage(), cpu: process.cpuUsage() },
      undefined,
      {},
      () => {},
    );
  }
  if (message.type === 'stop') void stack.close().then(() => process.exit(0));
});
process.send?.({
  type: 'ready',
  apiUrl: stack.api.url,
  cognitoUrl: stack.cognito.url,
  userPoolId: stack.userPoolId,
  clientId: stack.clients.mobile,
});
