// Operations knobs: Stripe-like rate limiting and fault injection (errors, latency, dropped connections),
// switchable at start-up and at run time, so the gateway's resilience can be tested against the sandbox.
// Which requests fail is drawn from a seeded generator, so a failing run can be replayed with its seed.
import { randomInt } from 'node:crypto';
import { Rng } from './random';

export interface FaultConfig {
  /** Share of API requests answered with a 500 `api_error` (0–1). @default 0 */
  errorRate?: number;
  /** Added before each API request is handled. @default 0 */
  latencyMs?: number;
  /** Share of API requests whose socket is destroyed without an answer (0–1). @default 0 */
  dropRate?: number;
  /** Status of injected errors. @default 500 */
  errorStatus?: number;
  /**
   * Seed (an integer 0–2^32-1) of the generator that picks the failing requests. Setting the config restarts
   * the sequence from the seed: the same seed and config give the same faults to the same sequence of
   * requests. When not given, the seed in use is kept; the first one is random (read it back from get()).
   */
  seed?: number;
}

export interface RateLimitConfig {
  /** Budget of API requests per second, over a sliding one-second window. Stripe's test mode allows 25. */
  requestsPerSecond: number;
}

export type FaultDecision = { kind: 'none' } | { kind: 'error'; status: number } | { kind: 'drop' };

/** The largest seed: seeds are unsigned 32-bit integers (the state of mulberry32, random.ts). */
export const MAX_FAULT_SEED = 0xffff_ffff;

export class Faults {
  private config!: Required<FaultConfig>;
  private rng!: Rng;
  private rate: RateLimitConfig | null = null;
  private window: number[] = [];

  constructor(faults?: FaultConfig | null, rateLimit?: RateLimitConfig | null) {
    this.set({ ...(faults ?? {}), seed: faults?.seed ?? randomInt(0, MAX_FAULT_SEED + 1) });
    this.setRateLimit(rateLimit ?? null);
  }

  /**
   * Replaces the fault settings (null or absent fields: off) and restarts the fault sequence from the seed
   * (absent: the one in use).
   */
  set(faults: FaultConfig | null): void {
    const seed = faults?.seed ?? this.config.seed;
    if (!Number.isInteger(seed) || seed < 0 || seed > MAX_FAULT_SEED)
      throw new RangeError(`Fault seed must be an integer from 0 to ${MAX_FAULT_SEED} (got ${seed}).`);
    this.config = {
      errorRate: faults?.errorRate ?? 0,
      latencyMs: faults?.latencyMs ?? 0,
      dropRate: faults?.dropRate ?? 0,
      errorStatus: faults?.errorStatus ?? 500,
      seed,
    };
    this.rng = new Rng(seed);
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

  /** The fault for the next request; draws from the seeded sequence only while a rate is above 0. */
  decide(): FaultDecision {
    if (this.config.dropRate > 0 && this.rng.chance(this.config.dropRate)) return { kind: 'drop' };
    if (this.config.errorRate > 0 && this.rng.chance(this.config.errorRate))
      return { kind: 'error', status: this.config.errorStatus };
    return { kind: 'none' };
  }
}
