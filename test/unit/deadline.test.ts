import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deadline } from '../../functions/deadline.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('deadline (a call budget, and the request that may end first)', () => {
  it('fires when its time is up, as a timeout', () => {
    const budget = deadline(5_000);
    vi.advanceTimersByTime(4_999);
    expect(budget.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(budget.signal.aborted).toBe(true);
    expect(budget.timedOut()).toBe(true);
    expect((budget.signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('fires when its parent does, with the reason given, and that is not a timeout', () => {
    const request = new AbortController();
    const budget = deadline(5_000, request.signal);
    request.abort(new Error('answered early'));
    expect(budget.signal.aborted).toBe(true);
    expect(budget.timedOut()).toBe(false);
    expect((budget.signal.reason as Error).message).toBe('answered early');
    // An aborted parent fires it at once.
    expect(deadline(5_000, request.signal).signal.aborted).toBe(true);
  });

  it('once done, neither its time nor its parent fires it, and nothing of it is left waiting', () => {
    const request = new AbortController();
    const budget = deadline(5_000, request.signal);
    expect(vi.getTimerCount()).toBe(1);
    budget.done();
    expect(vi.getTimerCount()).toBe(0);
    request.abort();
    vi.advanceTimersByTime(10_000);
    expect(budget.signal.aborted).toBe(false);
  });
});
