// The name a graphql-ws subscription resumes under (transport/ws/resume-key.ts): the same subscription of the same
// caller comes back under it; another caller, id or operation never does.
import type { Caller } from '../../src/services/auth/auth';
import { resumeKey } from '../../src/transport/ws/resume-key';

const customer = (customerId: string, partnerId = 'partner_a'): Caller =>
  ({ kind: 'customer', partnerId, customerId, expiresAt: Date.now() + 60_000 }) as Caller;
const partner = (partnerId: string): Caller => ({ kind: 'partner', partnerId }) as Caller;
const payload = {
  query: 'subscription($a: ID) { financialAccountRefreshed(accountId: $a) { status } }',
  variables: { a: 'fca_1' },
};

describe('resumeKey', () => {
  it('should be the same for the same caller, id and operation (a renewed token of the same customer included)', () => {
    expect(resumeKey(customer('cus_1'), 'id-1', payload)).toBe(
      resumeKey(customer('cus_1'), 'id-1', { ...payload }),
    );
  });

  it.each([
    ['another customer of the partner', customer('cus_2'), 'id-1', payload],
    ['the same customer id under another partner', customer('cus_1', 'partner_b'), 'id-1', payload],
    ["the partner's own key", partner('partner_a'), 'id-1', payload],
    ['another subscription id', customer('cus_1'), 'id-2', payload],
    ['other variables', customer('cus_1'), 'id-1', { ...payload, variables: { a: 'fca_2' } }],
    ['another document', customer('cus_1'), 'id-1', { ...payload, query: `${payload.query} ` }],
    ['another operation name', customer('cus_1'), 'id-1', { ...payload, operationName: 'Other' }],
  ])('should differ for %s', (_what, caller, id, other) => {
    expect(resumeKey(caller, id, other)).not.toBe(resumeKey(customer('cus_1'), 'id-1', payload));
  });

  it('should hold no id, token or variable value in the clear', () => {
    const key = resumeKey(customer('cus_1'), 'id-1', payload);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
