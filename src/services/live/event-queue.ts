// A small bounded async queue: the iterator one subscription reads its events from.

/**
 * Why not a Repeater pipeline (pubsub → filter → map): each stage allocates promises per event and per
 * subscriber, which dominated CPU and GC at 1,000 subscribers (bench/subscriptions.ts). This is one
 * array and at most one pending promise per subscriber.
 *
 * `return()` ends the iterator at once, also while a `next()` is pending (an async generator's would
 * wait behind it), so a client that unsubscribes is released immediately.
 */
/** A synchronous consumer of an {@link EventQueue} (see `deliverTo`). */
export interface EventSink<T> {
  push(item: T): void;
  end(): void;
  /**
   * Names what the sink makes of an item: sinks with equal keys make the same of every item (identical subscriptions
   * sharing one execution, transport/ws/subscription-execution.ts). A source may then hand an item to all of them
   * with one `pushToGroup` instead of a `push` each (services/live/live-subscriptions.ts).
   */
  readonly groupKey?: string;
  /** Takes `item` for every sink of `group`: each has this sink's `groupKey` (this one among them). */
  pushToGroup?(item: T, group: Iterable<EventSink<T>>): void;
}

/** A sink that can take items with others of its group key. */
export type GroupSink<T> = EventSink<T> & Required<Pick<EventSink<T>, 'groupKey' | 'pushToGroup'>>;

export class EventQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private ended = false;
  private sink: EventSink<T> | undefined;

  /**
   * @param onEnd called once when the iterator ends (return, throw or `end()`): unsubscribe there.
   * @param capacity events kept for a consumer that falls behind; beyond it the oldest are dropped
   *   (`onDrop` tells), so one slow socket can never grow the process without bound.
   */
  constructor(
    private readonly onEnd: () => void = () => undefined,
    private readonly capacity = 256,
    private readonly onDrop: () => void = () => undefined,
  ) {}

  push(item: T): void {
    if (this.ended) return;
    if (this.sink) return this.sink.push(item);
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      waiting({ done: false, value: item });
      return;
    }
    if (this.items.length >= this.capacity) {
      this.items.shift();
      this.onDrop();
    }
    this.items.push(item);
  }

  /**
   * From now on hands every item to `sink` synchronously, in order, instead of through `next()` (items already
   * queued first), and tells it when the stream ends. Why: a consumer that can act on an item at once (a socket
   * send, subscription-execution.ts) then costs no promise per item, which at 1,000 subscribers is most of the
   * garbage of a pushed event. `return()` still ends the stream (and the sink hears `end`).
   */
  deliverTo(sink: EventSink<T>): void {
    this.sink = sink;
    while (this.items.length) sink.push(this.items.shift()!);
    if (this.ended) sink.end();
  }

  /** The sink items go to, when it can take them with a group (EventSink.groupKey); undefined otherwise. */
  get groupSink(): GroupSink<T> | undefined {
    const sink = this.sink;
    return !this.ended && sink?.groupKey !== undefined && sink.pushToGroup
      ? (sink as GroupSink<T>)
      : undefined;
  }

  /** Ends the stream after the queued items (a source that completed). */
  end(): void {
    if (this.ended) return;
    this.finish();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length) return Promise.resolve({ done: false, value: this.items.shift()! });
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.items.length = 0;
    this.finish();
    return Promise.resolve({ done: true, value: undefined });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.items.length = 0;
    this.finish();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.({ done: true, value: undefined });
    this.sink?.end();
    this.onEnd();
  }
}
