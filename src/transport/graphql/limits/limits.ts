// The one set of query limits (tokens, depth, aliases, directives, list-aware cost) shared by HTTP and WebSocket.
//
// Library or our own, per limit (graphql-armor where it serves, docs/security-catalogue.md DS1–DS6, AU6, AU7):
// - depth, aliases: graphql-armor's maxDepthRule / maxAliasesRule, as validation rules on both transports,
//   reporting our QUERY_TOO_COMPLEX. Both count through fragments (memoized per fragment: linear on a fan-out).
// - directives: our own. graphql-armor-max-directives 2.3.1 drops a spread's own directives once its fragment is
//   memoized, so `...F @include(if: true)` repeated 60 times counts as 1 (DS3 would pass).
// - tokens: graphql-js's own `parse(…, { maxTokens })` (Apollo's parseOptions); graphql-armor-max-tokens is an
//   envelop onParse plugin doing the same, which Apollo cannot run.
// - stripeCalls: our own (stripe-call-estimate.ts): the cost counts fields, not the upstream calls they make.
// - cost: our own list-aware cost. graphql-armor-cost-limit multiplies only by a literal `first`/`last`, so
//   `first: $n` (DS5b) and connections at their default page size (DS5c) are not multiplied.
// - field suggestions: Apollo's hideSchemaDetailsFromClientErrors and transport/graphql/error-masking.ts (AU7);
//   graphql-armor-block-field-suggestions is an envelop onValidate plugin, which Apollo cannot run.
import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import {
  getNamedType,
  getOperationAST,
  GraphQLError,
  isObjectType,
  isInterfaceType,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { ErrorCode } from '../../../platform/errors';
import { fragmentsOf, pageSizeOf, rootTypeOf } from './selection-walk';
import { controlCharacterError } from '../input-text';
import { estimateStripeCalls } from './stripe-call-estimate';

/** Every limit; defaults are docs/security-catalogue.md's starting numbers, each overridable by env (see config.ts). */
export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
  /** Worst-case Stripe calls of one operation (src/transport/graphql/limits/stripe-call-estimate.ts). */
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
  // The heaviest operation in schema/operations/ (CustomerDashboard, 32 at its default page) with margin.
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
 */
export function queryTooComplex(limit: LimitKind, message: string, max: number): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, limit, max },
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

/** Reports one QUERY_TOO_COMPLEX on the validation context (the shape limits never throw out of validate). */
const reportTooComplex = (context: ValidationContext, limit: LimitKind, message: string, max: number) =>
  context.reportError(queryTooComplex(limit, message, max));

/**
 * A graphql-armor rule's options: report through our error (its own has no code and a misleading
 * "Syntax Error: " prefix; its text, e.g. "Query depth limit of 8 exceeded, found 9.", is kept).
 */
const armorReporting = (limit: LimitKind, max: number) => ({
  n: max,
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) => {
      if (context) reportTooComplex(context, limit, error.message.replace(/^Syntax Error: /, ''), max);
    },
  ],
});

/**
 * Directives of one operation, fragments expanded: every spread counts its fragment's directives again,
 * as execution sees them. Memoized per fragment, so a fan-out (A spreads B twice, B spreads C twice, …)
 * costs linear time here while its count grows as the executed query would.
 */
function directiveCount(
  operation: OperationDefinitionNode,
  fragment: (name: string) => FragmentDefinitionNode | undefined | null,
): number {
  const memo = new Map<string, number>();
  const inProgress = new Set<string>();

  const selectionSet = (set: SelectionSetNode | undefined): number => {
    let count = 0;
    for (const sel of set?.selections ?? []) {
      count += sel.directives?.length ?? 0;
      count +=
        sel.kind === Kind.FRAGMENT_SPREAD ? fragmentCount(sel.name.value) : selectionSet(sel.selectionSet);
    }
    return count;
  };

  const fragmentCount = (name: string): number => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    const def = fragment(name);
    // Unknown or cyclic fragments are reported by graphql-js's own rules; count nothing here.
    if (!def || inProgress.has(name)) return 0;
    inProgress.add(name);
    const count = (def.directives?.length ?? 0) + selectionSet(def.selectionSet);
    inProgress.delete(name);
    memo.set(name, count);
    return count;
  };

  let count = (operation.directives?.length ?? 0) + selectionSet(operation.selectionSet);
  for (const v of operation.variableDefinitions ?? []) count += v.directives?.length ?? 0;
  return count;
}

/** The directives limit, per operation (see the top of this file for why it is not graphql-armor's). */
const maxDirectivesRule =
  (max: number): ValidationRule =>
  (context) => ({
    OperationDefinition(operation) {
      const found = directiveCount(operation, (name) => context.getFragment(name));
      if (found > max)
        reportTooComplex(context, 'directives', `Directives limit of ${max} exceeded, found ${found}.`, max);
      return false; // nothing below the operation needs visiting by this rule
    },
  });

