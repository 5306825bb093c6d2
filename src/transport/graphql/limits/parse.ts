// The limits' numbers and their error, and the first check: the query's length and tokens, at parse time.
import { GraphQLError, parse, type DocumentNode } from 'graphql';
import { ErrorCode } from '../../../platform/errors';

/** Every limit; defaults are docs/security-catalogue.md's starting numbers, each overridable by env (see config.ts). */
export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
  /** Estimated Stripe calls of one operation (src/transport/graphql/limits/stripe-call-estimate.ts). */
  maxStripeCalls: number;
  /** Characters of the `query` string, checked before it is parsed. */
  maxQueryLength: number;
  maxSubscriptionsPerSocket: number;
}

export const DEFAULT_LIMITS: QueryLimits = {
  maxDepth: 8,
  maxAliases: 15,
  maxDirectives: 50,
  maxTokens: 2000,
  maxCost: 5000,
  // Each field's declared calls, following the loaders' plan (expand embeds cost nothing): a customer's 20-account
  // dashboard with owners and 10 transactions each estimates 22 (it sends 21); the heaviest operation in
  // schema/operations/ at `first: 100` stays under it, and a fan-out over 100 customers (201) is refused.
  maxStripeCalls: 50,
  maxQueryLength: 32768,
  maxSubscriptionsPerSocket: 20,
};

/** graphql-js stops validating after this many errors (DS6: a 10k-error query answers ≤ 100 errors). */
export const MAX_VALIDATION_ERRORS = 100;

export type LimitKind =
  'tokens' | 'depth' | 'aliases' | 'directives' | 'cost' | 'stripeCalls' | 'length' | 'selections';

/**
 * A query over one of the limits. `extensions.limit` survives Apollo's ValidationError wrapping (which
 * overwrites `code` with GRAPHQL_VALIDATION_FAILED), so the error formatter can restore QUERY_TOO_COMPLEX.
 * @param estimate what the operation was found to need, in the limit's unit (`extensions.estimate`): a client can
 *   size its pages against `max` with it. Omitted where the check stops at the limit (depth, tokens, …).
 */
export function queryTooComplex(
  limit: LimitKind,
  message: string,
  max: number,
  estimate?: number,
): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: ErrorCode.QUERY_TOO_COMPLEX,
      limit,
      max,
      ...(estimate !== undefined ? { estimate } : {}),
    },
  });
}

/** True when `message` is graphql-js's token-limit parse error (its text says "more that"). */
export const isTokenLimitMessage = (message: string) =>
  /Document contains more tha[nt] \d+ tokens/.test(message);

/**
 * Parses with the token limit. graphql-js aborts lexing at `maxTokens`, so a 10k-token document costs
 * at most `maxTokens` tokens of work.
 * @throws GraphQLError QUERY_TOO_COMPLEX (limit: tokens) or the parse error (GRAPHQL_PARSE_FAILED)
 */
export function parseWithLimits(query: string, limits: QueryLimits): DocumentNode {
  if (query.length > limits.maxQueryLength) {
    throw queryTooComplex(
      'length',
      `The query is longer than ${limits.maxQueryLength} characters.`,
      limits.maxQueryLength,
    );
  }
  try {
    return parse(query, { maxTokens: limits.maxTokens });
  } catch (e) {
    if (e instanceof GraphQLError && isTokenLimitMessage(e.message)) {
      throw queryTooComplex(
        'tokens',
        `The query has more than ${limits.maxTokens} tokens.`,
        limits.maxTokens,
      );
    }
    if (e instanceof GraphQLError) {
      throw new GraphQLError(e.message, {
        nodes: e.nodes,
        source: e.source,
        positions: e.positions,
        extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      });
    }
    throw e;
  }
}
