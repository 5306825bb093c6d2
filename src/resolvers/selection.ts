// Look-ahead into an operation's selection: which fields a resolver's subtree asks for, so the services can plan
// their Stripe calls (which `expand[]` to send) before the first one goes out.
// Why not graphql-parse-resolve-info: it parses a resolver's whole subtree (every field, alias and argument down to
// the transactions' nodes) on each call, where these helpers follow only the few paths a plan asks about, on the hot
// path of the cached dashboard (bench/RESULTS.md §2); its alias-keyed tree would reshape every caller for ~40 lines.
import {
  getArgumentValues,
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';

/**
 * What the look-ahead reads of an operation: a resolver's `info`, or the same three facts of an operation not run
 * yet (the limits estimate its Stripe calls with these predicates: transport/graphql/limits/stripe-call-estimate.ts).
 */
export type SelectionScope = Pick<GraphQLResolveInfo, 'fragments' | 'variableValues' | 'schema'>;

/** The field nodes a resolver runs for, as graphql-js hands them over (several when the same response key repeats). */
type Nodes = readonly FieldNode[];

function included(info: SelectionScope, node: Parameters<typeof getDirectiveValues>[1]): boolean {
  const skip = getDirectiveValues(GraphQLSkipDirective, node, info.variableValues);
  if (skip?.if === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues);
  return include?.if !== false;
}

/**
 * The child fields named `name` of `nodes`, through fragments and inline fragments, honouring
 * `@skip`/`@include`. Type conditions are not checked: every field name used here is unique to one
 * type in the schema, so over-matching cannot happen.
 */
export function childFields(info: SelectionScope, nodes: Nodes, name: string): FieldNode[] {
  const out: FieldNode[] = [];
  const visit = (set: SelectionSetNode | undefined, seen: Set<string>) => {
    for (const sel of set?.selections ?? []) {
      if (!included(info, sel)) continue;
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value === name) out.push(sel);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        visit(sel.selectionSet, seen);
      } else if (!seen.has(sel.name.value)) {
        seen.add(sel.name.value);
        visit(info.fragments[sel.name.value]?.selectionSet, seen);
      }
    }
  };
  for (const n of nodes) visit(n.selectionSet, new Set());
  return out;
}

/** Follows `path` (field names) down from `nodes`; a step that is absent ends with no nodes. */
export function fieldsAt(info: SelectionScope, nodes: Nodes, path: string[]): FieldNode[] {
  let current: FieldNode[] = [...nodes];
  for (const step of path) current = childFields(info, current, step);
  return current;
}

/** The items of a Relay connection selected under `nodes`: `nodes { … }` and `edges { node { … } }`. */
export function connectionItems(info: SelectionScope, nodes: Nodes): FieldNode[] {
  return [...childFields(info, nodes, 'nodes'), ...fieldsAt(info, nodes, ['edges', 'node'])];
}

/**
 * Whether a connection selected at `connectionNodes` hands the client a cursor for its next page
 * (`pageInfo { endCursor }` or `edges { cursor }`): a client that can page is likely to.
 */
export function selectsNextCursor(info: SelectionScope, connectionNodes: Nodes): boolean {
  return (
    fieldsAt(info, connectionNodes, ['pageInfo', 'endCursor']).length > 0 ||
    fieldsAt(info, connectionNodes, ['edges', 'cursor']).length > 0
  );
}

/**
 * Whether accounts selected at `accountNodes` read data only their expanded ownership carries:
 * `ownership { created }` or `ownership { owners }` (the ownership id alone is on the account).
 */
export function selectsOwnershipDetail(info: SelectionScope, accountNodes: Nodes): boolean {
  const ownership = childFields(info, accountNodes, 'ownership');
  return (
    childFields(info, ownership, 'owners').length > 0 || childFields(info, ownership, 'created').length > 0
  );
}

/** The argument values of `node`, a field of the object type `typeName`, with the operation's variables. */
export function argumentsOf(
  info: SelectionScope,
  typeName: string,
  node: FieldNode,
): Record<string, unknown> | null {
  const type = info.schema.getType(typeName);
  const def = isObjectType(type) ? type.getFields()[node.name.value] : undefined;
  if (!def) return null;
  try {
    return getArgumentValues(def, node, info.variableValues);
  } catch {
    // Invalid values are reported by the field's own resolver; the plan just does not use them.
    return null;
  }
}
