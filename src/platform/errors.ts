// The contract's error codes, the GraphQL-facing error class, and the one mapping from Stripe errors.
import { GraphQLError } from 'graphql';
import Stripe from 'stripe';

/** `extensions.code` values of the public contract; each is described in error-catalogue.ts (docs/errors.md). */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  PERMISSION_NOT_GRANTED = 'PERMISSION_NOT_GRANTED',
  REFRESH_UNAVAILABLE = 'REFRESH_UNAVAILABLE',
  IDEMPOTENCY_CONFLICT = 'IDEMPOTENCY_CONFLICT',
  UPSTREAM_RATE_LIMITED = 'UPSTREAM_RATE_LIMITED',
  UPSTREAM_UNAVAILABLE = 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_ERROR = 'UPSTREAM_ERROR',
  QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
  /** Per-caller rate limit of the gateway itself (HTTP 429). */
  RATE_LIMITED = 'RATE_LIMITED',
}

/**
 * `extensions.reason` values: what exactly went wrong under a code, for a client to act on. Each is described in
 * error-catalogue.ts (docs/errors.md); a reason written anywhere in src/ must be one of these (test/unit/error-catalogue.test.ts).
 */
export enum ErrorReason {
  TOKEN_EXPIRED = 'TOKEN_EXPIRED',
  ACCOUNT_INACTIVE = 'ACCOUNT_INACTIVE',
  PAYMENT_METHOD_UNSUPPORTED = 'PAYMENT_METHOD_UNSUPPORTED',
  PAYMENT_METHOD_DETACHED = 'PAYMENT_METHOD_DETACHED',
  PAYMENT_METHOD_BLOCKED = 'PAYMENT_METHOD_BLOCKED',
  MANDATE_INACTIVE = 'MANDATE_INACTIVE',
  NOT_AWAITING_MICRODEPOSITS = 'NOT_AWAITING_MICRODEPOSITS',
  MICRODEPOSITS_MISMATCH = 'MICRODEPOSITS_MISMATCH',
  MICRODEPOSITS_INVALID = 'MICRODEPOSITS_INVALID',
  MICRODEPOSIT_ATTEMPTS_EXCEEDED = 'MICRODEPOSIT_ATTEMPTS_EXCEEDED',
  MICRODEPOSITS_EXPIRED = 'MICRODEPOSITS_EXPIRED',
}

/** Stripe's error details that are safe to show a client (never its message text). */
interface SafeStripeDetails {
  type?: string;
  code?: string;
  param?: string;
  declineCode?: string;
}

/** A deliberate, client-facing error. Anything that is not one of these is masked. */
export class GatewayError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
    this.name = 'GatewayError';
  }
}

export const notFound = (what: string, id?: string) =>
  new GatewayError(ErrorCode.NOT_FOUND, id ? `${what} ${id} was not found.` : `${what} was not found.`);

export const badInput = (message: string, field?: string) =>
  new GatewayError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});

export const forbidden = (message: string) => new GatewayError(ErrorCode.FORBIDDEN, message);

export const permissionNotGranted = (permission: string) =>
  new GatewayError(
    ErrorCode.PERMISSION_NOT_GRANTED,
    `The ${permission} permission was not granted for this account's session.`,
    { permission },
  );

function safeDetails(e: Stripe.errors.StripeError): SafeStripeDetails {
  return {
    type: e.type,
    code: e.code,
    param: e.param,
    declineCode: e.decline_code,
  };
}

/**
 * Maps any error thrown by stripe-node to the contract. Stripe's message text is
 * never forwarded: it can quote ids or account data. Non-Stripe errors are
 * returned unchanged (the error-masking plugin turns them into INTERNAL_SERVER_ERROR).
 * Any 404 (v1 `resource_missing`, or a v2 `not_found` whose error class differs) is NOT_FOUND, which the
 * tenancy checks then answer exactly like a foreign id (services/domain/ownership.service.ts).
 */
export function toGraphQLError(error: unknown): Error {
  if (error instanceof GraphQLError) return error;
  if (!(error instanceof Stripe.errors.StripeError)) return error as Error;
  const stripe = safeDetails(error);
  const e = error as Stripe.errors.StripeError;
  if (e.statusCode === 404 || e.code === 'resource_missing') {
    return new GatewayError(ErrorCode.NOT_FOUND, 'The requested object was not found.', { stripe });
  }
  switch (e.type) {
    case 'StripeInvalidRequestError': {
      // Stripe's FC codes carry a product prefix (`financial_connections_account_inactive`).
      if (/(^|_)permission_not_granted$/.test(e.code ?? '')) {
        return new GatewayError(
          ErrorCode.PERMISSION_NOT_GRANTED,
          'The data permission this needs was not granted for this account.',
          { stripe },
        );
      }
      // Stripe's code for any use of an inactive or disconnected account (docs/stripe-facts.md §10); a refresh or
      // subscribe turns it into REFRESH_UNAVAILABLE (services/domain/financial-accounts.service.ts).
      if (/(^|_)account_inactive$/.test(e.code ?? '')) {
        return new GatewayError(
          ErrorCode.BAD_USER_INPUT,
          'This financial account is inactive or disconnected.',
          {
            stripe,
            reason: ErrorReason.ACCOUNT_INACTIVE,
          },
        );
      }
      return new GatewayError(ErrorCode.BAD_USER_INPUT, 'Stripe rejected a parameter of this request.', {
        stripe,
        field: e.param,
      });
    }
    case 'StripeIdempotencyError':
      return new GatewayError(
        ErrorCode.IDEMPOTENCY_CONFLICT,
        'This idempotency key was already used with different parameters.',
        { stripe },
      );
    case 'StripeRateLimitError':
      return new GatewayError(
        ErrorCode.UPSTREAM_RATE_LIMITED,
        'Stripe is rate limiting requests; retry later.',
        {
          stripe,
        },
      );
    case 'StripeConnectionError': {
      // The caller's partner is over its fair share of the Stripe budget (services/stripe/rate-budget.ts).
      const detail = (e as { detail?: { code?: unknown; retryAfterSeconds?: unknown } }).detail;
      if (detail?.code === 'EBUDGETSHARE') {
        const retryAfter = Number(detail.retryAfterSeconds) || 1;
        return new GatewayError(
          ErrorCode.UPSTREAM_RATE_LIMITED,
          `This partner is over its share of the Stripe request budget; retry after ${retryAfter} s.`,
          { retryAfter },
        );
      }
      return new GatewayError(ErrorCode.UPSTREAM_UNAVAILABLE, 'Stripe could not be reached.');
    }
    case 'StripeAPIError':
      return e.statusCode && e.statusCode >= 500
        ? new GatewayError(ErrorCode.UPSTREAM_UNAVAILABLE, 'Stripe is unavailable; retry later.', { stripe })
        : new GatewayError(ErrorCode.UPSTREAM_ERROR, 'Stripe returned an error.', { stripe });
    case 'StripeCardError':
      return new GatewayError(ErrorCode.UPSTREAM_ERROR, 'The payment was declined.', { stripe });
    case 'StripeAuthenticationError':
    case 'StripePermissionError':
    case 'StripeSignatureVerificationError':
    case 'StripeInvalidGrantError':
      // The gateway's own credentials are wrong: the client cannot fix this, operators must.
      return new GatewayError(ErrorCode.UPSTREAM_ERROR, 'The gateway could not authenticate with Stripe.');
    default:
      return new GatewayError(ErrorCode.UPSTREAM_ERROR, 'Stripe returned an error.', { stripe });
  }
}
