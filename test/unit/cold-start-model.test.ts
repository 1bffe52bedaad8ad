import { describe, expect, it } from 'vitest';
import {
  inputsFrom,
  type ModelInputs,
  model,
  sessionShapes,
  simulate,
} from '../../bench/cold-start-model.js';

const inputs: ModelInputs = {
  initMs: {
    'confirm-device': 100,
    'update-device-status': 100,
    'list-devices': 100,
    'forget-device': 100,
  },
  singleFunctionInitMs: 100,
};
/** Distinct functions a session of each shape touches, weighted by how often the shape occurs. */
const distinctFunctionsPerSession = sessionShapes.reduce(
  (sum, shape) => sum + shape.share * new Set(shape.requests.map(([fn]) => fn)).size,
  0,
);

describe('cold-start model (bench/cold-start-model.ts)', () => {
  it('session shares add up to every session', () => {
    expect(sessionShapes.reduce((sum, s) => sum + s.share, 0)).toBeCloseTo(1, 10);
  });

  it('with sessions far apart, every function a session touches starts cold, and one function starts once', () => {
    const rare = { sessionsPerMinute: 0.01, idleMinutes: 5, hours: 24 * 60 };
    const perRoute = simulate(inputs, { ...rare, design: 'perRoute' });
    const single = simulate(inputs, { ...rare, design: 'single' });
    // One session in twenty finds the last one's environments still warm (5 min at 0.01/min), hence the margin.
    expect(Math.abs(perRoute.coldPerSession - distinctFunctionsPerSession)).toBeLessThan(0.15);
    expect(Math.abs(single.coldPerSession - 1)).toBeLessThan(0.1);
    // The p99 session touches three functions (new device), one init each; one function pays one init.
    expect(perRoute.p99AddedMs).toBe(300);
    expect(single.p99AddedMs).toBe(100);
  });

  it('with steady traffic, environments stay warm and cold starts per session vanish', () => {
    const busy = { sessionsPerMinute: 1_000, idleMinutes: 5, hours: 1 };
    expect(simulate(inputs, { ...busy, design: 'perRoute' }).coldPerSession).toBeLessThan(0.001);
    expect(simulate(inputs, { ...busy, design: 'single' }).p99AddedMs).toBe(0);
  });

  it('a longer idle lifetime never adds cold starts, and the table is the same for the same inputs', () => {
    const rows = model(inputs);
    for (const r of rows.filter((row) => row.idleMinutes === 15)) {
      const short = rows.find((s) => s.idleMinutes === 5 && s.sessionsPerMinute === r.sessionsPerMinute);
      expect(r.perRoute.coldPerSession).toBeLessThanOrEqual(short?.perRoute.coldPerSession ?? 0);
    }
    expect(model(inputs)).toEqual(rows);
  });

  it('a cold start costs Node’s own start, the measured init and the first request’s extra time', () => {
    const from = inputsFrom({
      cold: {
        'list-devices': { median: 70 },
        'confirm-device': { median: 75 },
        'single function': { median: 80 },
      },
      bootMs: { median: 25 },
      firstRequestExtraMs: { 'list-devices': { median: 20 }, 'single function': { median: 22 } },
    });
    expect(from.initMs['list-devices']).toBe(115);
    expect(from.initMs['confirm-device']).toBe(120);
    expect(from.singleFunctionInitMs).toBe(127);
  });
});
