import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { DEMO_USER } from './bootstrap.js';
import { ensurePortFree, PortInUseError, spaOrigins } from './ports.js';
import { CONNECTION_FILE, type Connection, LOCAL_DIR, localStageConfig } from './settings.js';
import { localActivity } from './spa/activity.js';
import { type SpaConfig, SpaServer } from './spa/server.js';
import { type LocalStack, startLocalStack } from './stack.js';

/**
 * `npm start`: the Cognito stand-in, the user pool the stack would create (from the same config), and the
 * local HTTP API serving the deployed handler modules. Ctrl-C stops both.
 */
const port = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new Error(`${name} must be a port number`);
  return value;
};

const started = performance.now();
const config = localStageConfig();
const region = process.env.AWS_REGION ?? 'us-east-1';
const stateFile = process.env.STATE_FILE ?? `${LOCAL_DIR}/cognito-state.json`;
const host = process.env.HOST ?? '127.0.0.1';
const ports = {
  COGNITO_PORT: port('COGNITO_PORT', 8300),
  API_PORT: port('API_PORT', 3000),
  SPA_PORT: port('SPA_PORT', 5173),
  SECRETS_PORT: port('SECRETS_PORT', 8301),
  EVENTS_PORT: port('EVENTS_PORT', 8302),
  SCHEDULER_PORT: port('SCHEDULER_PORT', 8303),
  SQS_PORT: port('SQS_PORT', 8304),
  EDGE_PORT: port('EDGE_PORT', 3001),
};
try {
  for (const [variable, value] of Object.entries(ports)) await ensurePortFree(variable, host, value);
} catch (error) {
  if (!(error instanceof PortInUseError)) throw error;
  console.error(error.message);
  process.exit(1);
}

let apiUrls: SpaConfig | undefined;
let stackForActivity: LocalStack | undefined;
const spa = await SpaServer.start({
  host,
  port: ports.SPA_PORT,
  config: () => {
    if (!apiUrls) throw new Error('the stack is not started yet');
    return apiUrls;
  },
  // The demo's activity list: this user's device events, as the bus's stand-in kept them.
  activity: localActivity({
    events: () => stackForActivity?.events.events ?? [],
    userPoolId: () => stackForActivity?.userPoolId ?? '',
    clientIds: () =>
      stackForActivity ? [stackForActivity.clients.mobile, stackForActivity.clients.spa] : [],
    jwksUri: () => stackForActivity?.cognito.jwksUri(stackForActivity.userPoolId) ?? '',
  }),
});
const stack = await startLocalStack({
  // CORS follows where the SPA really is, unless SPA_ORIGINS names the origins.
  config: process.env.SPA_ORIGINS ? config : { ...config, spaOrigins: spaOrigins(spa.url) },
  host,
  cognitoPort: ports.COGNITO_PORT,
  apiPort: ports.API_PORT,
  secretsPort: ports.SECRETS_PORT,
  eventsPort: ports.EVENTS_PORT,
  schedulerPort: ports.SCHEDULER_PORT,
  sqsPort: ports.SQS_PORT,
  edgePort: ports.EDGE_PORT,
  stateFile: stateFile === '' ? undefined : stateFile,
  region,
  log: process.env.QUIET ? undefined : (line) => console.log(`[api] ${line}`),
  enforceLimits: true,
});
stackForActivity = stack;
// One line per device event, as a subscriber to the bus would see it (the user by the start of their `sub` only).
stack.events.onEvent((event) => {
  if (!process.env.QUIET) {
    console.log(`[event] ${event.detailType} (user ${String(event.detail.sub).slice(0, 8)}…)`);
  }
});
// What Cognito would have emailed (a sign-in code): printed, and readable as JSON at /_local/messages. Local only.
stack.cognito.onMessage((message) => {
  console.log(`[email] ${message.type} code ${message.code} for ${message.to}`);
});
// With the edge on, the API lets through only what comes through it: apps get its URL, as deployed (`EdgeUrl`).
const appUrl = stack.edge?.url ?? stack.api.url;
apiUrls = {
  apiUrl: appUrl,
  cognitoUrl: stack.cognito.url,
  userPoolId: stack.userPoolId,
  clientId: stack.clients.spa,
  signInWith: config.signInWith,
  passwordless: config.passwordless,
};

const connection: Connection = {
  apiUrl: appUrl,
  cognitoUrl: stack.cognito.url,
  region,
  userPoolId: stack.userPoolId,
  clients: stack.clients,
  ...(stack.demoTotpSecret && { demoTotpSecret: stack.demoTotpSecret }),
};
mkdirSync(LOCAL_DIR, { recursive: true });
writeFileSync(CONNECTION_FILE, `${JSON.stringify(connection, null, 2)}\n`);

console.log(`
Cognito device BFF, local stack (stage ${config.stage}, sign in with ${config.signInWith === 'email' ? 'email' : 'username or email'}${
  config.passwordless.length > 0 ? ` or without a password (${config.passwordless.join(', ')})` : ''
}, device tracking ${config.deviceTracking}, MFA ${config.mfa})
  Demo SPA           ${spa.url}   (sign in with TOTP, remember this device, see and forget devices)
  API                ${stack.api.url}${
    stack.edge
      ? `   (answers only requests through the edge)\n  Edge               ${stack.edge.url}   (CloudFront's stand-in: adds the origin secret)`
      : ''
  }
  Cognito stand-in   ${stack.cognito.url}   (AWS JSON 1.1; region ${region}${
    config.passwordless.length > 0
      ? `; sign-in codes it "emails" are printed as [email] lines and listed at ${stack.cognito.url}/_local/messages`
      : ''
  })
  EventBridge        ${stack.events.url}   (PutEvents: the device events, printed as [event] lines)
  Scheduler          ${stack.scheduler.url}   (${config.rememberFor ? `remembered devices trusted for ${config.rememberFor}` : 'trust does not expire: REMEMBER_FOR=10m to try it'})
  User pool          ${stack.userPoolId}
  App clients        mobile ${stack.clients.mobile}, spa ${stack.clients.spa}
  Demo user          ${DEMO_USER.email} / ${DEMO_USER.password}${
    stack.demoTotpSecret
      ? `\n  Demo TOTP          secret ${stack.demoTotpSecret} (add it to an authenticator app), or the current code: npm run -s totp`
      : ''
  }
  State              ${stateFile || 'in memory'}

Get an access token and call the API:
  TOKEN=$(npm run -s token)
  curl -s ${appUrl}/devices -H "Authorization: Bearer $TOKEN"

Ready in ${Math.round(performance.now() - started)} ms. Ctrl-C stops.`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  await spa.close();
  await stack.close();
  rmSync(CONNECTION_FILE, { force: true });
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
