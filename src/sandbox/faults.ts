// Operations knobs: Stripe-like rate limiting and fault injection (errors, latency, dropped connections),
// switchable at start-up and at run time, so the gateway's resilience can be tested against the sandbox.

export interface FaultConfig {
  /** Share of API requests answered with a 500 `api_error` (0–1). @default 0 */
  errorRate?: number;
  /** Added before each API request is handled. @default 0 */
  latencyMs?: number;
  /** Share of API requests whose socket is destroyed without an answer (0–1). @default 0 */
  dropRate?: number;
  /** Status of injected errors. @default 500 */
  errorStatus?: number;
}

export interface RateLimitConfig {
  /** Budget of API requests per second, over a sliding one-second window. Stripe's test mode allows 25. */
  requestsPerSecond: number;
}

export type FaultDecision = { kind: 'none' } | { kind: 'error'; status: number } | { kind: 'drop' };

export class Faults {
  private config: Required<FaultConfig> = { errorRate: 0, latencyMs: 0, dropRate: 0, errorStatus: 500 };
  private rate: RateLimitConfig | null = null;
  private window: number[] = [];

  constructor(faults?: FaultConfig | null, rateLimit?: RateLimitConfig | null) {
    this.set(faults ?? null);
    this.setRateLimit(rateLimit ?? null);
  }

  /** Replaces the fault settings; null turns every fault off. */
  set(faults: FaultConfig | null): void {
    this.config = { errorRate: 0, latencyMs: 0, dropRate: 0, errorStatus: 500, ...(faults ?? {}) };
  }

  get(): Required<FaultConfig> {
    return { ...this.config };
  }

  setRateLimit(rateLimit: RateLimitConfig | null): void {
    this.rate = rateLimit;
    this.window = [];
  }

  getRateLimit(): RateLimitConfig | null {
    return this.rate;
  }

  /** Counts a request against the budget; false when it is over (→ 429). */
  admit(nowMs: number): boolean {
    if (!this.rate) return true;
    while (this.window.length > 0 && nowMs - this.window[0] >= 1000) this.window.shift();
    if (this.window.length >= this.rate.requestsPerSecond) return false;
    this.window.push(nowMs);
    return true;
  }

  latencyMs(): number {
    return this.config.latencyMs;
  }

  decide(): FaultDecision {
    if (this.config.dropRate > 0 && Math.random() < this.config.dropRate) return { kind: 'drop' };
    if (this.config.errorRate > 0 && Math.random() < this.config.errorRate)
      return { kind: 'error', status: this.config.errorStatus };
    return { kind: 'none' };
  }
}
