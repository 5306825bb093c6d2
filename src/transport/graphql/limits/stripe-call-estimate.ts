// Worst-case Stripe calls of one operation, estimated from its selection and variables before it runs.
import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { fragmentsOf, pageSizeOf, rootTypeOf } from './selection-walk';

/**
 * Stripe calls one field makes per object it is resolved on, at most (cache misses, no DataLoader
 * sharing). Keys are `Type.field`; a field not listed makes none (it reads the object already fetched:
 * what the loaders embed, such as a session's first page of accounts or a transaction's amounts).
 * A per-id lookup counts the object and the objects its tenancy check traces it through
 * (services/domain/ownership.service.ts: account → customer, transaction → account → customer).
 * A mutation counts its write and the lookups before it.
 */
const FIELD_CALLS: Record<string, number> = {
  'Query.customer': 1,
  'Query.customers': 1,
  'Query.financialAccount': 2,
  'Query.node': 3,
  'Query.paymentIntent': 2,
  'Query.setupIntent': 2,
  'Query.financialConnectionsSession': 2,
  'Query.transaction': 3,
  'Viewer.customer': 1,
  'Customer.financialAccounts': 1,
  'Customer.paymentIntents': 1,
  'FinancialConnectionsSession.accounts': 1,
  'FinancialAccount.ownership': 1,
  'FinancialAccount.transactions': 1,
  'Ownership.owners': 1,
  'Transaction.account': 1, // the account (its tenancy check reuses the customer the transaction's lookup loaded)
  'PaymentIntent.customer': 1,
  'PaymentIntent.financialAccount': 2,
  'SetupIntent.customer': 1,
  'SetupIntent.financialAccount': 2,
  'Query.paymentMethod': 2, // the method, then its customer
  'Query.mandate': 2, // the mandate with its method embedded (expand), then the customer
  'Customer.paymentMethods': 1,
  'PaymentMethod.financialAccount': 2,
  'PaymentMethod.customer': 1,
  'PaymentMethod.mandate': 1, // the SetupIntents that saved it, their mandates embedded
  // An intent's method is usually embedded (expand[]=payment_method); when only an id is left, method + customer.
  'PaymentIntent.paymentMethod': 2,
  'PaymentIntent.mandate': 2,
  'SetupIntent.paymentMethod': 2,
  'SetupIntent.mandate': 2,
  // 'Mandate.paymentMethod' makes none: the mandate's lookup embedded and traced it.
};
/** Any root mutation field: its write plus the ownership lookups and reads around it. */
const MUTATION_CALLS = 4;

const isConnectionType = (type: GraphQLNamedType | undefined) =>
  type !== undefined && type.name.endsWith('Connection');

/**
 * The estimate: each field's own calls (FIELD_CALLS) plus, below a connection, its page size times the
 * calls of one node. `edges { node }` and `nodes` of one connection resolve the same objects through
 * the same loaders, so a connection counts the larger of its children, not their sum. Interfaces and
 * inline fragments count the costliest possible type. Memoized per fragment: linear in the document.
 */
export function estimateStripeCalls(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables?: Record<string, unknown>,
): number {
  const fragments = fragmentsOf(document);
  const memo = new Map<string, number>();
  const inProgress = new Set<string>();
  const isMutation = operation.operation === 'mutation';

  const fieldCalls = (parent: GraphQLNamedType | undefined, field: FieldNode, root: boolean): number => {
    const type = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent : undefined;
    const def = type?.getFields()[field.name.value];
    const child = def ? getNamedType(def.type) : undefined;
    const own =
      root && isMutation ? MUTATION_CALLS : (FIELD_CALLS[`${parent?.name}.${field.name.value}`] ?? 0);
    if (!field.selectionSet) return own;
    if (isConnectionType(child)) {
      // One page: the largest of what its `edges`/`nodes`/`pageInfo` children cost per node.
      let perNode = 0;
      for (const sel of field.selectionSet.selections) {
        perNode = Math.max(perNode, selectionSet({ kind: Kind.SELECTION_SET, selections: [sel] }, child));
      }
      return own + pageSizeOf(field, operation, variables) * perNode;
    }
    return own + selectionSet(field.selectionSet, child);
  };

  function selectionSet(set: SelectionSetNode, parent: GraphQLNamedType | undefined, root = false): number {
    let calls = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value.startsWith('__')) continue;
        calls += fieldCalls(parent, sel, root);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const cond = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        calls += selectionSet(sel.selectionSet, cond ?? parent, root);
      } else {
        calls += fragmentCalls(sel.name.value, root);
      }
    }
    return calls;
  }

  function fragmentCalls(name: string, root: boolean): number {
    const key = `${name}:${root}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const def = fragments.get(name);
    if (!def || inProgress.has(name)) return 0;
    inProgress.add(name);
    const calls = selectionSet(
      def.selectionSet,
      schema.getType(def.typeCondition.name.value) ?? undefined,
      root,
    );
    inProgress.delete(name);
    memo.set(key, calls);
    return calls;
  }

  return selectionSet(operation.selectionSet, rootTypeOf(schema, operation), true);
}
