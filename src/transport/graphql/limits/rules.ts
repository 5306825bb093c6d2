// The limits that run as validation rules on every transport: depth, aliases, directives, and introspection off.
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import { queryTooComplex, type LimitKind, type QueryLimits } from './parse';
import { foldOperation, type SelectionFold } from './selection-walk';

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
 * Directives of one operation, fragments expanded: every spread counts its fragment's directives again, as
 * execution sees them (the selection walk folds each fragment once, so a fan-out costs linear time here while its
 * count grows as the executed query would). Every directive counts, `@skip`/`@include` whatever their condition.
 */
const DIRECTIVES: SelectionFold<number, null> = {
  zero: 0,
  add: (a, b) => a + b,
  max: Math.max,
  directives: (nodes) => nodes.length,
  field: (_field, facts, children) => children(facts),
};

/** The directives limit, per operation (limits.ts says why it is not graphql-armor's). */
const maxDirectivesRule =
  (max: number): ValidationRule =>
  (context) => ({
    OperationDefinition(operation) {
      const found = foldOperation(
        context.getSchema(),
        (name) => context.getFragment(name),
        operation,
        DIRECTIVES,
        { honourSkip: false, facts: null },
      );
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
