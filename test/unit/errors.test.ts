import type { GraphQLError } from 'graphql';
import Stripe from 'stripe';
import { ErrorCode, toGraphQLError } from '../../src/platform/errors';

const invalidRequest = (code: string) =>
  new Stripe.errors.StripeInvalidRequestError({
    type: 'invalid_request_error',
    code,
    message: 'Stripe text naming fca_secret_detail',
    statusCode: 400,
  });

describe('toGraphQLError', () => {
  it('maps an inactive account to BAD_USER_INPUT with a reason (a refresh turns it into REFRESH_UNAVAILABLE itself)', () => {
    const mapped = toGraphQLError(invalidRequest('financial_connections_account_inactive')) as GraphQLError;
    expect(mapped.extensions).toMatchObject({
      code: ErrorCode.BAD_USER_INPUT,
      reason: 'ACCOUNT_INACTIVE',
      stripe: { code: 'financial_connections_account_inactive' },
    });
    expect(mapped.message).not.toContain('fca_secret_detail');
  });

  it('maps a missing data permission to PERMISSION_NOT_GRANTED', () => {
    const mapped = toGraphQLError(
      invalidRequest('financial_connections_permission_not_granted'),
    ) as GraphQLError;
    expect(mapped.extensions.code).toBe(ErrorCode.PERMISSION_NOT_GRANTED);
  });
});
