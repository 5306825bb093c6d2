// Automatic Persisted Queries: one store of query text by sha256, read by Apollo Server, the fast lane and graphql-ws.
import { createHash } from 'node:crypto';
import { InMemoryLRUCache, PrefixingKeyValueCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import { GraphQLError } from 'graphql';
import { isRecord, type OperationPayload } from './operation-payload';

/** At most ~8 MiB of query text, each kept 15 minutes. */
const MAX_STORED_BYTES = 8 * 1024 * 1024;
const TTL_SECONDS = 900;

/** A request's query text as the APQ protocol gives it: the text, plus the hash to register it under when new. */
export type QuerySource = { query: string; register?: string } | { error: GraphQLError };

/**
 * The store is keyed by the hash alone. Why not leave the keys to Apollo Server: it prefixes its own (an internal
 * constant), and the fast lane and graphql-ws would have to know it. The store is dedicated to persisted queries, so
 * Apollo is told that prefixes are unnecessary (@apollo/utils.keyvaluecache `cacheDangerouslyDoesNotNeedPrefixesForIsolation`).
 */
export class PersistedQueries {
  private readonly store: KeyValueCache<string>;
  /** Apollo Server's `persistedQueries` option, on this same store. */
  readonly apolloOption: { cache: KeyValueCache<string>; ttl: number };

  constructor(store: KeyValueCache<string> = new InMemoryLRUCache<string>({ maxSize: MAX_STORED_BYTES })) {
    this.store = store;
    this.apolloOption = {
      cache: PrefixingKeyValueCache.cacheDangerouslyDoesNotNeedPrefixesForIsolation(store),
      ttl: TTL_SECONDS,
    };
  }

  /** The query text registered under `sha256Hash`, if any. */
  async lookup(sha256Hash: string): Promise<string | undefined> {
    const text = await this.store.get(sha256Hash);
    return typeof text === 'string' ? text : undefined;
  }

  /** Registers a query that passed validation (the caller checked the hash, see {@link sourceOf}). */
  register(sha256Hash: string, query: string): void {
    void Promise.resolve(this.store.set(sha256Hash, query, { ttl: TTL_SECONDS })).catch(() => undefined);
  }

  /**
   * The query text of an operation that may use the APQ protocol, with Apollo Server's answers to its mistakes
   * (error-masking.ts gives them the contract's codes): an unknown hash, a version other than 1, a wrong hash.
   */
  async sourceOf(payload: OperationPayload): Promise<QuerySource> {
    const pq = isRecord(payload.extensions) ? payload.extensions.persistedQuery : undefined;
    if (pq === undefined || pq === null) {
      if (typeof payload.query === 'string' && payload.query !== '') return { query: payload.query };
      return {
        error: new GraphQLError(
          'GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension.',
          { extensions: { code: 'BAD_REQUEST' } },
        ),
      };
    }
    if (!isRecord(pq) || pq.version !== 1)
      return { error: new GraphQLError('Unsupported persisted query version') };
    const hash = typeof pq.sha256Hash === 'string' ? pq.sha256Hash : '';
    // graphql-ws requires a string `query`: there an empty one asks by the hash alone.
    if (payload.query === undefined || payload.query === null || payload.query === '') {
      const stored = hash ? await this.lookup(hash) : undefined;
      if (stored !== undefined) return { query: stored };
      return {
        error: new GraphQLError('PersistedQueryNotFound', {
          extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
        }),
      };
    }
    if (
      typeof payload.query !== 'string' ||
      createHash('sha256').update(payload.query).digest('hex') !== hash
    )
      return { error: new GraphQLError('provided sha does not match query') };
    return { query: payload.query, register: hash };
  }
}
