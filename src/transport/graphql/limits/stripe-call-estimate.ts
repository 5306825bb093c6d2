// Stripe calls of one operation, estimated before it runs from each field's declared cost (resolvers/field-cost.ts).
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { fieldFacts, type PlanFacts } from '../../../resolvers/field-cost';
import type { SelectionScope } from '../../../resolvers/selection';
import { argumentValues, foldOperation, fragmentsOf, type SelectionFold } from './selection-walk';

/**
 * The estimate: each field's declared calls per object it resolves on, plus, below a connection, its page size
 * times the calls of one node. A field's cost may depend on the plan (what `expand` embeds costs nothing more):
 * its declaration sees the selection through the same predicates the resolvers plan with (resolvers/selection.ts)
 * and hands facts down to the fields of the objects it returns. A field without a declaration sends nothing and
 * hands its parent's facts down (a connection's `nodes`/`edges`/`node`). `edges { node }` and `nodes` of one
 * connection resolve the same objects through the same loaders, so a connection counts the larger of its
 * children, not their sum. A lookup of an id already counted counts nothing (its declaration names the id).
 * Inline fragments on several types count each. `@skip`/`@include` are honoured.
 */
export function estimateStripeCalls(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables?: Record<string, unknown>,
): number {
  const fragments = fragmentsOf(document);
  const scope: SelectionScope = {
    schema,
    fragments: Object.fromEntries(fragments),
    variableValues: variables ?? {},
  };
  // Ids already counted: DataLoader looks each up once per operation. Only grows, so a fragment's memoized value
  // can over-count a shared lookup, never under-count one.
  const counted = new Set<string>();
  const fold: SelectionFold<number, PlanFacts> = {
    zero: 0,
    add: (a, b) => a + b,
    max: Math.max,
    factsKey: (facts) => JSON.stringify(facts),
    field(field, facts, children) {
      if (field.node.name.value.startsWith('__')) return 0;
      const declared = fieldFacts(field.def)?.stripeCalls;
      let own = 0;
      let down = facts;
      if (typeof declared === 'number') {
        own = declared;
        down = {};
      } else if (declared) {
        const r = declared({
          scope,
          nodes: [field.node],
          args: argumentValues(field, variables),
          parent: facts,
        });
        own = typeof r === 'number' ? r : r.calls;
        down = typeof r === 'number' ? {} : r.facts;
        if (typeof r !== 'number' && r.once !== undefined) {
          if (counted.has(r.once)) own = 0;
          else counted.add(r.once);
        }
      }
      if (!field.node.selectionSet) return own;
      return field.connection ? own + field.pageSize * children(down, 'max') : own + children(down);
    },
  };
  return foldOperation(schema, (name) => fragments.get(name), operation, fold, {
    variables,
    honourSkip: true,
    facts: {},
  });
}
