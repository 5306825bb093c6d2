// Runs GraphQL subscriptions for graphql-ws with a fresh context (fresh DataLoaders) for every event.
import { createSourceEventStream, execute, print, type ExecutionArgs, type ExecutionResult } from 'graphql';

const isAsyncIterable = (v: unknown): v is AsyncIterable<unknown> =>
  typeof (v as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function';

export interface FreshContextOptions<C> {
  /**
   * Identifies what a result may depend on besides the event, the document and the variables (the
   * caller). Subscriptions with equal keys, equal documents and equal variables that receive the same
   * event object share one execution; omit to execute per subscription.
   */
  shareKey?: (context: C) => string;
  /**
   * How to deliver an error-free result of the subscription started with `context` straight to its socket
   * (ws-frames.ts), or undefined: every result then goes back to graphql-ws. Why: graphql-ws's own per-socket
   * path (its iteration, `onNext`, message building) is most of the cost of a pushed event beyond the send itself.
   */
  direct?: (context: C) => ((result: ExecutionResult) => boolean) | undefined;
}

/**
 * graphql-js's `subscribe`, except that each event is executed with `perEvent(context)` instead of the
 * one context the operation started with.
 *
 * Why a fresh context: a subscription lives for hours with one context, and DataLoaders cache for their
 * whole life — the second event would show the first one's data (see src/transport/ws.ts). Building the request
 * services per event gives every event fresh loaders, exactly like a new HTTP request. The source stream
 * (and so the subscribe-time authorization and topic) is set up once, with the operation's own context.
 *
 * Why shared executions: with a fresh context per event, a result is a pure function of (event,
 * document, variables, caller). A thousand sockets of one caller following one account would otherwise
 * execute the same operation a thousand times per event (bench/subscriptions.ts); they now execute it
 * once per event and each socket sends the result. Different callers never share.
 *
 * `return()` is passed straight to the source, so a client that unsubscribes while no event is due is
 * released at once.
 */
export function subscribeWithFreshContext<C>(
  perEvent: (context: C) => C,
  options: FreshContextOptions<C> = {},
) {
  // Keyed by the event object itself: every local subscriber of a topic receives the same object, and
  // the entry disappears with the event.
  const shared = new WeakMap<object, Map<string, ExecutionResult | Promise<ExecutionResult>>>();
  return async (args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> => {
    const stream = await createSourceEventStream(args);
    if (!isAsyncIterable(stream)) return stream as ExecutionResult;
    const key = options.shareKey
      ? [
          options.shareKey(args.contextValue as C),
          args.operationName ?? '',
          JSON.stringify(args.variableValues ?? {}),
          print(args.document),
        ].join('\n')
      : undefined;
    const run = (payload: unknown) =>
      execute({ ...args, rootValue: payload, contextValue: perEvent(args.contextValue as C) }) as
        ExecutionResult | Promise<ExecutionResult>;
    const resultFor = (payload: unknown) => {
      if (key === undefined || payload === null || typeof payload !== 'object') return run(payload);
      let byKey = shared.get(payload);
      if (!byKey) shared.set(payload, (byKey = new Map()));
      let result = byKey.get(key);
      if (!result) byKey.set(key, (result = run(payload)));
      return result;
    };
    const source = stream[Symbol.asyncIterator]();
    const send = options.direct?.(args.contextValue as C);
    const iterator: AsyncIterableIterator<ExecutionResult> = {
      [Symbol.asyncIterator]: () => iterator,
      async next() {
        for (;;) {
          const r = await source.next();
          if (r.done) return { done: true, value: undefined };
          const result = await resultFor(r.value);
          // Sent directly: wait for the next event. Errors (masked per socket) and closed sockets: graphql-ws.
          if (send && !result.errors?.length && send(result)) continue;
          return { done: false, value: result };
        }
      },
      async return() {
        await source.return?.();
        return { done: true, value: undefined };
      },
      async throw(error?: unknown) {
        await source.return?.();
        throw error;
      },
    };
    return iterator;
  };
}
