import {
  GraphQLInt,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
  type ExecutionResult,
} from 'graphql';
import { createPubSub } from '@graphql-yoga/subscription';
import { subscribeWithFreshContext } from '../../src/transport/subscription-execution';

interface Ctx {
  contextId: number;
  /** Stands in for a request's DataLoader cache: filled once per context. */
  cache: Map<string, string>;
}

describe('subscribeWithFreshContext', () => {
  const upstream = new Map<string, string>([['acct', 'v1']]);
  const pubSub = createPubSub<{ tick: [number] }>();
  const Event = new GraphQLObjectType<number, Ctx>({
    name: 'Event',
    fields: {
      n: { type: GraphQLInt, resolve: (n) => n },
      contextId: { type: GraphQLInt, resolve: (_n, _a, ctx) => ctx.contextId },
      // Reads through the context's cache, as a DataLoader would.
      value: {
        type: GraphQLString,
        resolve: (_n, _a, ctx) => {
          if (!ctx.cache.has('acct')) ctx.cache.set('acct', upstream.get('acct')!);
          return ctx.cache.get('acct');
        },
      },
    },
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLInt, resolve: () => 1 } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        tick: { type: Event, subscribe: () => pubSub.subscribe('tick'), resolve: (n: number) => n },
      },
    }),
  });

  it('should execute each event with a fresh context, so the second event never shows the first one’s data', async () => {
    let made = 0;
    const run = subscribeWithFreshContext<Ctx>(() => ({ contextId: ++made, cache: new Map() }));
    const operationContext: Ctx = { contextId: 0, cache: new Map() };
    const result = (await run({
      schema,
      document: parse('subscription { tick { n contextId value } }'),
      contextValue: operationContext,
    })) as AsyncIterableIterator<ExecutionResult>;
    const first = result.next();
    await new Promise((r) => setImmediate(r));
    pubSub.publish('tick', 1);
    expect((await first).value.data).toEqual({ tick: { n: 1, contextId: 1, value: 'v1' } });

    upstream.set('acct', 'v2');
    const second = result.next();
    pubSub.publish('tick', 2);
    expect((await second).value.data).toEqual({ tick: { n: 2, contextId: 2, value: 'v2' } });
    expect(operationContext.cache.size).toBe(0);
    await result.return?.();
  });

  it('should end promptly when returned while no event is due', async () => {
    const run = subscribeWithFreshContext<Ctx>((c) => c);
    const result = (await run({
      schema,
      document: parse('subscription { tick { n } }'),
      contextValue: { contextId: 0, cache: new Map() },
    })) as AsyncIterableIterator<ExecutionResult>;
    const pending = result.next();
    await result.return?.();
    expect(await pending).toEqual({ done: true, value: undefined });
  });

  it('should hand back subscribe-time errors as a result, not a stream', async () => {
    const failing = new GraphQLSchema({
      query: schema.getQueryType(),
      subscription: new GraphQLObjectType({
        name: 'Subscription',
        fields: {
          tick: {
            type: GraphQLInt,
            subscribe: () => {
              throw new Error('NOT_FOUND');
            },
          },
        },
      }),
    });
    const run = subscribeWithFreshContext<Ctx>((c) => c);
    const result = (await run({
      schema: failing,
      document: parse('subscription { tick }'),
    })) as ExecutionResult;
    expect(result.errors?.map((e) => e.message)).toEqual(['NOT_FOUND']);
  });
});
