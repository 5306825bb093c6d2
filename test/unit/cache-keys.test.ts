// The one key grammar of the Stripe read cache (src/services/stripe/cache-keys.ts): builders and parsers agree.
import {
  accountKey,
  accountListKey,
  accountPattern,
  CacheKeyError,
  customerSearchKey,
  parseCacheKey,
  parseInvalidation,
  paymentIntentListPattern,
  targetCovers,
  transactionCursorKey,
  transactionListKey,
} from '../../src/services/stripe/cache-keys';

describe('cache-keys', () => {
  describe('parseCacheKey', () => {
    it('should name the object of every key the builders make, list parameters and expansions aside', () => {
      expect(parseCacheKey(accountKey('fca_1')).scope).toBe('fca:fca_1');
      expect(parseCacheKey(accountKey('fca_1', true))).toEqual({
        resource: 'fca',
        object: 'fca_1',
        scope: 'fca:fca_1',
        detail: 'expand=ownership',
      });
      expect(parseCacheKey(transactionListKey({ account: 'fca_1', limit: 10 })).scope).toBe('txns:fca_1');
      expect(parseCacheKey(transactionCursorKey('fca_1', 'fctxn_9', undefined)).scope).toBe('txns:fca_1');
      expect(parseCacheKey(accountListKey({ holder: { customer: 'cus_1' }, limit: 10 })).scope).toBe(
        'fcas:cus_1',
      );
      // A query may hold `:`; the search is filed under one object all the same.
      expect(parseCacheKey(customerSearchKey({ query: "email:'a@b.c'", limit: 10 })).scope).toBe(
        'cussearch:all',
      );
    });

    it('should refuse a key with no object, echoing its resource only', () => {
      expect(() => parseCacheKey('fca')).toThrow(CacheKeyError);
      expect(() => parseCacheKey('fca:')).toThrow('resource "fca"');
    });
  });

  describe('parseInvalidation', () => {
    it('should read a key, an object, a resource and everything', () => {
      expect(parseInvalidation('fca:fca_1')).toEqual({ kind: 'key', key: 'fca:fca_1', scope: 'fca:fca_1' });
      expect(parseInvalidation(accountPattern('fca_1'))).toEqual({ kind: 'object', scope: 'fca:fca_1' });
      expect(parseInvalidation(paymentIntentListPattern('cus_1'))).toEqual({
        kind: 'object',
        scope: 'pis:cus_1',
      });
      expect(parseInvalidation('fca:*')).toEqual({ kind: 'resource', resource: 'fca' });
      expect(parseInvalidation('*')).toEqual({ kind: 'all' });
    });

    it('should refuse a bare prefix, which would also match longer ids', () => {
      expect(() => parseInvalidation('fca:fca_1*')).toThrow(CacheKeyError);
      expect(() => parseInvalidation('txns:fca_1:after:*')).toThrow(CacheKeyError);
    });
  });

  describe('targetCovers', () => {
    it('should cover every form of the object named, and no other object sharing its id as a prefix', () => {
      const target = parseInvalidation(accountPattern('fca_1'));
      expect(targetCovers(target, accountKey('fca_1'))).toBe(true);
      expect(targetCovers(target, accountKey('fca_1', true))).toBe(true);
      expect(targetCovers(target, accountKey('fca_12'))).toBe(false);
      expect(targetCovers(target, transactionListKey({ account: 'fca_1', limit: 10 }))).toBe(false);
    });
  });
});
