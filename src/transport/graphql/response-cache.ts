// Whole responses of warm read-only operations, per caller, document and variables, valid while every Stripe read
// they were built from is still the one in the read cache (so every invalidation and TTL of those reads drops them).
import { isObjectType, Kind, type DocumentNode, type GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import { isPureField } from '../../resolvers/field-cost';
import { foldOperation, fragmentsOf, type SelectionFold } from './limits/selection-walk';
import type { Caller } from '../../services/auth/auth';
import type { ServiceDeps } from '../../services/domain/request-services';
import type { Metrics } from '../../platform/metrics';
import {
  NOT_HERE,
  resourceOf,
  type StripeReads,
  type StripeReadStore,
} from '../../services/stripe/stripe-reads';

/** Purity as a fold of the selection walk: every field pure, its selection too. */
const PURITY: SelectionFold<boolean, null> = {
  zero: true,
  add: (a, b) => a && b,
  max: (a, b) => a && b,
  field: (field, facts, children) =>
    (field.node.name.value === '__typename' ||
      (field.def !== undefined && isObjectType(field.parent) && isPureField(field.parent, field.def))) &&
    children(facts),
};

/**
 * True when every field the document's operations select (fragments included, `@skip`/`@include` or not) is
 * declared pure beside its resolver (resolvers/field-cost.ts `pure`: a function of the caller and of Stripe objects
 * read through the read cache only). Undeclared fields are not: a field added later is uncached until someone
 * checks it, instead of cached wrongly.
 */
export function onlyPureFields(schema: GraphQLSchema, document: DocumentNode): boolean {
  const fragments = fragmentsOf(document);
  return document.definitions.every(
    (d) =>
      d.kind !== Kind.OPERATION_DEFINITION ||
      foldOperation(schema, (name) => fragments.get(name), d, PURITY, { honourSkip: false, facts: null }),
  );
}

/** One Stripe read an answer was built from: the tenant view, the key, and the object it returned. */
interface Read {
  reads: StripeReads;
  key: string;
  value: unknown;
  /** How many times the execution looked it up (each a read-cache lookup in the metrics). */
  times: number;
}

/** Reads of one execution, recorded through a read store wrapper. */
export class RecordedReads {
  readonly reads = new Map<string, Read>();
  /** A read failed or could not be checked later: the answer must not be kept. */
  unusable = false;
}

/** `deps` whose read store records every read into `recorded`. */
function recordingDeps(deps: ServiceDeps, store: StripeReadStore, recorded: RecordedReads): ServiceDeps {
  const recordingStore: StripeReadStore = {
    ...store,
    forTenant(partnerId) {
      const inner = store.forTenant(partnerId);
      // `lookup`: a get, counted in the read-cache metrics; a peek is not.
      const record = (key: string, value: unknown, lookup: boolean) => {
        const id = `${partnerId}\u0000${key}`;
        const seen = recorded.reads.get(id);
        if (!seen) recorded.reads.set(id, { reads: inner, key, value, times: lookup ? 1 : 0 });
        else if (seen.value === value) seen.times += lookup ? 1 : 0;
        else recorded.unusable = true; // changed during the execution: the answer mixes two versions
      };
      return {
        ...inner,
        async get<T>(key: string, fetch: () => Promise<T>): Promise<T> {
          try {
            const value = await inner.get(key, fetch);
            record(key, value, true);
            return value;
          } catch (error) {
            recorded.unusable = true;
            throw error;
          }
        },
        // Transaction pages read ahead are served by peek (transactions.service.ts): the answer depends on them too.
        async peek<T>(key: string): Promise<T | undefined> {
          const value = await inner.peek<T>(key);
          record(key, value, false);
          return value;
        },
      };
    },
  };
  return { ...deps, readStore: recordingStore };
}

interface Entry {
  /** The answer as UTF-8, encoded once: each request it serves writes these bytes (no string to join or encode). */
  body: Buffer;
  reads: Read[];
  /** Read-cache lookups per resource that executing would count. */
  lookups: [string, number][];
}

/** Bytes of answers kept (LRU). */
const MAX_CACHED_BYTES = 8 * 1024 * 1024;

export interface ResponseCache {
  /**
   * The answer kept for `key` (its UTF-8 bytes) if every read it was built from is still current, else undefined (and
   * dropped).
   */
  lookup(key: string): Promise<Buffer | undefined>;
  /** Deps for an execution whose reads are recorded, and the record. */
  recording(deps: ServiceDeps): { deps: ServiceDeps; recorded: RecordedReads };
  /** Keeps an error-free answer built from `recorded` (nothing, if a read failed or none was made). */
  store(key: string, body: string, recorded: RecordedReads): void;
}

/** The cache key: who asks (an end user sees only their customer), which operation, with which variables. */
export function responseKey(caller: Caller, operationKey: string, variables: unknown): string {
  const who =
    caller.kind === 'customer' ? `c:${caller.partnerId}:${caller.customerId}` : `p:${caller.partnerId}`;
  return `${who}\u0000${JSON.stringify(variables ?? null)}\u0000${operationKey}`;
}

/**
 * Why validation by identity rather than tags and TTLs of its own: the in-process read cache keeps the very
 * objects it returned, so "every read is still the same object" is exactly "nothing it contains was
 * invalidated (by a write, a webhook or the poller: the existing invalidation path) or expired (its own TTL)".
 * With REDIS_URL the read cache keeps the objects it read in process too (services/stripe/read-cache-two-level.ts),
 * emptied of whatever another instance invalidates when its message arrives: an answer is dropped on every instance.
 * While that instance cannot hear invalidations, reads are fresh copies from Redis, so no kept answer matches.
 */
/** What `read`'s key holds now (`fresh`: as peekFresh sees it), asked of the store (Redis too). */
const asked = (read: Read, fresh: boolean): Promise<unknown> =>
  fresh ? read.reads.peekFresh(read.key) : read.reads.peek(read.key);

export function createResponseCache(store: StripeReadStore, metrics?: Metrics): ResponseCache {
  const entries = new LRUCache<string, Entry>({
    maxSize: MAX_CACHED_BYTES,
    sizeCalculation: (e) => e.body.length + 1,
  });
  return {
    async lookup(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      for (const read of entry.reads) {
        // A read the execution got by `get` is checked with peekFresh: while it is due for a refresh ahead of
        // expiry that has not started, the answer is executed again (from the cache, still current), and that
        // execution's `get` starts the refresh. Kept meanwhile: it is still right until the refresh lands, and
        // the refreshed entry is a new object, so this check then drops it.
        // No await when this process can tell: each would cost a turn of the microtask queue.
        let current = read.reads.peekHere(read.key, read.times > 0);
        if (current === NOT_HERE) current = await asked(read, read.times > 0);
        if (current === read.value) continue;
        if (current === undefined && read.times > 0) {
          let plain = read.reads.peekHere(read.key, false);
          if (plain === NOT_HERE) plain = await asked(read, false);
          if (plain === read.value) return undefined;
        }
        entries.delete(key);
        return undefined;
      }
      // Each read was looked up and found current: the read-cache hits executing would have counted.
      for (const [resource, times] of entry.lookups)
        metrics?.cacheLookups.inc({ resource, result: 'hit' }, times);
      return entry.body;
    },
    recording(deps) {
      const recorded = new RecordedReads();
      return { deps: recordingDeps(deps, store, recorded), recorded };
    },
    store(key, body, recorded) {
      if (recorded.unusable || recorded.reads.size === 0) return;
      const bytes = Buffer.from(body);
      if (bytes.length + 1 > MAX_CACHED_BYTES) return;
      const reads = [...recorded.reads.values()];
      const lookups = new Map<string, number>();
      for (const r of reads) lookups.set(resourceOf(r.key), (lookups.get(resourceOf(r.key)) ?? 0) + r.times);
      entries.set(key, { body: bytes, reads, lookups: [...lookups] });
    },
  };
}
