// Client-side throttling as Helm's Kubernetes client does it (client-go's
// flowcontrol.NewTokenBucketRateLimiter over golang.org/x/time/rate): a bucket of `burst`
// tokens that starts full and refills at `qps` tokens a second. Every request takes one token;
// when none is left it waits for the time its token will have been refilled. Waits are
// reservations, so requests go out in the order they asked and never faster than the rate.
// The clock is injected so the arithmetic is tested without timers.

export interface Clock {
  /** Milliseconds on a clock that never goes back. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** What the HTTP layer needs: wait for permission to send one request. */
export interface RequestLimiter {
  take(): Promise<void>;
}

/** client-go's burst when the rest config's Burst is 0 (rest.DefaultBurst). */
export const CLIENT_GO_DEFAULT_BURST = 10;

export class TokenBucket implements RequestLimiter {
  private tokens: number;
  private last: number;

  constructor(
    readonly qps: number,
    readonly burst: number,
    private readonly clock: Clock = realClock,
  ) {
    if (!(qps > 0) || !Number.isFinite(qps)) throw new RangeError(`qps must be a finite number above 0, not ${qps}`);
    if (!Number.isInteger(burst) || burst < 1) throw new RangeError(`burst must be a whole number of 1 or more, not ${burst}`);
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Takes one token now; returns how many ms the caller must wait before it may send (0 = now). */
  reserve(): number {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.last);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.qps) / 1000);
    this.last = Math.max(this.last, now);
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  async take(): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await this.clock.sleep(wait);
  }
}
