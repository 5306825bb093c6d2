// An event for state that has no event of its own: the next call of one method of a live object.

/**
 * Resolves after the next call of `target[method]` has returned; the call runs unchanged. For example the next
 * `metrics.subscribers.inc()`: the gateway counts a subscription once its listener is attached, so a test can cause
 * an event only after that, without polling /metrics.
 */
export function nextCall<T extends object, K extends keyof T>(target: T, method: K): Promise<void> {
  const own = Object.prototype.hasOwnProperty.call(target, method);
  const original = target[method] as unknown as (...args: unknown[]) => unknown;
  return new Promise<void>((resolve) => {
    const once = function (this: T, ...args: unknown[]) {
      if (own) target[method] = original as unknown as T[K];
      else delete target[method];
      const result = original.apply(this, args);
      resolve();
      return result;
    };
    target[method] = once as unknown as T[K];
  });
}
