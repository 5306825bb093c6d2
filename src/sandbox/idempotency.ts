// Idempotency-Key handling as Stripe documents it (docs.stripe.com/api/idempotent_requests):
// the first response (status + body, 500s included) is saved once the endpoint starts executing and replayed
// for the same key + same parameters; other parameters → 400 idempotency_error; a key still executing → 409;
// requests that fail validation are not saved, so they can be retried. Keys are at most 255 characters
// and are pruned after 24 hours.
import { SandboxError } from './errors';

export interface SavedResponse {
  status: number;
  body: unknown;
}

interface Entry {
  fingerprint: string;
  savedAt: number;
  response?: SavedResponse;
}

const MAX_KEY_LENGTH = 255;
const TTL_MS = 24 * 3600 * 1000;
/** Memory bound for long benchmarks (stripe-node keys every POST): the oldest keys go first. */
const MAX_ENTRIES = 100_000;

export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  /**
   * Looks a key up before executing. Returns the saved response to replay, or undefined to execute
   * (and then call save() or forget()).
   * @throws SandboxError 400 (too long, or other parameters) or 409 (same key still executing).
   */
  begin(apiKey: string, key: string, fingerprint: string, nowMs: number): SavedResponse | undefined {
    if (key.length > MAX_KEY_LENGTH)
      throw new SandboxError(400, {
        type: 'invalid_request_error',
        message: `The idempotency key provided is too long: keys can be at most ${MAX_KEY_LENGTH} characters.`,
        param: 'Idempotency-Key',
      });
    const id = `${apiKey}\u0000${key}`;
    this.prune(nowMs);
    const entry = this.entries.get(id);
    if (entry && nowMs - entry.savedAt > TTL_MS) this.entries.delete(id);
    const live = this.entries.get(id);
    if (!live) {
      this.entries.set(id, { fingerprint, savedAt: nowMs });
      return undefined;
    }
    if (live.fingerprint !== fingerprint)
      throw new SandboxError(400, {
        type: 'idempotency_error',
        message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key.slice(0, 255)}' if you meant to execute a different request.`,
      });
    if (!live.response)
      throw new SandboxError(409, {
        type: 'idempotency_error',
        code: 'idempotency_key_in_use',
        message: `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key.slice(0, 255)}. Please try again later.`,
      });
    return live.response;
  }

  /** Maps keep insertion order, so the oldest entries are first. */
  private prune(nowMs: number): void {
    for (const [id, e] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES && nowMs - e.savedAt <= TTL_MS) break;
      this.entries.delete(id);
    }
  }

  save(apiKey: string, key: string, response: SavedResponse): void {
    const entry = this.entries.get(`${apiKey}\u0000${key}`);
    if (entry) entry.response = response;
  }

  /** Validation failed: nothing is saved, the key may be used again. */
  forget(apiKey: string, key: string): void {
    this.entries.delete(`${apiKey}\u0000${key}`);
  }
}
