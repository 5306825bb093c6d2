// One configuration's load rounds combined as every throughput table reports them: req/s over all rounds, p50 the
// median of the rounds, p99 the worst round.
import { percentile } from './percentile';

/** One autocannon run's figures (bench/run.ts `load`). */
export interface BenchLoad {
  rps: number;
  /** Requests completed in the run. */
  total: number;
  p50: number;
  p99: number;
  errors: number;
}

/** `rounds` of `seconds` each, as one result. */
export function combineRounds(rounds: BenchLoad[], seconds: number): BenchLoad {
  const total = rounds.reduce((n, x) => n + x.total, 0);
  return {
    rps: Math.round(total / (seconds * rounds.length)),
    total,
    p50: percentile(
      rounds.map((x) => x.p50),
      50,
    ),
    p99: Math.max(...rounds.map((x) => x.p99)),
    errors: rounds.reduce((n, x) => n + x.errors, 0),
  };
}
