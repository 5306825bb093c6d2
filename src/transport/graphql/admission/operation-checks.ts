// The checks an operation passes before it runs, each worked out once per document: cost, control characters.
import {
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { Caller } from '../../../services/auth/auth';
import { costError, limitVariables, type QueryLimits } from '../limits/limits';
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

/**
 * QUERY_TOO_COMPLEX when the operation's cost or Stripe calls are over the limits (limits.ts costError), worked
 * out once per distinct value of the variables it depends on (none: once for the document).
 */
export function costCheck(limits: QueryLimits): AdmissionCheck {
  return {
    name: 'cost',
    prepare(schema, document, operation) {
      // Exactly the variables the limits read (limits.ts limitVariables): page sizes, @skip/@include, and the
      // arguments of fields whose Stripe cost is a function of them (ids counted once per operation).
      const names = limitVariables(schema, document, operation);
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
