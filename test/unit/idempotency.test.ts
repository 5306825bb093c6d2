// Client idempotency keys are scoped to the caller and operation before they reach Stripe.
import { ErrorCode, GatewayError } from '../../src/platform/errors';
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
      const refusal = (field?: string) => {
        try {
          scopedIdempotencyKey(partnerA, 'op', key, field);
        } catch (e) {
          return e;
        }
        throw new Error(`the key ${JSON.stringify(key)} was accepted`);
      };
      const error = refusal();
      expect(error).toBeInstanceOf(GatewayError);
      expect(error).toMatchObject({
        message: 'idempotencyKey must be 1-200 printable ASCII characters without spaces.',
        extensions: { code: ErrorCode.BAD_USER_INPUT, field: 'idempotencyKey' },
      });
      // The field named is the one the caller sent the key in.
      expect(refusal('input.idempotencyKey')).toMatchObject({
        extensions: { code: ErrorCode.BAD_USER_INPUT, field: 'input.idempotencyKey' },
      });
    },
  );

  it.each(['!', '~', 'k'.repeat(200)])('should accept the printable ASCII key %j', (key) => {
    expect(scopedIdempotencyKey(partnerA, 'op', key)).toMatch(/^gw_/);
  });
});
