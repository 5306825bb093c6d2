// The one walk over an operation's selection that every limit folds: directive count, cost, page sizes, Stripe calls.
import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isInterfaceType,
  isObjectType,
  Kind,
  visit,
  type ArgumentNode,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { fieldFacts } from '../../../resolvers/field-cost';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../../services/stripe/paging';

export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  return fragments;
}

export function rootTypeOf(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
): GraphQLObjectType | undefined {
  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  return root ?? undefined;
}

/** The schema's own default for a field's `first` (transactionUpdates declares 100), if it has one. */
function declaredFirstDefault(def: GraphQLField<unknown, unknown> | undefined): number | undefined {
  const arg = def?.args.find((a) => a.name === 'first');
  return typeof arg?.defaultValue === 'number' ? arg.defaultValue : undefined;
}

/**
 * The page size a connection field will request: `first` (literal, variable or the variable's default) clamped to
 * 1..100, else the field's declared default, else DEFAULT_PAGE_SIZE.
 */
export function pageSizeOf(
  field: FieldNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  declaredDefault = DEFAULT_PAGE_SIZE,
): number {
  const arg = field.arguments?.find((a) => a.name.value === 'first');
  let value: unknown = declaredDefault;
  if (arg?.value.kind === Kind.INT) value = Number(arg.value.value);
  else if (arg?.value.kind === Kind.VARIABLE) {
    const name = arg.value.name.value;
    const given = variables?.[name];
    const def = operation.variableDefinitions?.find((v) => v.variable.name.value === name)?.defaultValue;
    value = given ?? (def?.kind === Kind.INT ? Number(def.value) : declaredDefault);
  }
  // An out-of-range `first` is the resolver's BAD_USER_INPUT (IN5), not a cost error: clamp here.
  if (typeof value !== 'number' || !Number.isInteger(value)) return DEFAULT_PAGE_SIZE;
  return Math.min(Math.max(value, 1), MAX_PAGE_SIZE);
}

/** One field of the operation as a fold sees it. */
export interface WalkedField {
  node: FieldNode;
  /** The type the field is selected on (an inline fragment's or fragment's type condition when there is one). */
  parent: GraphQLNamedType | undefined;
  /** Its schema definition (undefined for introspection fields and unknown names). */
  def: GraphQLField<unknown, unknown> | undefined;
  /** Its named return type. */
  type: GraphQLNamedType | undefined;
  /** A list page: the field takes `first` or returns a *Connection type; its selection runs once per node. */
  connection: boolean;
  /** The nodes one page holds ({@link pageSizeOf}); 1 when not a connection. */
  pageSize: number;
}

/** How the children of a field combine: summed, or (for a connection's `edges`/`nodes`/`pageInfo`) the largest. */
export type Combine = 'sum' | 'max';

/** What one limit computes over the walk: a value per field, combined over sibling selections. */
export interface SelectionFold<T, F> {
  zero: T;
  add(a: T, b: T): T;
  max(a: T, b: T): T;
  /** The value of one field; `children(facts, combine)` folds its selection set with `facts` handed down. */
  field(field: WalkedField, facts: F, children: (facts: F, combine?: Combine) => T): T;
  /** The value of the directives on a selection, a fragment, the operation or a variable definition. */
  directives?(directives: readonly DirectiveNode[]): T;
  /** A stable key of `facts` (fragments are memoized per fragment, type, combine and facts). */
  factsKey?(facts: F): string;
}

export interface WalkOptions<F> {
  /** The request's variables (page sizes, `@skip`/`@include`); undefined before they are known. */
  variables?: Record<string, unknown>;
  /** Leave out selections `@skip`/`@include` exclude (with the variables); false counts every one. */
  honourSkip: boolean;
  /** The facts the root fields see. */
  facts: F;
}

function excluded(node: { directives?: readonly DirectiveNode[] }, variables?: Record<string, unknown>) {
  if (!node.directives?.length) return false;
  try {
    if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return true;
    return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if === false;
  } catch {
    return false; // a missing or invalid variable is the validator's error; count the selection
  }
}

const fieldOf = (parent: GraphQLNamedType | undefined, name: string) =>
  parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;

/**
 * Folds one operation's selection: fragments and inline fragments (at their type condition), `@skip`/`@include`
 * (when `honourSkip`), connections at their page size. Each fragment is folded once per (type, combine, facts): a
 * fan-out (A spreads B twice, B spreads C twice, …) costs linear time while its value grows as execution would.
 * Unknown or cyclic fragments fold to `zero` (graphql-js's own rules report them).
 */
