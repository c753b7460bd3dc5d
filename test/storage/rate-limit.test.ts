// The HELM_QPS token bucket against a fake clock: no timers, no timing assertions. Expected
// send times follow golang.org/x/time/rate's rules as client-go uses them: the bucket starts
// full with `burst` tokens, refills at `qps` a second up to `burst`, and a request without a
// token reserves the next one, so the n-th request of a run at t=0 goes out at
// max(0, n - burst) / qps seconds.
import { describe, expect, it } from 'vitest';
import { TokenBucket, type Clock } from '../../src/storage/kube/rate-limit.js';

class FakeClock implements Clock {
  t = 1_000; // any origin
  slept: number[] = [];
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.slept.push(ms);
  }
}

describe('TokenBucket (client-go flowcontrol semantics)', () => {
  it('starts full: the first `burst` requests go at once, then one every 1/qps s', () => {
    const clock = new FakeClock();
    const b = new TokenBucket(5, 5, clock);
    const waits = Array.from({ length: 12 }, () => b.reserve());
    const expected = Array.from({ length: 12 }, (_, i) => (Math.max(0, i + 1 - 5) / 5) * 1000);
    waits.forEach((w, i) => expect(w).toBeCloseTo(expected[i], 6));
    expect(expected.slice(4, 8)).toEqual([0, 200, 400, 600]);
  });

  it('refills at qps tokens a second, never above burst', () => {
    const clock = new FakeClock();
    const b = new TokenBucket(2, 3, clock);
    for (let i = 0; i < 3; i++) expect(b.reserve()).toBe(0);
    clock.t += 500; // one token back (2/s)
    expect(b.reserve()).toBe(0);
    expect(b.reserve()).toBeCloseTo(500, 6);
    clock.t += 60_000; // a long idle time refills to 3, not 120
    for (let i = 0; i < 3; i++) expect(b.reserve()).toBe(0);
    expect(b.reserve()).toBeCloseTo(500, 6);
  });

  it('reservations queue: requests asked for while waiting go out in order, at the rate', () => {
    const clock = new FakeClock();
    const b = new TokenBucket(10, 1, clock);
    expect(b.reserve()).toBe(0);
    expect(b.reserve()).toBeCloseTo(100, 6);
    clock.t += 50;
    expect(b.reserve()).toBeCloseTo(150, 6); // sends at 200 ms from the start
  });

  it('fractional rates: 0.5 per second is one request every 2 s', () => {
    const clock = new FakeClock();
    const b = new TokenBucket(0.5, 1, clock);
    expect([b.reserve(), b.reserve(), b.reserve()]).toEqual([0, 2000, 4000]);
  });

  it('take() sleeps for the reserved wait, and not at all while tokens last', async () => {
    const clock = new FakeClock();
    const b = new TokenBucket(4, 2, clock);
    for (let i = 0; i < 4; i++) await b.take();
    expect(clock.slept).toEqual([250, 500]);
  });

  it('refuses a rate or burst it cannot honour', () => {
    expect(() => new TokenBucket(0, 5)).toThrow(RangeError);
    expect(() => new TokenBucket(Number.POSITIVE_INFINITY, 5)).toThrow(RangeError);
    expect(() => new TokenBucket(5, 0)).toThrow(RangeError);
    expect(() => new TokenBucket(5, 1.5)).toThrow(RangeError);
  });
});
