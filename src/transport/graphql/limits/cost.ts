// The limits checked once the variables are known: list-aware cost and estimated Stripe calls, both on the one walk.
import type { DocumentNode, GraphQLError, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { queryTooComplex, type QueryLimits } from './parse';
import { foldOperation, fragmentsOf, type SelectionFold } from './selection-walk';
import { estimateStripeCalls } from './stripe-call-estimate';

/**
 * Every field costs 1, and a connection multiplies the cost of its subtree by its page size (`first`, else the
 * field's declared default, else DEFAULT_PAGE_SIZE, at most 100), so
 * `accounts(first:100){ nodes { transactions(first:100){ nodes { id } } } }` costs ~20,000. Introspection fields
 * cost nothing. `@skip`/`@include` are honoured.
 */
const COST: SelectionFold<number, null> = {
  zero: 0,
  add: (a, b) => a + b,
  max: Math.max,
  field: (field, facts, children) =>
    field.node.name.value.startsWith('__') ? 0 : 1 + field.pageSize * children(facts),
};

/** List-aware cost of one operation ({@link COST}); linear in the document's size. */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables?: Record<string, unknown>,
): number {
  const fragments = fragmentsOf(document);
  return foldOperation(schema, (name) => fragments.get(name), operation, COST, {
    variables,
    honourSkip: true,
    facts: null,
  });
}

/**
 * QUERY_TOO_COMPLEX when the operation's cost or its estimated Stripe calls are over the limit, else null. The error
 * states the estimate (`extensions.estimate`) next to the limit (`limit`, `max`).
 */
export function costError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  limits: QueryLimits,
): GraphQLError | null {
  const cost = operationCost(schema, document, operation, variables);
  if (cost <= limits.maxCost) {
    const calls = estimateStripeCalls(schema, document, operation, variables);
    if (calls <= limits.maxStripeCalls) return null;
    return queryTooComplex(
      'stripeCalls',
      `The operation could make up to ${calls} Stripe requests, over the limit of ${limits.maxStripeCalls}; request smaller pages (first) or fewer nested lists and lookups.`,
      limits.maxStripeCalls,
      calls,
    );
  }
  const shown = Number.isFinite(cost) ? Math.round(cost) : 'Infinity';
  return queryTooComplex(
    'cost',
    `The operation's estimated cost ${shown} exceeds the limit of ${limits.maxCost}; request smaller pages (first) or fewer nested connections.`,
    limits.maxCost,
    Number.isFinite(cost) ? Math.round(cost) : Number.MAX_SAFE_INTEGER,
  );
}
