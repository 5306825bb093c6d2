// Catch-up: events the gateway missed (it was down, a webhook was lost, Redis or Stripe was away) are read back from
// GET /v1/events since the last catch-up and processed through the same de-duplication as webhooks, so no push is
// lost and none is sent twice. Stripe keeps events for 30 days (https://docs.stripe.com/api/events).
import type { Redis } from 'ioredis';
import type Stripe from 'stripe';
import type { Logger } from '../../platform/logger';
import type { EventDedupe } from './event-dedupe';

/** Where the last catch-up stopped: the newest event it saw. */
export interface CatchUpCursor {
  get(): Promise<{ id: string; created: number } | null>;
  set(cursor: { id: string; created: number }): Promise<void>;
}

const CURSOR_KEY = 'fcgw:events:cursor';

/** Per process: a restart starts from "now" (only Redis keeps the cursor across restarts). */
export function createMemoryCursor(): CatchUpCursor {
  let cursor: { id: string; created: number } | null = null;
  return {
    get: async () => cursor,
    set: async (c) => {
      if (!cursor || c.created >= cursor.created) cursor = c;
    },
  };
}

/** Shared by every instance; an older cursor never overwrites a newer one. */
export function createRedisCursor(redis: Redis): CatchUpCursor {
  return {
    async get() {
      const raw = await redis.get(CURSOR_KEY);
      if (!raw) return null;
      const parsed = JSON.parse(raw) as { id?: unknown; created?: unknown };
      return typeof parsed.id === 'string' && typeof parsed.created === 'number'
        ? { id: parsed.id, created: parsed.created }
        : null;
    },
    async set(c) {
      const current = await this.get();
      if (!current || c.created >= current.created) await redis.set(CURSOR_KEY, JSON.stringify(c));
    },
  };
}

export interface EventCatchUpDeps {
  stripe: Stripe;
  cursor: CatchUpCursor;
  dedupe: EventDedupe;
  /** Event types worth reading back (the webhook handler's). */
  types: string[];
  livemode: boolean;
  /** Processes one first-seen event (the webhook service's `process`). */
  process(event: Stripe.Event): Promise<void>;
  /**
   * Runs before an event is claimed (the webhook service's `takeIn`: partner webhooks queue its copies); a failure
   * ends the run with nothing claimed and the cursor where it was, so the next run reads the event again.
   */
  takeIn?(event: Stripe.Event): Promise<void>;
  log: Logger;
}

/** Page size of GET /v1/events (Stripe's maximum). */
const PAGE = 100;

export class EventCatchUp {
  private running: Promise<number> | undefined;

  constructor(private readonly deps: EventCatchUpDeps) {}

  /**
   * Reads every event since the cursor, oldest first, and processes those no webhook (or other instance) has
   * claimed. One run at a time per instance; a failed run leaves the cursor where it was.
   * @returns how many events were processed by this run.
   */
  run(): Promise<number> {
    this.running ??= this.catchUp()
      .catch((e: unknown) => {
        this.deps.log.warn({ reason: (e as Error).message }, 'event catch-up failed; it runs again later');
        return 0;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async catchUp(): Promise<number> {
    const { stripe, cursor, dedupe } = this.deps;
    const from = await cursor.get();
    if (!from) {
      // First start without a stored cursor: nothing before now is owed; start following from the newest event.
      // (No event at all yet: every later one is new.)
      const newest = (await stripe.events.list({ limit: 1 })).data[0];
      await cursor.set(newest ? { id: newest.id, created: newest.created } : { id: '', created: 0 });
      return 0;
    }
    const events: Stripe.Event[] = [];
    let startingAfter: string | undefined;
    for (;;) {
      const page = await stripe.events.list({
        limit: PAGE,
        created: { gte: from.created },
        types: this.deps.types,
        ...(startingAfter ? { starting_after: startingAfter } : {}),
      });
      events.push(...page.data);
      if (!page.has_more || page.data.length === 0) break;
      startingAfter = page.data[page.data.length - 1].id;
    }
    let processed = 0;
    for (const event of events.reverse()) {
      if (event.livemode !== this.deps.livemode || event.id === from.id) continue;
      await this.deps.takeIn?.(event);
      // A DedupeUnavailableError ends the run here: never process without dedupe; the cursor stays put.
      if (await dedupe.claim(`evt:${event.id}`)) {
        await this.deps.process(event);
        processed += 1;
      }
      await cursor.set({ id: event.id, created: event.created });
    }
    if (processed)
      this.deps.log.info({ processed, read: events.length }, 'event catch-up processed missed events');
    return processed;
  }
}
