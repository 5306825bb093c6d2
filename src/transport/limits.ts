// The one set of query limits (tokens, depth, aliases, directives, list-aware cost) shared by HTTP and WebSocket.
import type { ApolloServerPlugin } from '@apollo/server';
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
import { ErrorCode } from '../platform/errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../services/stripe/paging';

/** Every limit; defaults are docs/security-catalogue.md's starting numbers, each overridable by env (see config.ts). */
export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
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
  maxQueryLength: 32768,
  maxSubscriptionsPerSocket: 20,
};

/** graphql-js stops validating after this many errors (DS6: a 10k-error query answers ≤ 100 errors). */
export const MAX_VALIDATION_ERRORS = 100;

export type LimitKind = 'tokens' | 'depth' | 'aliases' | 'directives' | 'cost' | 'length' | 'selections';

/**
 * A query over one of the limits. `extensions.limit` survives Apollo's ValidationError wrapping (which
 * overwrites `code` with GRAPHQL_VALIDATION_FAILED), so the error formatter can restore QUERY_TOO_COMPLEX.
 */
export function queryTooComplex(
  limit: LimitKind,
  message: string,
  extra: { max?: number; found?: number; nodes?: readonly import('graphql').ASTNode[] } = {},
): GraphQLError {
  return new GraphQLError(message, {
    nodes: extra.nodes,
    extensions: {
      code: ErrorCode.QUERY_TOO_COMPLEX,
      limit,
      ...(extra.max !== undefined ? { max: extra.max } : {}),
      ...(extra.found !== undefined ? { found: Number.isFinite(extra.found) ? extra.found : null } : {}),
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
    throw queryTooComplex('length', `The query is longer than ${limits.maxQueryLength} characters.`, {
      max: limits.maxQueryLength,
    });
  }
  try {
    return parse(query, { maxTokens: limits.maxTokens });
  } catch (e) {
    if (e instanceof GraphQLError && isTokenLimitMessage(e.message)) {
      throw queryTooComplex('tokens', `The query has more than ${limits.maxTokens} tokens.`, {
        max: limits.maxTokens,
      });
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

interface ShapeStats {
  depth: number;
  aliases: number;
  directives: number;
}

const isIntrospectionField = (name: string) => name.startsWith('__');

/**
 * Depth, aliases and directives of one operation, fragments expanded. Why memoized per fragment: a
 * fan-out (fragment A spreads B twice, B spreads C twice, …) would otherwise take exponential time
 * here, before graphql-js's own rules could reject anything; with the memo it is linear and the
 * counts (which do grow exponentially, as the executed query would) simply exceed the limits.
 */
function shapeOf(
  operation: OperationDefinitionNode,
  fragment: (name: string) => FragmentDefinitionNode | undefined | null,
): ShapeStats {
  const memo = new Map<string, ShapeStats>();
  const inProgress = new Set<string>();

  const selectionSet = (set: SelectionSetNode | undefined): ShapeStats => {
    const out: ShapeStats = { depth: 0, aliases: 0, directives: 0 };
    if (!set) return out;
    for (const sel of set.selections) {
      out.directives += sel.directives?.length ?? 0;
      if (sel.kind === Kind.FIELD) {
        if (sel.alias) out.aliases += 1;
        const child = selectionSet(sel.selectionSet);
        out.aliases += child.aliases;
        out.directives += child.directives;
        // Introspection subtrees are not counted for depth: GraphiQL's introspection query nests
        // `ofType` 7 levels deep, and introspection is disabled in production anyway.
        if (!isIntrospectionField(sel.name.value)) out.depth = Math.max(out.depth, 1 + child.depth);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const child = selectionSet(sel.selectionSet);
        out.aliases += child.aliases;
        out.directives += child.directives;
        out.depth = Math.max(out.depth, child.depth);
      } else {
        const child = fragmentStats(sel.name.value);
        out.aliases += child.aliases;
        out.directives += child.directives;
        out.depth = Math.max(out.depth, child.depth);
      }
    }
    return out;
  };

  const fragmentStats = (name: string): ShapeStats => {
    const known = memo.get(name);
    if (known) return known;
    const def = fragment(name);
    // Unknown or cyclic fragments are reported by graphql-js's own rules; count nothing here.
    if (!def || inProgress.has(name)) return { depth: 0, aliases: 0, directives: 0 };
    inProgress.add(name);
    const stats = selectionSet(def.selectionSet);
    stats.directives += def.directives?.length ?? 0;
    inProgress.delete(name);
    memo.set(name, stats);
    return stats;
  };

  const stats = selectionSet(operation.selectionSet);
  stats.directives += operation.directives?.length ?? 0;
  for (const v of operation.variableDefinitions ?? []) stats.directives += v.directives?.length ?? 0;
  return stats;
}

/** One validation rule for depth, aliases and directives; reports QUERY_TOO_COMPLEX per operation. */
export function shapeLimitRule(limits: QueryLimits): ValidationRule {
  return (context: ValidationContext) => ({
    OperationDefinition(operation) {
      const stats = shapeOf(operation, (name) => context.getFragment(name));
      const what = operation.name ? `Operation "${operation.name.value}"` : 'The operation';
      if (stats.depth > limits.maxDepth) {
        context.reportError(
          queryTooComplex('depth', `${what} is nested deeper than ${limits.maxDepth} levels.`, {
            max: limits.maxDepth,
            found: stats.depth,
            nodes: [operation],
          }),
        );
      }
      if (stats.aliases > limits.maxAliases) {
        context.reportError(
          queryTooComplex('aliases', `${what} uses more than ${limits.maxAliases} aliases.`, {
            max: limits.maxAliases,
            found: stats.aliases,
            nodes: [operation],
          }),
        );
      }
      if (stats.directives > limits.maxDirectives) {
        context.reportError(
          queryTooComplex('directives', `${what} uses more than ${limits.maxDirectives} directives.`, {
            max: limits.maxDirectives,
            found: stats.directives,
            nodes: [operation],
          }),
        );
      }
      return false; // nothing below the operation needs visiting by this rule
    },
  });
}

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
  return [shapeLimitRule(limits), ...(options.production ? [introspectionDisabledRule] : [])];
}

function fieldType(parent: GraphQLNamedType | undefined, field: FieldNode): GraphQLNamedType | undefined {
  if (!parent || !(isObjectType(parent) || isInterfaceType(parent))) return undefined;
  const def = parent.getFields()[field.name.value];
  return def ? getNamedType(def.type) : undefined;
}

/** The page size a connection field will request: `first` (literal or variable) clamped to 1..100, else 10. */
function pageSizeOf(
  field: FieldNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): number {
  const arg = field.arguments?.find((a) => a.name.value === 'first');
  let value: unknown = DEFAULT_PAGE_SIZE;
  if (arg?.value.kind === Kind.INT) value = Number(arg.value.value);
  else if (arg?.value.kind === Kind.VARIABLE) {
    const name = arg.value.name.value;
    const given = variables?.[name];
    const def = operation.variableDefinitions?.find((v) => v.variable.name.value === name)?.defaultValue;
    value = given ?? (def?.kind === Kind.INT ? Number(def.value) : DEFAULT_PAGE_SIZE);
  }
  // An out-of-range `first` is the resolver's BAD_USER_INPUT (IN5), not a cost error: clamp here.
  if (typeof value !== 'number' || !Number.isInteger(value)) return DEFAULT_PAGE_SIZE;
  return Math.min(Math.max(value, 1), MAX_PAGE_SIZE);
}

const isConnection = (type: GraphQLNamedType | undefined, field: FieldNode) =>
  (type !== undefined && type.name.endsWith('Connection')) ||
  (field.arguments ?? []).some((a) => a.name.value === 'first');

/**
 * List-aware cost of one operation: every field costs 1, and a connection field multiplies the cost
 * of its subtree by its page size (`first`, default 10, at most 100), so
 * `accounts(first:100){ nodes { transactions(first:100){ nodes { id } } } }` costs ~20,000.
 * Introspection fields cost nothing. Memoized per (fragment): linear in the document's size.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables?: Record<string, unknown>,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
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
        cost += 1 + (isConnection(type, sel) ? pageSizeOf(sel, operation, variables) : 1) * child;
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

  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  return selectionSet(operation.selectionSet, root ?? undefined);
}

/** QUERY_TOO_COMPLEX when the operation's cost is over the limit, else null. */
export function costError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  limits: QueryLimits,
): GraphQLError | null {
  const cost = operationCost(schema, document, operation, variables);
  if (cost <= limits.maxCost) return null;
  return queryTooComplex(
    'cost',
    `The operation's estimated cost ${Number.isFinite(cost) ? Math.round(cost) : 'Infinity'} exceeds the limit of ${limits.maxCost}; request smaller pages (first) or fewer nested connections.`,
    { max: limits.maxCost, found: Math.round(cost) },
  );
}

/**
 * Apollo plugin: the cost check, after validation (so `first: $n` uses the request's variables) and
 * before execution (so no Stripe request is made for an over-cost operation).
 */
export function costLimitPlugin<TContext extends object>(limits: QueryLimits): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const error = costError(schema, document, operation, request.variables, limits);
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
  const tooCostly = costError(schema, document, operation, variables, limits);
  return tooCostly ? { errors: [tooCostly] } : { document, operation };
}
