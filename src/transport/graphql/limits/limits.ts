// The one set of query limits (tokens, depth, aliases, directives, list-aware cost, Stripe calls) shared by HTTP and
// WebSocket, and their pipelines. Split by job: parse.ts (numbers, error, length and tokens), rules.ts (validation
// rules), cost.ts (cost and Stripe-call estimate), selection-walk.ts (the one walk the counting limits fold).
//
// Library or our own, per limit (graphql-armor where it serves, docs/security-catalogue.md DS1–DS6, AU6, AU7):
// - depth, aliases: graphql-armor's maxDepthRule / maxAliasesRule, as validation rules on both transports,
//   reporting our QUERY_TOO_COMPLEX. Both count through fragments (memoized per fragment: linear on a fan-out).
// - directives: our own. graphql-armor-max-directives 2.3.1 drops a spread's own directives once its fragment is
//   memoized, so `...F @include(if: true)` repeated 60 times counts as 1 (DS3 would pass).
// - tokens: graphql-js's own `parse(…, { maxTokens })` (Apollo's parseOptions); graphql-armor-max-tokens is an
//   envelop onParse plugin doing the same, which Apollo cannot run.
// - stripeCalls: our own (stripe-call-estimate.ts), from each field's declared cost (resolvers/field-cost.ts), which
//   follows the loaders' expand plan; the cost counts fields, not the upstream calls they make. graphql-query-
//   complexity's fieldExtensionsEstimator reads declarations the same way, but an estimator sees only the sum of its
//   children: no facts handed down from the field that fetched an object (what `expand` embedded), no id counted
//   once per operation, no larger-of over a connection's `edges`/`nodes`.
// - cost: our own list-aware cost. graphql-armor-cost-limit multiplies only by a literal `first`/`last`, so
//   `first: $n` (DS5b) and connections at their default page size (DS5c) are not multiplied.
// - field suggestions: Apollo's hideSchemaDetailsFromClientErrors and transport/graphql/error-masking.ts (AU7);
//   graphql-armor-block-field-suggestions is an envelop onValidate plugin, which Apollo cannot run.
import type { ApolloServerPlugin } from '@apollo/server';
import {
  getOperationAST,
  GraphQLError,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { controlCharacterError } from '../input-text';
import { costError } from './cost';
import { MAX_VALIDATION_ERRORS, parseWithLimits, type QueryLimits } from './parse';
import { limitValidationRules } from './rules';
import { limitVariables } from './selection-walk';

export {
  DEFAULT_LIMITS,
  isTokenLimitMessage,
  MAX_VALIDATION_ERRORS,
  parseWithLimits,
  queryTooComplex,
  type LimitKind,
  type QueryLimits,
} from './parse';
export { introspectionDisabledRule, limitValidationRules } from './rules';
export { costError, operationCost } from './cost';
export { limitVariables } from './selection-walk';

/**
 * Apollo plugin: the cost check (and the control-character check of input-text.ts), after validation (so `first: $n` uses the request's variables) and
 * before execution (so no Stripe request is made for an over-cost operation).
 */
export function costLimitPlugin<TContext extends object>(limits: QueryLimits): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const error =
            costError(schema, document, operation, request.variables, limits) ??
            controlCharacterError(document, operation, request.variables);
          if (error) {
            error.extensions.http = { status: 400 };
            throw error;
          }
        },
      };
    },
  };
}

/**
 * The WebSocket path's equivalent of Apollo's parse → validate → cost pipeline, with the same limits.
 * @returns the document and operation, or the errors to send back (nothing executed, no Stripe call).
 */
export function checkOperation(
  schema: GraphQLSchema,
  payload: { query?: unknown; operationName?: unknown; variables?: unknown },
  limits: QueryLimits,
  options: { production: boolean },
): { document: DocumentNode; operation: OperationDefinitionNode } | { errors: GraphQLError[] } {
  if (typeof payload.query !== 'string') {
    return {
      errors: [
        new GraphQLError('The operation must have a query string.', { extensions: { code: 'BAD_REQUEST' } }),
      ],
    };
  }
  let document: DocumentNode;
  try {
    document = parseWithLimits(payload.query, limits);
  } catch (e) {
    if (e instanceof GraphQLError) return { errors: [e] };
    throw e;
  }
  const errors = validate(schema, document, [...specifiedRules, ...limitValidationRules(limits, options)], {
    maxErrors: MAX_VALIDATION_ERRORS,
  });
  if (errors.length > 0) {
    return {
      errors: errors.map((e) =>
        e.extensions.code
          ? e
          : new GraphQLError(e.message, {
              nodes: e.nodes,
              source: e.source,
              positions: e.positions,
              extensions: { ...e.extensions, code: 'GRAPHQL_VALIDATION_FAILED' },
            }),
      ),
    };
  }
  const operationName = typeof payload.operationName === 'string' ? payload.operationName : undefined;
  const operation = getOperationAST(document, operationName);
  if (!operation) {
    return {
      errors: [
        new GraphQLError('Unable to identify the operation to run.', {
          extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
        }),
      ],
    };
  }
  const variables =
    payload.variables && typeof payload.variables === 'object' && !Array.isArray(payload.variables)
      ? (payload.variables as Record<string, unknown>)
      : undefined;
  const refused =
    costError(schema, document, operation, variables, limits) ??
    controlCharacterError(document, operation, variables);
  return refused ? { errors: [refused] } : { document, operation };
}

/** Names of the variables an operation's limits depend on (selection-walk.ts {@link limitVariables}). */
const pageSizeVariables = (
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): string[] => limitVariables(schema, document, operation);

/** Distinct page-size combinations remembered per document; beyond, the check is computed per request. */
const MAX_REMEMBERED_COSTS = 64;

/**
 * {@link costError} for one document as a function of its variables, computed once per distinct value of the
 * variables it depends on (the `first` ones; none: once for the document). For the fast lane
 * (transport/http/fast-lane.ts), which only needs to know whether an accepted document is still within the limits.
 */
export function compileCostCheck(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  limits: QueryLimits,
): (variables: Record<string, unknown> | undefined) => boolean {
  const names = pageSizeVariables(schema, document, operation);
  const within = (variables: Record<string, unknown> | undefined) =>
    costError(schema, document, operation, variables, limits) === null;
  if (names.length === 0) {
    const constant = within(undefined);
    return () => constant;
  }
  const remembered = new Map<string, boolean>();
  return (variables) => {
    const key = JSON.stringify(names.map((n) => variables?.[n] ?? null));
    let ok = remembered.get(key);
    if (ok === undefined) {
      ok = within(variables);
      if (remembered.size < MAX_REMEMBERED_COSTS) remembered.set(key, ok);
    }
    return ok;
  };
}
