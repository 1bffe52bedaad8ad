import { describe, expect, it } from 'vitest';
import {
  designs,
  groupedVariant,
  inputsFrom,
  type ModelInputs,
  model,
  routeVariant,
  SINGLE,
  sessionShapes,
  simulate,
  variantOf,
} from '../../bench/cold-start-model.js';
import { functionsOf, type RouteId, routeList } from '../../functions/routes.js';

/** Every variant the designs use, each costing 100 ms. */
const variants = new Set(designs.flatMap((d) => routeList.map((r) => variantOf(d, r.id as RouteId))));
const inputs: ModelInputs = { initMs: Object.fromEntries([...variants].map((v) => [v, 100])) };
/** Distinct functions a session of each shape touches under a design, weighted by how often the shape occurs. */
const distinctPerSession = (design: (typeof designs)[number]) =>
  sessionShapes.reduce(
    (sum, shape) =>
      sum + shape.share * new Set(shape.requests.map(([route]) => variantOf(design, route))).size,
    0,
  );

describe('cold-start model (bench/cold-start-model.ts)', () => {
  it('session shares add up to every session', () => {
    expect(sessionShapes.reduce((sum, s) => sum + s.share, 0)).toBeCloseTo(1, 10);
  });

  it('the grouped designs follow the route table: the functions the stack deploys, nothing else', () => {
    for (const fullView of [false, true]) {
      const design = fullView ? 'groupedFullView' : 'grouped';
      const expected = [...functionsOf(fullView).keys()].map((fn) => groupedVariant(fn, fullView));
      const used = new Set(routeList.map((r) => variantOf(design, r.id as RouteId)));
      expect([...used].sort()).toEqual(expected.sort());
    }
    expect(variantOf('perRoute', 'listDevices')).toBe(routeVariant('listDevices'));
    expect(variantOf('single', 'forgetOtherDevices')).toBe(SINGLE);
  });

  it('with sessions far apart, every function a session touches starts cold, and one function starts once', () => {
    const rare = { sessionsPerMinute: 0.01, idleMinutes: 5, hours: 24 * 60 };
    for (const design of designs) {
      const outcome = simulate(inputs, { ...rare, design });
      // One session in twenty finds the last one's environments still warm (5 min at 0.01/min), hence the margin.
      expect(Math.abs(outcome.coldPerSession - distinctPerSession(design)), design).toBeLessThan(0.15);
    }
    // The p99 session touches three functions per route (new device), one init each; one function pays one init.
    expect(simulate(inputs, { ...rare, design: 'perRoute' }).p99AddedMs).toBe(300);
    expect(simulate(inputs, { ...rare, design: 'single' }).p99AddedMs).toBe(100);
    // Grouped, a new device's session stays in `api`: one init. But more than 1% of sessions also forget the other
    // devices, in `forgetOthers`: the p99 session is one of those, two inits.
    const securing = sessionShapes.find((shape) =>
      shape.requests.some(([route]) => route === 'forgetOtherDevices'),
    );
    expect(securing?.share).toBeGreaterThan(0.01);
    expect(simulate(inputs, { ...rare, design: 'grouped' }).p99AddedMs).toBe(200);
  });

  it('with steady traffic, environments stay warm and cold starts per session vanish', () => {
    const busy = { sessionsPerMinute: 1_000, idleMinutes: 5, hours: 1 };
    expect(simulate(inputs, { ...busy, design: 'perRoute' }).coldPerSession).toBeLessThan(0.001);
    expect(simulate(inputs, { ...busy, design: 'grouped' }).p99AddedMs).toBe(0);
    expect(simulate(inputs, { ...busy, design: 'single' }).p99AddedMs).toBe(0);
  });

  it('a longer idle lifetime never adds cold starts, and the table is the same for the same inputs', () => {
    const rows = model(inputs);
    for (const r of rows.filter((row) => row.idleMinutes === 15)) {
      const short = rows.find((s) => s.idleMinutes === 5 && s.sessionsPerMinute === r.sessionsPerMinute);
      for (const design of designs) {
        expect(r.outcomes[design].coldPerSession).toBeLessThanOrEqual(
          short?.outcomes[design].coldPerSession ?? 0,
        );
      }
    }
    expect(model(inputs)).toEqual(rows);
  });

  it('a cold start costs Node’s own start, the measured init and the first request’s extra time', () => {
    const from = inputsFrom({
      cold: {
        [routeVariant('listDevices')]: { median: 70 },
        [groupedVariant('api', false)]: { median: 78 },
        [SINGLE]: { median: 80 },
      },
      bootMs: { median: 25 },
      firstRequestExtraMs: { [routeVariant('listDevices')]: { median: 20 }, [SINGLE]: { median: 22 } },
    });
    expect(from.initMs[routeVariant('listDevices')]).toBe(115);
    // A function building several routes pays what the one function pays on its first request.
    expect(from.initMs[groupedVariant('api', false)]).toBe(125);
    expect(from.initMs[SINGLE]).toBe(127);
  });
});
