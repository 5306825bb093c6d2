// The one set of query limits (tokens, depth, aliases, directives, list-aware cost, Stripe calls) shared by HTTP and
// WebSocket, re-exported from one entry point (the admission step, transport/graphql/admission/, runs them). Split by job: parse.ts (numbers, error, length and tokens), rules.ts (validation
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
