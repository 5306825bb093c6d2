// The request id of an HTTP request, for errors Apollo Server formats with no request at hand.
import { randomBytes } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

/**
 * Apollo's `formatError` gets an error, never its request. Errors raised once a context exists are tagged with
 * its request id ({@link requestScopePlugin}: Apollo reports them to `didEncounterErrors` before formatting them);
 * errors raised while building the context carry it in `extensions.requestId`; the rest (CSRF, malformed bodies)
 * are formatted with this placeholder, which the /graphql route replaces with the id in the response it sends
 * (graphql-http.ts). Why not AsyncLocalStorage: on Node 20 it turns on promise hooks for the whole process, which
 * every promise of every request and subscription event then pays (~5% of a cached dashboard's CPU).
 */
export const REQUEST_ID_PLACEHOLDER = `req_pending_${randomBytes(8).toString('hex')}`;

const requestIds = new WeakMap<object, string>();

/** The request id an error belongs to, when known. */
export function requestIdOfError(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const tagged = requestIds.get(error);
  if (tagged) return tagged;
  const own = error instanceof GraphQLError ? error.extensions.requestId : undefined;
  return typeof own === 'string' ? own : undefined;
}

/** Tags `errors` as errors of the request `requestId` (the fast lane formats its own). */
export function tagRequestId(errors: readonly unknown[], requestId: string): void {
  for (const e of errors) if (typeof e === 'object' && e !== null) requestIds.set(e, requestId);
}

/** Apollo plugin: tags every error of an operation with its context's request id before it is formatted. */
export function requestScopePlugin<TContext extends { requestId?: string }>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async didEncounterErrors({ errors }) {
          if (contextValue.requestId) tagRequestId(errors, contextValue.requestId);
        },
      };
    },
  };
}

/** A response body with the placeholder replaced by the request's id. */
export function withRequestId<T>(body: T, requestId: string): T {
  return typeof body === 'string' && body.includes(REQUEST_ID_PLACEHOLDER)
    ? (body.replaceAll(REQUEST_ID_PLACEHOLDER, requestId) as T)
    : body;
}
