// Runs GraphQL subscriptions for graphql-ws with a fresh context (fresh DataLoaders) for every event.
import { map, pipe } from '@graphql-yoga/subscription';
import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';

const isAsyncIterable = (v: unknown): v is AsyncIterable<unknown> =>
  typeof (v as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function';

/**
 * graphql-js's `subscribe`, except that each event is executed with `perEvent(context)` instead of the
 * one context the operation started with.
 *
 * Why: a subscription lives for hours with one context, and DataLoaders cache for their whole life —
 * the second event would show the first one's data (stack-notes). Building the request services per
 * event gives every event fresh loaders, exactly like a new HTTP request. The source stream (and so the
 * subscribe-time authorization and topic) is set up once, with the operation's own context.
 *
 * The mapping is a Repeater (`pipe`/`map`), so a client that unsubscribes while no event is due is
 * released at once (an async generator's return() would wait behind the pending next()).
 */
export function subscribeWithFreshContext<C>(perEvent: (context: C) => C) {
  return async (args: ExecutionArgs): Promise<AsyncIterable<ExecutionResult> | ExecutionResult> => {
    const stream = await createSourceEventStream(args);
    if (!isAsyncIterable(stream)) return stream as ExecutionResult;
    return pipe(
      stream,
      map(
        (payload: unknown) =>
          execute({ ...args, rootValue: payload, contextValue: perEvent(args.contextValue as C) }) as
            ExecutionResult | Promise<ExecutionResult>,
      ),
    );
  };
}