/** Validation rule equivalent of Apollo's introspection switch, for the WebSocket path. */
export const introspectionDisabledRule: ValidationRule = (context) => ({
  Field(node) {
    const name = node.name.value;
    if (name === '__schema' || name === '__type') {
      context.reportError(
        new GraphQLError('Introspection is disabled.', {
          nodes: [node],
          extensions: { code: 'INTROSPECTION_DISABLED' },
        }),
      );
    }
  },
});

/** The validation rules added to graphql-js's specifiedRules on both transports. */
export function limitValidationRules(
  limits: QueryLimits,
  options: { production: boolean },
): ValidationRule[] {
  return [
    // Fragments flattened: a spread or inline fragment adds no level of its own, only its fields do. `__schema`
    // subtrees are not counted (graphql-armor's default): GraphiQL's introspection query nests `ofType` deep.
    maxDepthRule({ ...armorReporting('depth', limits.maxDepth), flattenFragments: true }),
    // Every alias counts, `__typename` too (graphql-armor exempts it by default).
    maxAliasesRule({ ...armorReporting('aliases', limits.maxAliases), allowList: [] }),
    maxDirectivesRule(limits.maxDirectives),
    ...(options.production ? [introspectionDisabledRule] : []),
  ];
}

function fieldType(parent: GraphQLNamedType | undefined, field: FieldNode): GraphQLNamedType | undefined {
  if (!parent || !(isObjectType(parent) || isInterfaceType(parent))) return undefined;
  const def = parent.getFields()[field.name.value];
  return def ? getNamedType(def.type) : undefined;
}

const isIntrospectionField = (name: string) => name.startsWith('__');

const isConnection = (type: GraphQLNamedType | undefined, field: FieldNode) =>
  (type !== undefined && type.name.endsWith('Connection')) ||
  (field.arguments ?? []).some((a) => a.name.value === 'first');

/**
 * List-aware cost of one operation: every field costs 1, and a connection field multiplies the cost
 * of its subtree by its page size (`first`, default 10, at most 100), so
 * `accounts(first:100){ nodes { transactions(first:100){ nodes { id } } } }` costs ~20,000.
 * Introspection fields cost nothing. Memoized per (fragment): linear in the document's size.
 */
/** The schema's own default for a field's `first` (transactionUpdates declares 100), if it has one. */
function declaredFirstDefault(parent: GraphQLNamedType | undefined, field: FieldNode): number | undefined {
  if (!parent || !(isObjectType(parent) || isInterfaceType(parent))) return undefined;
  const arg = parent.getFields()[field.name.value]?.args.find((a) => a.name === 'first');
  return typeof arg?.defaultValue === 'number' ? arg.defaultValue : undefined;
}

export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables?: Record<string, unknown>,
): number {
  const fragments = fragmentsOf(document);
  const memo = new Map<string, number>();
  const inProgress = new Set<string>();

  const selectionSet = (set: SelectionSetNode | undefined, parent: GraphQLNamedType | undefined): number => {
    if (!set) return 0;
    let cost = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (isIntrospectionField(sel.name.value)) continue;
        const type = fieldType(parent, sel);
        const child = selectionSet(sel.selectionSet, type);
        const declared = declaredFirstDefault(parent, sel);
        const pageSize =
          isConnection(type, sel) || declared !== undefined
            ? pageSizeOf(sel, operation, variables, declared)
            : 1;
        cost += 1 + pageSize * child;
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const cond = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        cost += selectionSet(sel.selectionSet, cond ?? parent);
      } else {
        cost += fragmentCost(sel.name.value);
      }
    }
    return cost;
  };

  const fragmentCost = (name: string): number => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    const def = fragments.get(name);
    if (!def || inProgress.has(name)) return 0;
    inProgress.add(name);
    const cost = selectionSet(def.selectionSet, schema.getType(def.typeCondition.name.value) ?? undefined);
    inProgress.delete(name);
    memo.set(name, cost);
    return cost;
  };

  return selectionSet(operation.selectionSet, rootTypeOf(schema, operation));
}

/** QUERY_TOO_COMPLEX when the operation's cost or its worst-case Stripe calls are over the limit, else null. */
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
    );
  }
  return queryTooComplex(
    'cost',
    `The operation's estimated cost ${Number.isFinite(cost) ? Math.round(cost) : 'Infinity'} exceeds the limit of ${limits.maxCost}; request smaller pages (first) or fewer nested connections.`,
    limits.maxCost,
  );
}

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

/** Names of the variables an operation's cost depends on: those given as a field's `first` (its page size). */
function pageSizeVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  const walk = (set: SelectionSetNode | undefined) => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) {
        const first = sel.arguments?.find((a) => a.name.value === 'first');
        if (first?.value.kind === Kind.VARIABLE) names.add(first.value.name.value);
      }
      if (sel.kind !== Kind.FRAGMENT_SPREAD) walk(sel.selectionSet);
    }
  };
  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION) walk(d.selectionSet);
  }
  return [...names];
}

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
  const names = pageSizeVariables(document);
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
