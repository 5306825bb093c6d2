// Runs GraphQL subscriptions for graphql-ws with a fresh context (fresh DataLoaders) for every event.
import { createSourceEventStream, execute, print, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { EventQueue, EventSink } from '../../services/live/event-queue';

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
  /**
   * Runs each event's execution (`run`) for the subscription of `args`: the operation spans of ws-tracing.ts.
   * Omit to execute directly.
   */
  aroundEvent?: (
    args: ExecutionArgs,
    run: () => ExecutionResult | Promise<ExecutionResult>,
  ) => ExecutionResult | Promise<ExecutionResult>;
}

/**
 * graphql-js's `subscribe`, except that each event is executed with `perEvent(context)` instead of the
 * one context the operation started with.
 *
 * Why a fresh context: a subscription lives for hours with one context, and DataLoaders cache for their
 * whole life — the second event would show the first one's data (see src/transport/ws/graphql-ws-server.ts). Building the request
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
  /** Each shared execution's outcome once settled, so later events of a socket need not wait a tick for it. */
  const settled = new WeakMap<Promise<ExecutionResult>, Outcome>();
  /** The sockets waiting for each pending execution: one settle callback delivers to all of them, in order. */
  const waiters = new WeakMap<Promise<ExecutionResult>, SocketDelivery[]>();
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
    const executeEvent = (payload: unknown) =>
      execute({ ...args, rootValue: payload, contextValue: perEvent(args.contextValue as C) }) as
        ExecutionResult | Promise<ExecutionResult>;
    const { aroundEvent } = options;
    const run = aroundEvent
      ? (payload: unknown) => aroundEvent(args, () => executeEvent(payload))
      : executeEvent;
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
    const sinkable = source as Partial<Pick<EventQueue<unknown>, 'deliverTo'>>;
    if (send && typeof sinkable.deliverTo === 'function') {
      const delivery = new SocketDelivery(send, source, resultFor, key, settled, waiters);
      sinkable.deliverTo(delivery);
      return delivery;
    }
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

type Outcome = { ok: true; result: ExecutionResult } | { ok: false; error: unknown };

/**
 * One socket's subscription when its source can push synchronously (EventQueue.deliverTo): each event's result
 * is sent from the source's own callback when it is already there, and otherwise from the one callback of the
 * shared execution (`waiters`), which walks every socket waiting for it. Why: at 1,000 subscribers an async
 * iterator per socket costs a promise chain per socket per event, and the garbage of those chains set the tail
 * of the last subscriber's latency (bench/subscriptions.ts). graphql-ws still iterates this object, but it only
 * hears of what the direct send cannot take: results with errors (masked per socket by its `onNext`), results
 * for a socket that is no longer open, a failed execution, and the end.
 *
 * It is its source's sink, and identical subscriptions' sinks share a group key (their shared execution's key): a
 * source may hand one event to all of them at once (`pushToGroup`), which executes it once and walks the sockets
 * without a look-up each.
 *
 * Order per socket is the order of events: a result waits behind every earlier one still executing, and once
 * anything has gone to graphql-ws, everything after it goes that way too until graphql-ws asks for more.
 */
class SocketDelivery implements AsyncIterableIterator<ExecutionResult>, EventSink<unknown> {
  /** Results (or pending executions) not yet delivered, oldest first; empty in the common case. */
  private readonly backlog: (ExecutionResult | Promise<ExecutionResult>)[] = [];
  /** What graphql-ws has yet to take (see `next`). */
  private readonly out: Outcome[] = [];
  private waiting:
    { resolve: (r: IteratorResult<ExecutionResult>) => void; reject: (e: unknown) => void } | undefined;
  /** graphql-ws is still handling the last value it took (it calls `next` again when done). */
  private handing = false;
  private ended = false;
  private finished = false;

  /**
   * @param resultFor the (shared) execution of an event for this subscription
   * @param groupKey the shared execution's key; undefined: this subscription shares nothing
   */
  constructor(
    private readonly send: (result: ExecutionResult) => boolean,
    private readonly source: AsyncIterator<unknown>,
    private readonly resultFor: (payload: unknown) => ExecutionResult | Promise<ExecutionResult>,
    readonly groupKey: string | undefined,
    private readonly settled: WeakMap<Promise<ExecutionResult>, Outcome>,
    private readonly waiters: WeakMap<Promise<ExecutionResult>, SocketDelivery[]>,
  ) {}

