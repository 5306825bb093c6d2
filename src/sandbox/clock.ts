// Time for the sandbox: a clock that tests can move forward, and tracked timers for async work
// (refresh completion, ACH settlement, webhook retries) that close() cancels.

export class Clock {
  private offsetMs = 0;

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  /** Unix seconds, as Stripe timestamps are. */
  now(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  /** Moves sandbox time forward (e.g. past `next_refresh_available_at`) without waiting. */
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}

export class Timers {
  private readonly pending = new Set<NodeJS.Timeout>();
  private closed = false;

  /** Runs `fn` after `ms`; errors are reported to `onError` rather than crashing the process. */
  schedule(
    ms: number,
    fn: () => void | Promise<void>,
    onError: (err: unknown) => void = () => {},
  ): NodeJS.Timeout | undefined {
    if (this.closed) return undefined;
    const handle = setTimeout(
      () => {
        this.pending.delete(handle);
        try {
          const r = fn();
          if (r && typeof (r as Promise<void>).catch === 'function') (r as Promise<void>).catch(onError);
        } catch (err) {
          onError(err);
        }
      },
      Math.max(0, ms),
    );
    this.pending.add(handle);
    return handle;
  }

  cancel(handle: NodeJS.Timeout | undefined): void {
    if (!handle) return;
    clearTimeout(handle);
    this.pending.delete(handle);
  }

  /** Cancels everything; later schedule() calls are ignored. */
  close(): void {
    this.closed = true;
    for (const h of this.pending) clearTimeout(h);
    this.pending.clear();
  }
}
