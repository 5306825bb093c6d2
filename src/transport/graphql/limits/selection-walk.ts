// What the limits walking an operation's selection share: its fragments, its root type, a connection's page size.
import {
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
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

/**
 * The page size a connection field will request: `first` (literal or variable) clamped to 1..100, else the
 * field's declared default, else 10.
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
