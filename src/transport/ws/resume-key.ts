// Names one graphql-ws subscription across reconnects, so the one that comes back resumes where it stopped.
import { createHash } from 'node:crypto';
import type { SubscribePayload } from 'graphql-ws';
import type { Caller } from '../../services/auth/auth';

/**
 * Why the subscription id: graphql-ws's client (6.x, client.ts `subscribe`) draws a subscription's id once, when
 * `subscribe` is called, and sends the same id again on every reconnect it makes (after a 4403 for an expired
 * token, a dropped network), so the default client, Apollo Client's `GraphQLWsLink` and urql's
 * `subscriptionExchange` resume with no client code. The id alone is chosen by the client, so the key also holds:
 * - who is calling (the partner, and the customer of a token): another caller never resumes this one's point,
 *   whatever id it sends;
 * - the operation (its document or persisted-query hash, name and variables): a client that numbers its
 *   subscriptions 1, 2, 3 on each socket does not hand one subscription's point to another.
 * Hashed: the key has a fixed size whatever the document (and no variable value is stored as such).
 */
export function resumeKey(caller: Caller, id: string, payload: SubscribePayload): string {
  const who =
    caller.kind === 'customer' ? ['c', caller.partnerId, caller.customerId] : ['p', caller.partnerId];
  const operation = payload.query || JSON.stringify(payload.extensions?.persistedQuery ?? null);
  return createHash('sha256')
    .update(JSON.stringify([...who, id, payload.operationName ?? null, operation, payload.variables ?? null]))
    .digest('base64url');
}
