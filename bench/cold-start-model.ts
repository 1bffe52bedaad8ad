/**
 * `npm run bench:model`: functions per route, grouped, or one? A seeded simulation of user sessions arriving at
 * random (Poisson) against Lambda execution environments, with the cold init times `npm run bench` measured
 * (bench/results.json). It reports, for each traffic level and design, the expected cold starts per session and
 * the p99 of the latency that cold starts add to a session. `npm run bench` also writes it to docs/performance.md.
 *
 * The designs: one function per route; the stack's grouping (functions/routes.ts `functionOf`: `api` and
 * `forgetOthers`, plus `apiAdmin` with the full device view); and one function for every route.
 *
 * Lambda keeps an idle execution environment for a time it does not document ("Lambda execution environment
 * lifecycle": environments are reused for an undetermined period); the model runs with 5 and 15 minutes.
 * An environment serves one request at a time; a request finding no idle, unexpired environment of its
 * function starts a new one and pays that function's init.
 */
import { readFileSync } from 'node:fs';
import { functionOf, type RouteId, routes } from '../functions/routes.js';

/**
 * The sessions of apps that use the BFF: which routes, when (seconds from the session's start), how often. The
 * shares are assumptions (no traffic to learn them from): most sessions list, some confirm a new device, a few manage
 * devices, and securing the account (forget the others, end every session) is rare.
 */
export const sessionShapes = [
  {
    name: 'new device: confirm, remember, list',
    share: 0.3,
    requests: [
      ['confirmDevice', 0],
      ['updateDeviceStatus', 4],
      ['listDevices', 6],
    ],
  },
  { name: 'returning user: list', share: 0.48, requests: [['listDevices', 0]] },
  {
    name: 'managing devices: list, forget one, list',
    share: 0.2,
    requests: [
      ['listDevices', 0],
      ['forgetDevice', 8],
      ['listDevices', 9],
    ],
  },
  {
    name: 'securing the account: list, forget the others, sign out everywhere',
    share: 0.02,
    requests: [
      ['listDevices', 0],
      ['forgetOtherDevices', 5],
      ['signOutEverywhere', 10],
    ],
  },
] as const satisfies ReadonlyArray<{
  name: string;
  share: number;
  requests: ReadonlyArray<readonly [RouteId, number]>;
}>;

export const designs = ['perRoute', 'grouped', 'groupedFullView', 'single'] as const;
export type Design = (typeof designs)[number];

/** The benchmark's cold-init variant names (bench/run.ts measures each). */
export const SINGLE = 'single function';
export const routeVariant = (route: RouteId) => `route ${route}`;
export const groupedVariant = (fn: string, fullDeviceView: boolean) =>
  `${fn}${fullDeviceView ? ' (full view)' : ''}`;

/** The function (cold-init variant) a route runs in under each design. */
export function variantOf(design: Design, route: RouteId): string {
  switch (design) {
    case 'perRoute':
      return routeVariant(route);
    case 'grouped':
      return groupedVariant(functionOf(routes[route], false), false);
    case 'groupedFullView':
      return groupedVariant(functionOf(routes[route], true), true);
    case 'single':
      return SINGLE;
  }
}

/** Warm handling time of one request (ms): the function and Cognito's answer; occupies the environment. */
const WARM_REQUEST_MS = 60;
/** At least six hours, and long enough for 20,000 sessions, so that a p99 is a p99 even at 0.1 sessions a minute. */
const SIMULATED_HOURS = 6;
const MIN_SESSIONS = 20_000;
const hoursFor = (sessionsPerMinute: number) =>
  Math.max(SIMULATED_HOURS, MIN_SESSIONS / sessionsPerMinute / 60);

export interface ModelInputs {
  /** What a cold start adds per variant (ms: Node's start, init, the first request's extra). */
  readonly initMs: Readonly<Record<string, number>>;
}

export interface Outcome {
  readonly coldPerSession: number;
  readonly p99AddedMs: number;
}

export interface ModelRow {
  readonly sessionsPerMinute: number;
  readonly idleMinutes: number;
  readonly outcomes: Readonly<Record<Design, Outcome>>;
}

