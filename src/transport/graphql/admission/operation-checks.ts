// The checks an operation passes before it runs, each worked out once per document: cost, control characters.
import {
  getNamedType,
  Kind,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type TypeNode,
} from 'graphql';
import type { Caller } from '../../../services/auth/auth';
import { costError, type QueryLimits } from '../limits/limits';
import { controlCharacterError, variableControlCharacterError } from '../input-text';

/** Variables of one operation, as the request sent them (Apollo's `request.variables`, graphql-ws's payload). */
export type Variables = Record<string, unknown> | undefined;

/** One request's decision: null admits; an error refuses (it is copied per request, see admission-errors.ts). */
export type OperationCheck = (variables: Variables, caller: Caller) => GraphQLError | null;

/**
 * One check of the admission step. Why two phases: the fast lane runs warm documents without Apollo's pipeline,
 * so whatever depends only on the document is worked out once (`prepare`), and the returned function runs on every
 * request of every path; it must not allocate when it admits.
 */
export interface AdmissionCheck {
  /** Names the check (logs, tests). */
  readonly name: string;
  /** Work done once per document and operation; returns the per-request check. */
  prepare(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): OperationCheck;
}

const admitAll: OperationCheck = () => null;

/** Distinct variable combinations remembered per document; beyond, the cost is computed per request. */
const MAX_REMEMBERED_COSTS = 64;

/** Named type of a variable's declared type (`[Int!]!` → Int). */
function namedTypeOf(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeOf(type.type);
}

/**
 * Variables the cost may depend on: Int (page sizes such as `first: $n`) and Boolean (`@include(if: $b)`).
 * IDs, strings and inputs never change how many fields or Stripe calls an operation can reach.
 */
function costVariables(schema: GraphQLSchema, operation: OperationDefinitionNode): string[] {
  const names: string[] = [];
  for (const def of operation.variableDefinitions ?? []) {
    const named = namedTypeOf(def.type);
    const type = schema.getType(named);
    const scalar = type ? getNamedType(type).name : named;
    if (scalar === 'Int' || scalar === 'Boolean') names.push(def.variable.name.value);
  }
  return names;
}

/**
 * QUERY_TOO_COMPLEX when the operation's cost or Stripe calls are over the limits (limits.ts costError), worked
 * out once per distinct value of the variables it depends on (none: once for the document).
 */
export function costCheck(limits: QueryLimits): AdmissionCheck {
  return {
    name: 'cost',
    prepare(schema, document, operation) {
      const names = costVariables(schema, operation);
      if (names.length === 0) {
        const constant = costError(schema, document, operation, undefined, limits);
        return constant ? () => constant : admitAll;
      }
      const remembered = new Map<string, GraphQLError | null>();
      return (variables) => {
        const key = JSON.stringify(names.map((n) => variables?.[n] ?? null));
        let refusal = remembered.get(key);
        if (refusal === undefined) {
          refusal = costError(schema, document, operation, variables, limits);
          if (remembered.size < MAX_REMEMBERED_COSTS) remembered.set(key, refusal);
        }
        return refusal;
      };
    },
  };
}

/** BAD_USER_INPUT for a control character in a string input (input-text.ts): literals once, variables per request. */
export const controlCharacterCheck: AdmissionCheck = {
  name: 'control-characters',
  prepare(_schema, document, operation) {
    const inLiterals = controlCharacterError(document, operation, undefined);
    if (inLiterals) return (variables) => variableControlCharacterError(operation, variables) ?? inLiterals;
    if (!operation.variableDefinitions?.length) return admitAll;
    return (variables) => variableControlCharacterError(operation, variables);
  },
};

/** Several checks as one, in order: the first refusal wins. */
export function allOf(
  checks: readonly AdmissionCheck[],
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): OperationCheck {
  const prepared = checks.map((c) => c.prepare(schema, document, operation)).filter((c) => c !== admitAll);
  if (prepared.length === 0) return admitAll;
  if (prepared.length === 1) return prepared[0];
  return (variables, caller) => {
    for (const check of prepared) {
      const refusal = check(variables, caller);
      if (refusal) return refusal;
    }
    return null;
  };
}