export function foldOperation<T, F>(
  schema: GraphQLSchema,
  fragment: (name: string) => FragmentDefinitionNode | undefined | null,
  operation: OperationDefinitionNode,
  fold: SelectionFold<T, F>,
  options: WalkOptions<F>,
): T {
  const { variables, honourSkip } = options;
  const memo = new Map<string, T>();
  const inProgress = new Set<string>();
  const directives = (nodes: readonly DirectiveNode[] | undefined) =>
    fold.directives && nodes?.length ? fold.directives(nodes) : fold.zero;

  const field = (node: FieldNode, parent: GraphQLNamedType | undefined, facts: F): T => {
    const def = fieldOf(parent, node.name.value);
    const type = def ? getNamedType(def.type) : undefined;
    const declared = declaredFirstDefault(def);
    const connection =
      (type !== undefined && type.name.endsWith('Connection')) ||
      (def?.args.some((a) => a.name === 'first') ?? false);
    const walked: WalkedField = {
      node,
      parent,
      def,
      type,
      connection,
      pageSize: connection ? pageSizeOf(node, operation, variables, declared) : 1,
    };
    return fold.field(walked, facts, (down, combine = 'sum') =>
      selectionSet(node.selectionSet, type, down, combine),
    );
  };

  const selectionSet = (
    set: SelectionSetNode | undefined,
    parent: GraphQLNamedType | undefined,
    facts: F,
    combine: Combine,
  ): T => {
    let value = fold.zero;
    const join = (v: T) => (value = combine === 'max' ? fold.max(value, v) : fold.add(value, v));
    for (const sel of set?.selections ?? []) {
      if (honourSkip && excluded(sel, variables)) continue;
      const own = directives(sel.directives);
      if (sel.kind === Kind.FIELD) join(fold.add(own, field(sel, parent, facts)));
      else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const cond = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        // The fragment's fields are siblings of the set's own: each joins on its own.
        value = fold.add(value, own);
        join(selectionSet(sel.selectionSet, cond ?? parent, facts, combine));
      } else {
        value = fold.add(value, own);
        join(fragmentValue(sel.name.value, parent, facts, combine));
      }
    }
    return value;
  };

  const fragmentValue = (
    name: string,
    parent: GraphQLNamedType | undefined,
    facts: F,
    combine: Combine,
  ): T => {
    const key = `${name}|${parent?.name ?? ''}|${combine}|${fold.factsKey?.(facts) ?? ''}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const def = fragment(name);
    if (!def || inProgress.has(name)) return fold.zero;
    inProgress.add(name);
    const type = schema.getType(def.typeCondition.name.value) ?? parent;
    const value = fold.add(directives(def.directives), selectionSet(def.selectionSet, type, facts, combine));
    inProgress.delete(name);
    memo.set(key, value);
    return value;
  };

  let value = directives(operation.directives);
  for (const v of operation.variableDefinitions ?? []) value = fold.add(value, directives(v.directives));
  return fold.add(
    value,
    selectionSet(operation.selectionSet, rootTypeOf(schema, operation), options.facts, 'sum'),
  );
}

/** The argument values of a walked field (defaults applied), or `{}` when they do not validate. */
export function argumentValues(
  field: WalkedField,
  variables: Record<string, unknown> | undefined,
): Record<string, unknown> {
  if (!field.def) return {};
  try {
    return getArgumentValues(field.def, field.node, variables);
  } catch {
    return {};
  }
}

/** The names of the variables used anywhere in `node` (an argument's value, a directive). */
function variablesIn(nodes: readonly (ArgumentNode | DirectiveNode)[]): string[] {
  const names: string[] = [];
  for (const node of nodes)
    visit(node, {
      Variable(v) {
        names.push(v.name.value);
      },
    });
  return names;
}

/** Variables as a fold's value: the union of what each field and directive names. */
const VARIABLES: Omit<SelectionFold<Set<string>, null>, 'field'> = {
  zero: new Set(),
  add: (a, b) => (b.size === 0 ? a : a.size === 0 ? b : new Set([...a, ...b])),
  max: (a, b) => VARIABLES.add(a, b),
  directives: (nodes) =>
    new Set(variablesIn(nodes.filter((d) => d.name.value === 'skip' || d.name.value === 'include'))),
};

/**
 * Names of the variables an operation's limits depend on: a field's `first` (its page size), `@skip`/`@include`
 * conditions, and every argument of a field whose declared Stripe cost is a function of its arguments.
 */
export function limitVariables(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): string[] {
  const fragments = fragmentsOf(document);
  const fold: SelectionFold<Set<string>, null> = {
    ...VARIABLES,
    field(field, facts, children) {
      const cost = fieldFacts(field.def)?.stripeCalls;
      const args = (field.node.arguments ?? []).filter(
        (a) => a.name.value === 'first' || typeof cost === 'function',
      );
      return VARIABLES.add(new Set(variablesIn(args)), children(facts));
    },
  };
  return [
    ...foldOperation(schema, (name) => fragments.get(name), operation, fold, {
      honourSkip: false,
      facts: null,
    }),
  ];
}
