// waitUntil(): the one polling helper, for states nothing announces (a Redis server's reconnection seen
// through /readyz). Anything that has an event — a subscription push, a webhook delivery, a poller's
// `settled`, a sandbox event — is awaited as that event instead.

/** Checks `cond()` every 10 ms until it holds; rejects naming `what` after `timeoutMs`. */
export async function waitUntil(
  cond: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