/** Deterministic pseudo-random numbers (mulberry32), so the table only changes when the inputs do. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Scenario {
  readonly sessionsPerMinute: number;
  readonly idleMinutes: number;
  readonly design: Design;
  readonly hours?: number;
}

export function simulate(
  inputs: ModelInputs,
  { sessionsPerMinute, idleMinutes, design, hours = hoursFor(sessionsPerMinute) }: Scenario,
): Outcome {
  const rand = random(42 + sessionsPerMinute);
  const idleMs = idleMinutes * 60_000;
  const end = hours * 3_600_000;
  // Every request of every session, in time order.
  const requests: Array<{ at: number; fn: string; session: number }> = [];
  const fnOf = new Map<RouteId, string>();
  for (const route of Object.keys(routes) as RouteId[]) fnOf.set(route, variantOf(design, route));
  let t = 0;
  let sessions = 0;
  while (t < end) {
    t += (-Math.log(1 - rand()) / sessionsPerMinute) * 60_000;
    const pick = rand();
    let cumulative = 0;
    const shape =
      sessionShapes.find((s) => {
        cumulative += s.share;
        return pick < cumulative;
      }) ?? sessionShapes[0];
    for (const [route, offset] of shape.requests)
      requests.push({ at: t + offset * 1_000, fn: fnOf.get(route) ?? route, session: sessions });
    sessions++;
  }
  requests.sort((a, b) => a.at - b.at);
  // Per function: environments as [busy until, last finished].
  const pools = new Map<string, Array<{ busyUntil: number; lastUsed: number }>>();
  const added = new Float64Array(sessions);
  let colds = 0;
  for (const r of requests) {
    const pool = pools.get(r.fn) ?? [];
    pools.set(r.fn, pool);
    const warm = pool.find((e) => e.busyUntil <= r.at && r.at - e.lastUsed <= idleMs);
    let env = warm;
    let extra = 0;
    if (!env) {
      // Expired environments are gone; a new one pays its init first.
      for (let i = pool.length - 1; i >= 0; i--)
        if (r.at - (pool[i]?.lastUsed ?? 0) > idleMs) pool.splice(i, 1);
      extra = inputs.initMs[r.fn] ?? Number.NaN;
      env = { busyUntil: 0, lastUsed: 0 };
      pool.push(env);
      colds++;
    }
    env.busyUntil = r.at + extra + WARM_REQUEST_MS;
    env.lastUsed = env.busyUntil;
    added[r.session] = (added[r.session] ?? 0) + extra;
  }
  const sorted = Array.from(added).sort((a, b) => a - b);
  return {
    coldPerSession: colds / sessions,
    p99AddedMs: sorted[Math.floor(0.99 * (sorted.length - 1))] ?? 0,
  };
}

export function model(inputs: ModelInputs): ModelRow[] {
  const rows: ModelRow[] = [];
  for (const idleMinutes of [5, 15]) {
    for (const sessionsPerMinute of [0.1, 1, 10, 100, 1_000]) {
      const outcomes = Object.fromEntries(
        designs.map((design) => [design, simulate(inputs, { sessionsPerMinute, idleMinutes, design })]),
      ) as Record<Design, Outcome>;
      rows.push({ sessionsPerMinute, idleMinutes, outcomes });
    }
  }
  return rows;
}

const designNames: Record<Design, string> = {
  perRoute: 'per route',
  grouped: 'grouped',
  groupedFullView: 'grouped, full view',
  single: 'one function',
};

export function modelTable(rows: readonly ModelRow[]): string[] {
  const names = designs.map((d) => designNames[d]).join(' / ');
  const lines = [
    `| Sessions/min | Idle lifetime | Cold starts per session: ${names} | p99 added per session (ms): ${names} |`,
    '|---|---|---|---|',
  ];
  for (const r of rows) {
    const cold = designs.map((d) => r.outcomes[d].coldPerSession.toFixed(3)).join(' / ');
    const p99 = designs.map((d) => r.outcomes[d].p99AddedMs.toFixed(0)).join(' / ');
    lines.push(`| ${r.sessionsPerMinute} | ${r.idleMinutes} min | ${cold} | ${p99} |`);
  }
  return lines;
}

/**
 * The model's inputs from a benchmark's results (bench/results.json). A cold start costs Node's own start
 * (`bootMs`, the same in every design), the function's measured init, and what its first request takes beyond a
 * warm one (`firstRequestExtraMs`, measured on GET /devices: a route alone pays what list pays alone; the grouped
 * functions, which build several routes, what the one function pays).
 */
export function inputsFrom(results: {
  cold: Record<string, { median: number }>;
  bootMs: { median: number };
  firstRequestExtraMs: Record<string, { median: number }>;
}): ModelInputs {
  const alone = results.firstRequestExtraMs[routeVariant('listDevices')]?.median ?? Number.NaN;
  const grouped = results.firstRequestExtraMs[SINGLE]?.median ?? Number.NaN;
  const initMs = Object.fromEntries(
    Object.entries(results.cold).map(([name, s]) => [
      name,
      results.bootMs.median + (name.startsWith('route ') ? alone : grouped) + s.median,
    ]),
  );
  return { initMs };
}

if (import.meta.main) {
  const results = JSON.parse(readFileSync(new URL('./results.json', import.meta.url), 'utf8'));
  console.log(modelTable(model(inputsFrom(results))).join('\n'));
}
