// The payment follow-up's schedule (src/services/live/payment-follow-up.ts): a minute, then doubling up to an hour,
// for up to 7 days by default.
import { parseConfig } from '../../src/platform/config';
import { followUpDelay } from '../../src/services/live/payment-follow-up';

describe('payment follow-up schedule', () => {
  const settings = parseConfig({}).paymentFollowUp;

  it('defaults to a first look after a minute, an hour at most between looks, for 7 days', () => {
    expect(settings).toEqual({ initialDelayMs: 60_000, maxDelayMs: 3_600_000, windowMs: 7 * 24 * 3_600_000 });
  });

  it('doubles the delay after each look up to the maximum, within ±10 % jitter', () => {
    const expected = [60, 120, 240, 480, 960, 1_920, 3_600, 3_600].map((s) => s * 1000);
    expected.forEach((base, i) => {
      const delay = followUpDelay(i + 1, settings);
      expect(delay).toBeGreaterThanOrEqual(base * 0.9);
      expect(delay).toBeLessThanOrEqual(base * 1.1);
    });
    expect(followUpDelay(10_000, settings)).toBeLessThanOrEqual(3_600_000 * 1.1);
  });

  it('looks about 175 times over 7 days with the defaults (not thousands)', () => {
    let elapsed = 0;
    let looks = 0;
    while (elapsed < settings.windowMs) {
      looks += 1;
      elapsed += followUpDelay(looks, settings);
    }
    expect(looks).toBeGreaterThan(150);
    expect(looks).toBeLessThan(200);
  });

  it('is configurable, so tests and staging can run it in milliseconds', () => {
    const fast = parseConfig({
      PAYMENT_FOLLOW_UP_INITIAL_DELAY_MS: '50',
      PAYMENT_FOLLOW_UP_MAX_DELAY_MS: '200',
      PAYMENT_FOLLOW_UP_WINDOW_MS: '1000',
    }).paymentFollowUp;
    expect(fast).toEqual({ initialDelayMs: 50, maxDelayMs: 200, windowMs: 1000 });
  });
});
