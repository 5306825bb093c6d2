// Injected faults are replayable: which requests fail comes from a seeded generator (src/sandbox/faults.ts), the
// seed in use is reported (getFaults(), the faults route), and the same seed gives the same fault sequence.
import { Faults, type FaultConfig } from '../../src/sandbox/faults';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import { call } from './support';

const FAULTY: FaultConfig = { errorRate: 0.4, dropRate: 0.2, errorStatus: 503 };

/** What each of `n` requests, sent one after another, got: a status, or `drop` for a destroyed connection. */
async function outcomes(s: StartedSandbox, n: number): Promise<(number | 'drop')[]> {
  const out: (number | 'drop')[] = [];
  for (let i = 0; i < n; i++) {
    try {
      out.push((await call(s, 'GET', '/v1/customers?limit=1')).status);
    } catch {
      out.push('drop');
    }
  }
  return out;
}

function decisions(faults: Faults, n: number): string[] {
  return Array.from({ length: n }, () => faults.decide().kind);
}

describe('sandbox fault injection: seeded', () => {
  it('should decide the same faults for the same seed, other faults for another seed, and restart on set()', () => {
    const a = decisions(new Faults({ ...FAULTY, seed: 7 }), 200);
    expect(decisions(new Faults({ ...FAULTY, seed: 7 }), 200)).toEqual(a);
    expect(decisions(new Faults({ ...FAULTY, seed: 8 }), 200)).not.toEqual(a);
    expect(new Set(a)).toEqual(new Set(['none', 'error', 'drop']));

    const restarted = new Faults({ ...FAULTY, seed: 7 });
    decisions(restarted, 50);
    restarted.set(FAULTY); // keeps seed 7 and starts its sequence again
    expect(restarted.get().seed).toBe(7);
    expect(decisions(restarted, 200)).toEqual(a);
  });

  it('should refuse a seed that is not a 32-bit unsigned integer', () => {
    expect(() => new Faults({ seed: -1 })).toThrow(RangeError);
    expect(() => new Faults({ seed: 2 ** 32 })).toThrow(RangeError);
    expect(() => new Faults({ seed: 1.5 })).toThrow(RangeError);
  });

  it('should replay a run whose seed was random: report the seed, and the same seed fails the same requests', async () => {
    const first = await startSandbox({ faults: FAULTY });
    const second = await startSandbox({ faults: { ...FAULTY, seed: first.sandbox.getFaults().seed } });
    try {
      const reported = await call(first, 'GET', '/v1/test_helpers/sandbox/faults');
      expect(reported.body.seed).toBe(first.sandbox.getFaults().seed);
      const run = await outcomes(first, 40);
      // Faults did happen (all 40 answered would take a 0.48^40 chance), so the comparison below means something.
      expect(run.filter((o) => o !== 200).length).toBeGreaterThan(0);
      expect(await outcomes(second, 40)).toEqual(run);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('should take a seed through the faults route, keep it on reset, and start its sequence again', async () => {
    const s = await startSandbox();
    try {
      const set = await call(s, 'POST', '/v1/test_helpers/sandbox/faults', {
        form: 'error_rate=0.5&error_status=503&seed=12345',
      });
      expect([set.status, set.body.seed, set.body.error_rate]).toEqual([200, 12345, 0.5]);
      const run = await outcomes(s, 30);
      await call(s, 'POST', '/v1/test_helpers/sandbox/faults', { form: 'error_rate=0.5' });
      expect(await outcomes(s, 30)).toEqual(run);
      const reset = await call(s, 'POST', '/v1/test_helpers/sandbox/faults', { form: 'reset=true' });
      expect([reset.body.error_rate, reset.body.seed]).toEqual([0, 12345]);
      const bad = await call(s, 'POST', '/v1/test_helpers/sandbox/faults', { form: 'seed=4294967296' });
      expect([bad.status, (bad.body.error as { param: string }).param]).toEqual([400, 'seed']);
    } finally {
      await s.close();
    }
  });
});
