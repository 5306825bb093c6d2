// The errors the admission step refuses with, the same on every path (HTTP through Apollo, the fast lane, graphql-ws).
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode, ErrorReason } from '../../../platform/errors';

/**
 * RATE_LIMITED: the caller's operation budget (or the address's authentication-failure budget) is spent.
 * @param http whether the answer is an HTTP response (status 429 with Retry-After); graphql-ws has no status.
 */
export function rateLimitedError(retryAfterSeconds: number, requestId: string, http: boolean): GraphQLError {
  return new GraphQLError(`Too many requests; retry after ${retryAfterSeconds} s.`, {
    extensions: {
      code: ErrorCode.RATE_LIMITED,
      retryAfter: retryAfterSeconds,
      requestId,
      ...(http
        ? { http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) } }
        : {}),
    },
  });
}

/**
 * UNAUTHENTICATED (HTTP 401): no valid credential came with the operation.
 * @param expired the credential is a customer token of ours that only expired: `reason: TOKEN_EXPIRED`, so the client
 * knows to fetch a new token rather than report a broken one
 */
export function unauthenticatedError(requestId: string, expired = false): GraphQLError {
  return new GraphQLError(
    expired
      ? 'The customer token has expired; request a new one.'
      : 'A valid Authorization: Bearer credential is required.',
    {
      extensions: {
        code: ErrorCode.UNAUTHENTICATED,
        ...(expired ? { reason: ErrorReason.TOKEN_EXPIRED } : {}),
        requestId,
        http: { status: 401 },
      },
    },
  );
}

/**
 * A fresh copy of a remembered refusal, marked HTTP 400 unless the check chose its own `extensions.http`. Why a copy:
 * refusals are worked out once per document (operation-checks.ts) but an error object belongs to one request
 * (request-scope.ts tags it with its request id).
 */
export function refusalFor(template: GraphQLError): GraphQLError {
  return new GraphQLError(template.message, {
    nodes: template.nodes,
    source: template.source,
    positions: template.positions,
    extensions: { ...template.extensions, http: template.extensions.http ?? { status: 400 } },
  });
}
