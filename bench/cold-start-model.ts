/**
 * `npm run bench:model`: per-route functions or one function? A seeded simulation of user sessions arriving at
 * random (Poisson) against Lambda execution environments, with the cold init times `npm run bench` measured
 * (bench/results.json). It reports, for each traffic level and design, the expected cold starts per session and
 * the p99 of the latency that cold starts add to a session. `npm run bench` also writes it to BENCHMARKS.md.
 *
 * Lambda keeps an idle execution environment for a time it does not document ("Lambda execution environment
 * lifecycle": environments are reused for an undetermined period); the model runs with 5 and 15 minutes.
 * An environment serves one request at a time; a request finding no idle, unexpired environment of its
 * function starts a new one and pays that function's init.
 */
import { readFileSync } from 'node:fs';

/** The remembered-device flow's sessions: which routes, when (seconds from the session's start), how often. */
export const sessionShapes = [
  {
    name: 'new device: confirm, remember, list',
    share: 0.3,
    requests: [
      ['confirm-device', 0],
      ['update-device-status', 4],
      ['list-devices', 6],
    ],
  },
  { name: 'returning user: list', share: 0.5, requests: [['list-devices', 0]] },
  {
    name: 'managing devices: list, forget one, list',
    share: 0.2,
    requests: [
      ['list-devices', 0],
      ['forget-device', 8],
      ['list-devices', 9],
    ],
  },
] as const satisfies ReadonlyArray<{
  name: string;
  share: number;
  requests: ReadonlyArray<readonly [string, number]>;
}>;

/** Warm handling time of one request (ms): the function and Cognito's answer; occupies the environment. */
const WARM_REQUEST_MS = 60;
/** At least six hours, and long enough for 20,000 sessions, so that a p99 is a p99 even at 0.1 sessions a minute. */
const SIMULATED_HOURS = 6;
const MIN_SESSIONS = 20_000;
const hoursFor = (sessionsPerMinute: number) =>
  Math.max(SIMULATED_HOURS, MIN_SESSIONS / sessionsPerMinute / 60);

export interface ModelInputs {
  /** What a cold start adds per function (ms: Node's start, init, the first request's extra), and for the single function. */
  readonly initMs: Readonly<Record<string, number>>;
  readonly singleFunctionInitMs: number;
}

export interface ModelRow {
  readonly sessionsPerMinute: number;
  readonly idleMinutes: number;
  readonly perRoute: { coldPerSession: number; p99AddedMs: number };
  readonly single: { coldPerSession: number; p99AddedMs: number };
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
  readonly design: 'perRoute' | 'single';
  readonly hours?: number;
}

export function simulate(
  inputs: ModelInputs,
  { sessionsPerMinute, idleMinutes, design, hours = hoursFor(sessionsPerMinute) }: Scenario,
): { coldPerSession: number; p99AddedMs: number } {
  const rand = random(42 + sessionsPerMinute);
  const idleMs = idleMinutes * 60_000;
  const end = hours * 3_600_000;
  // Every request of every session, in time order.
  const requests: Array<{ at: number; fn: string; session: number }> = [];
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
    for (const [fn, offset] of shape.requests)
      requests.push({ at: t + offset * 1_000, fn, session: sessions });
    sessions++;
  }
  requests.sort((a, b) => a.at - b.at);
  // Per function (or the one function): environments as [busy until, last finished].
  const pools = new Map<string, Array<{ busyUntil: number; lastUsed: number }>>();
  const added = new Float64Array(sessions);
  let colds = 0;
  for (const r of requests) {
    const key = design === 'single' ? 'single' : r.fn;
    const pool = pools.get(key) ?? [];
    pools.set(key, pool);
    const warm = pool.find((e) => e.busyUntil <= r.at && r.at - e.lastUsed <= idleMs);
    let env = warm;
    let extra = 0;
    if (!env) {
      // Expired environments are gone; a new one pays its init first.
      for (let i = pool.length - 1; i >= 0; i--)
        if (r.at - (pool[i]?.lastUsed ?? 0) > idleMs) pool.splice(i, 1);
      extra = design === 'single' ? inputs.singleFunctionInitMs : (inputs.initMs[r.fn] ?? 0);
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
      rows.push({
        sessionsPerMinute,
        idleMinutes,
        perRoute: simulate(inputs, { sessionsPerMinute, idleMinutes, design: 'perRoute' }),
        single: simulate(inputs, { sessionsPerMinute, idleMinutes, design: 'single' }),
      });
    }
  }
  return rows;
}

export function modelTable(rows: readonly ModelRow[]): string[] {
  const lines = [
    '| Sessions/min | Idle lifetime | Cold starts per session: per-route / one function | p99 added per session (ms): per-route / one function |',
    '|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.sessionsPerMinute} | ${r.idleMinutes} min | ${r.perRoute.coldPerSession.toFixed(3)} / ${r.single.coldPerSession.toFixed(3)} | ${r.perRoute.p99AddedMs.toFixed(0)} / ${r.single.p99AddedMs.toFixed(0)} |`,
    );
  }
  return lines;
}

/**
 * The model's inputs from a benchmark's results (bench/results.json). A cold start costs Node's own start
 * (`bootMs`, the same in either design), the function's measured init, and what its first request takes
 * beyond a warm one (`firstRequestExtraMs`, measured on GET /devices; every per-route function is taken to
 * pay what list-devices pays).
 */
export function inputsFrom(results: {
  cold: Record<string, { median: number }>;
  bootMs: { median: number };
  firstRequestExtraMs: Record<string, { median: number }>;
}): ModelInputs {
  const perRouteExtra =
    results.bootMs.median + (results.firstRequestExtraMs['list-devices']?.median ?? Number.NaN);
  const singleExtra =
    results.bootMs.median + (results.firstRequestExtraMs['single function']?.median ?? Number.NaN);
  const initMs = Object.fromEntries(
    Object.entries(results.cold).map(([name, s]) => [name, perRouteExtra + s.median]),
  );
  return {
    initMs,
    singleFunctionInitMs: singleExtra + (results.cold['single function']?.median ?? Number.NaN),
  };
}

if (import.meta.main) {
  const results = JSON.parse(readFileSync(new URL('./results.json', import.meta.url), 'utf8'));
  console.log(modelTable(model(inputsFrom(results))).join('\n'));
}