  push(payload: unknown): void {
    this.take(this.resultFor(payload));
  }

  pushToGroup(payload: unknown, group: Iterable<EventSink<unknown>>): void {
    const result = this.resultFor(payload);
    if (!(result instanceof Promise) || this.settled.has(result)) {
      for (const sink of group)
        if (sink instanceof SocketDelivery) sink.take(result);
        else sink.push(payload);
      return;
    }
    // Still executing: every socket queues it behind what it already waits for, and waits with one list.
    const sockets = this.waitersOf(result);
    for (const sink of group) {
      if (!(sink instanceof SocketDelivery)) sink.push(payload);
      else if (!sink.finished) {
        sink.backlog.push(result);
        sockets.push(sink);
      }
    }
  }

  /** Delivers one event's result (or pending execution) after everything before it. */
  private take(item: ExecutionResult | Promise<ExecutionResult>): void {
    if (this.finished) return;
    if (this.backlog.length === 0 && !(item instanceof Promise))
      return this.deliver({ ok: true, result: item });
    this.backlog.push(item);
    if (item instanceof Promise && !this.settled.has(item)) this.waitersOf(item).push(this);
    else this.flush();
  }

  end(): void {
    this.ended = true;
    this.flush();
  }

  /** The sockets waiting for `execution`, which all get its outcome (in their order) once it settles. */
  private waitersOf(execution: Promise<ExecutionResult>): SocketDelivery[] {
    const list = this.waiters.get(execution);
    if (list) return list;
    const sockets: SocketDelivery[] = [];
    this.waiters.set(execution, sockets);
    const done = (outcome: Outcome) => {
      this.settled.set(execution, outcome);
      this.waiters.delete(execution);
      for (const socket of sockets) socket.flush(execution, outcome);
    };
    execution.then(
      (result) => done({ ok: true, result }),
      (error: unknown) => done({ ok: false, error }),
    );
    return sockets;
  }

  /**
   * Delivers the backlog's settled head, in order, up to the first execution still running.
   * @param execution one that just settled, with its `outcome` (saves a look-up per socket at fan-out)
   */
  private flush(execution?: Promise<ExecutionResult>, known?: Outcome): void {
    while (this.backlog.length && !this.finished) {
      const head = this.backlog[0];
      const outcome =
        head === execution
          ? known
          : head instanceof Promise
            ? this.settled.get(head)
            : { ok: true as const, result: head };
      if (!outcome) return;
      this.backlog.shift();
      this.deliver(outcome);
    }
    if (this.ended && this.backlog.length === 0) this.settle();
  }

  private deliver(outcome: Outcome): void {
    if (
      outcome.ok &&
      !outcome.result.errors?.length &&
      this.out.length === 0 &&
      !this.handing &&
      this.send(outcome.result)
    )
      return;
    this.out.push(outcome);
    this.settle();
  }

  /** Hands graphql-ws what it is waiting for, if anything is ready. */
  private settle(): void {
    const waiting = this.waiting;
    if (!waiting) return;
    const outcome = this.out.shift();
    if (outcome) {
      this.waiting = undefined;
      this.handing = true;
      if (outcome.ok) waiting.resolve({ done: false, value: outcome.result });
      else waiting.reject(outcome.error);
    } else if (this.ended && this.backlog.length === 0) {
      this.waiting = undefined;
      waiting.resolve({ done: true, value: undefined });
    }
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    this.handing = false;
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.settle();
      // graphql-ws is idle again: what waited behind its last value may now go out directly.
      if (this.waiting && this.out.length === 0) this.flush();
    });
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.stop();
    await this.source.return?.();
    return { done: true, value: undefined };
  }

  async throw(error?: unknown): Promise<IteratorResult<ExecutionResult>> {
    this.stop();
    await this.source.return?.();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private stop(): void {
    this.finished = true;
    this.ended = true;
    this.backlog.length = 0;
    this.out.length = 0;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve({ done: true, value: undefined });
  }
}
