// The request id of the HTTP request being handled, readable anywhere below the route handler.
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Why AsyncLocalStorage: Apollo formats some errors (CSRF, batching, context failures) before any
 * GraphQL context exists and gives `formatError` no request; the id still has to reach the response.
 */
const storage = new AsyncLocalStorage<{ requestId: string }>();

export function runWithRequestId<T>(requestId: string, fn: () => T): T {
  return storage.run({ requestId }, fn);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
