// Formats the errors of one operation for the fast lane and graphql-ws as Apollo Server does for HTTP.
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { tagRequestId } from '../request-scope';

/** The masking every path applies (error-masking.ts), given to Apollo Server as `formatError`. */
export type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** Formatted errors and the HTTP status and headers they asked for (`extensions.http`, Apollo's convention). */
export interface FormattedErrors {
  formatted: GraphQLFormattedError[];
  status?: number;
  headers: [string, string][];
}

/**
 * Each error becomes a GraphQLError with a code (INTERNAL_SERVER_ERROR when it has none); its `extensions.http`
 * (status, headers) is lifted off for the HTTP answer; then `formatError` masks it. These are the steps and the
 * outcome Apollo Server's own formatting has for the same error, so a path answering without Apollo answers alike
 * (test/integration/fast-lane-differential.test.ts compares them byte for byte).
 */
export function formatErrors(
  errors: readonly unknown[],
  formatError: FormatError,
  requestId: string,
): FormattedErrors {
  tagRequestId(errors, requestId);
  let status: number | undefined;
  const headers: [string, string][] = [];
  const formatted = errors.map((error) => {
    try {
      const graphqlError =
        error instanceof GraphQLError
          ? error
          : error instanceof Error
            ? new GraphQLError(error.message, { originalError: error })
            : new GraphQLError(`Unexpected error value: ${String(error)}`);
      const extensions: Record<string, unknown> = {
        ...graphqlError.extensions,
        code: graphqlError.extensions.code ?? 'INTERNAL_SERVER_ERROR',
      };
      const http = extensions.http as { status?: unknown; headers?: unknown } | undefined;
      if (
        http &&
        typeof http === 'object' &&
        (!('status' in http) || typeof http.status === 'number') &&
        (!('headers' in http) || http.headers instanceof Map)
      ) {
        if (typeof http.status === 'number' && http.status) status = http.status;
        if (http.headers instanceof Map) for (const [k, v] of http.headers) headers.push([k, String(v)]);
        delete extensions.http;
      }
      return formatError({ ...graphqlError.toJSON(), extensions }, error);
    } catch {
      return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
  });
  return { formatted, status, headers };
}
