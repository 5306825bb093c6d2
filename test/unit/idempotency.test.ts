// Client idempotency keys are scoped to the caller and operation before they reach Stripe.
import { GatewayError } from '../../src/platform/errors';
import { scopedIdempotencyKey } from '../../src/services/domain/idempotency';

const partnerA = { kind: 'partner', partnerId: 'a' } as const;
const partnerB = { kind: 'partner', partnerId: 'b' } as const;
const endUser = (customerId: string) =>
  ({ kind: 'customer', partnerId: 'a', customerId, expiresAt: 0 }) as const;

describe('scopedIdempotencyKey', () => {
  it('should be stable for one caller, operation and key (so retries replay)', () => {
    expect(scopedIdempotencyKey(partnerA, 'op', 'k1')).toBe(scopedIdempotencyKey(partnerA, 'op', 'k1'));
    expect(scopedIdempotencyKey(partnerA, 'op', 'k1')).toMatch(/^gw_[A-Za-z0-9_-]{43}$/);
  });

  it('should differ across partners, end users and operations', () => {
    const keys = new Set([
      scopedIdempotencyKey(partnerA, 'op', 'k1'),
      scopedIdempotencyKey(partnerB, 'op', 'k1'),
      scopedIdempotencyKey(endUser('cus_1'), 'op', 'k1'),
      scopedIdempotencyKey(endUser('cus_2'), 'op', 'k1'),
      scopedIdempotencyKey(partnerA, 'other', 'k1'),
    ]);
    expect(keys.size).toBe(5);
  });

  it.each(['', ' ', 'a b', 'x'.repeat(201), 'ключ'])(
    'should refuse the key %j with BAD_USER_INPUT',
    (key) => {
      expect(() => scopedIdempotencyKey(partnerA, 'op', key)).toThrow(GatewayError);
    },
  );
});
