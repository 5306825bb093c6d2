// Control characters in an operation's string inputs (literals and variables) are refused before it runs.
import { GraphQLError, visit, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { ErrorCode } from '../../platform/errors';

/**
 * C0 controls (NUL, CR, LF, TAB, ESC, …) and DEL. Why refuse them in every string input: no field of the
 * contract is multi-line or binary (names, emails, descriptions, ids, cursors, URLs), and such characters
 * are sent on to Stripe as they are, end up in statements, receipts and logs, and can split or forge lines
 * there (docs/security-catalogue.md IN9).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

function controlIn(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return CONTROL.test(value);
  if (depth > 20 || value === null || typeof value !== 'object') return false;
  const items = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
  return items.some((v) => controlIn(v, depth + 1));
}

/** BAD_USER_INPUT naming the first variable of `operation` whose value holds a control character, else null. */
export function variableControlCharacterError(
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): GraphQLError | null {
  if (!variables) return null;
  for (const def of operation.variableDefinitions ?? []) {
    const name = def.variable.name.value;
    if (controlIn(variables[name])) return refused(`$${name}`);
  }
  return null;
}

/** BAD_USER_INPUT naming the variable or argument that holds a control character, else null. */
export function controlCharacterError(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): GraphQLError | null {
  const inVariables = variableControlCharacterError(operation, variables);
  if (inVariables) return inVariables;
  let found: string | null = null;
  visit(document, {
    Argument(node) {
      if (found) return false;
      let inside = false;
      visit(node.value, {
        StringValue(s) {
          if (CONTROL.test(s.value)) inside = true;
        },
      });
      if (inside) found = node.name.value;
      return false;
    },
  });
  return found ? refused(found) : null;
}

const refused = (field: string) =>
  new GraphQLError(`${field} contains a control character; text inputs may not contain any.`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, field },
  });
