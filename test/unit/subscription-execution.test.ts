import {
  GraphQLInt,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
  type ExecutionResult,
} from 'graphql';
import { createPubSub } from '@graphql-yoga/subscription';
import { EventQueue } from '../../src/services/live/event-queue';
import { subscribeWithFreshContext } from '../../src/transport/ws/subscription-execution';

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

describe('subscribeWithFreshContext with direct sends (one delivery per shared execution)', () => {
  /** An event: its `n` resolves when `gate` does; `fail` makes the result carry an error. */
  interface Tick {
    n: number;
    gate?: Promise<void>;
    fail?: boolean;
  }
  const queues: EventQueue<Tick>[] = [];
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLInt, resolve: () => 1 } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        tick: {
          type: GraphQLInt,
          subscribe: () => {
            const queue = new EventQueue<Tick>();
            queues.push(queue);
            return queue;
          },
          // Synchronous unless gated, so a result can be ready at once or still running, as the test needs.
          resolve: (t: Tick) => {
            if (t.gate) return t.gate.then(() => t.n);
            if (t.fail) throw new Error('FAILED');
            return t.n;
          },
        },
      },
    }),
  });
  const publish = (t: Tick) => queues.forEach((q) => q.push(t));

  it('keeps each socket’s order across pending executions, errors and graphql-ws’s own sends', async () => {
    const sent: number[][] = [[], []];
    const open = [true, true];
    const run = subscribeWithFreshContext<{ socket: number }>((c) => c, {
      shareKey: () => 'caller',
      direct: (c) => (result) => {
        if (!open[c.socket]) return false;
        sent[c.socket].push(result.data!.tick as number);
        return true;
      },
    });
    const document = parse('subscription { tick }');
    const its = (await Promise.all(
      [0, 1].map((socket) => run({ schema, document, contextValue: { socket } })),
    )) as AsyncIterableIterator<ExecutionResult>[];

    let release!: () => void;
    const first = its.map((it) => it.next());
    publish({ n: 1, gate: new Promise((resolve) => (release = resolve)) });
    publish({ n: 2 }); // ready at once, but must wait behind event 1
    publish({ n: 3, fail: true }); // errors go to graphql-ws (masked per socket there)
    expect(sent).toEqual([[], []]);
    release();
    const errors = await Promise.all(first);
    expect(sent).toEqual([
      [1, 2],
      [1, 2],
    ]);
    expect(errors.map((r) => (r.value as ExecutionResult).errors?.[0].message)).toEqual(['FAILED', 'FAILED']);

    // While graphql-ws still handles event 3, event 4 must not overtake it: it goes through graphql-ws too.
    publish({ n: 4 });
    expect(sent[0]).toEqual([1, 2]);
    const fourth = await its[0].next();
    expect((fourth.value as ExecutionResult).data).toEqual({ tick: 4 });

    // A socket that is no longer open hands its result back to graphql-ws; an open one sends directly.
    open[1] = false;
    const pending = its[0].next();
    await its[1].next(); // event 4 on socket 1 (it was handing event 3)
    const fifth = its[1].next();
    publish({ n: 5 });
    expect(sent[0]).toEqual([1, 2, 5]);
    expect(((await fifth).value as ExecutionResult).data).toEqual({ tick: 5 });

    // return() ends the stream at once and unsubscribes from the source.
    await its[0].return!();
    expect(await pending).toEqual({ done: true, value: undefined });
    await its[1].return!();
    publish({ n: 6 });
    expect(sent[0]).toEqual([1, 2, 5]);
  });

  it('executes an event handed to a whole group once, and keeps each socket’s order behind what it already waits for', async () => {
    queues.length = 0;
    const sent: number[][] = [[], [], []];
    let executions = 0;
    const run = subscribeWithFreshContext<{ socket: number }>(
      (c) => {
        executions += 1;
        return c;
      },
      {
        shareKey: () => 'caller',
        direct: (c) => (result) => {
          sent[c.socket].push(result.data!.tick as number);
          return true;
        },
      },
    );
    const document = parse('subscription { tick }');
    const its = (await Promise.all(
      [0, 1, 2].map((socket) => run({ schema, document, contextValue: { socket } })),
    )) as AsyncIterableIterator<ExecutionResult>[];
    for (const it of its) void it.next();
    const sinks = queues.map((q) => q.groupSink!);
    expect(new Set(sinks.map((s) => s.groupKey)).size).toBe(1);

    // Socket 0 still waits for event 1 (taken alone); the group's event 2 must not overtake it there.
    let release!: () => void;
    queues[0].push({ n: 1, gate: new Promise((resolve) => (release = resolve)) });
    executions = 0;
    sinks[0].pushToGroup({ n: 2, gate: Promise.resolve() }, sinks);
    expect(executions).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual([[], [2], [2]]);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual([[1, 2], [2], [2]]);

    // A result that is ready at once goes out to every socket of the group from the call itself.
    sinks[1].pushToGroup({ n: 3 }, sinks);
    expect(sent).toEqual([
      [1, 2, 3],
      [2, 3],
      [2, 3],
    ]);
    await Promise.all(its.map((it) => it.return!()));
  });
});
