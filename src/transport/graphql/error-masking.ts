// Error masking for both transports: deliberate errors pass (scrubbed), anything else becomes INTERNAL_SERVER_ERROR.
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import Stripe from 'stripe';
import { ErrorCode, GatewayError, toGraphQLError } from '../../platform/errors';
import { redactValue, scrubSecrets, type Logger } from '../../platform/logger';
import { REQUEST_ID_PLACEHOLDER, requestIdOfError } from './request-scope';

/** Codes a client may see as they are: the contract's, plus graphql/Apollo's request-shape codes. */
const PASS_CODES = new Set<string>([
  ...Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL_SERVER_ERROR),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'INTROSPECTION_DISABLED',
]);

/** Extension keys never sent to a client, even on a deliberate error. */
const DROPPED_EXTENSIONS = new Set(['stacktrace', 'exception', 'http', 'originalError']);

export const INTERNAL_MESSAGE = 'Internal server error.';

/** Apollo's code-less persisted-query errors (@apollo/server requestPipeline) and what the client is told. */
const APQ_MISTAKES = new Map([
  [
    'provided sha does not match query',
    'The persisted query hash does not match the query (sha256 of the query text).',
  ],
  [
    'Unsupported persisted query version',
    'Unsupported persisted query version; only version 1 is supported.',
  ],
]);

/** Removes graphql-js's "Did you mean …?" suggestions, which reveal schema field and type names. */
const withoutSuggestions = (message: string) => message.replace(/ ?Did you mean .+?\?$/s, '');

export interface MaskOptions {
  requestId?: string;
  production: boolean;
  log: Logger;
}

/** The error a resolver (or hook) actually threw, below graphql-js's and Apollo's wrappers. */
function innermost(error: unknown): unknown {
  let e = error;
  for (let i = 0; i < 5 && e instanceof GraphQLError && e.originalError; i += 1) e = e.originalError;
  return e;
}

/**
 * Turns one error into what the client sees.
 * @param formatted the error as graphql/Apollo would serialize it
 * @param error the original error object (to tell deliberate errors from accidents)
 */
export function maskError(
  formatted: GraphQLFormattedError,
  error: unknown,
  options: MaskOptions,
): GraphQLFormattedError {
  const requestId = options.requestId ?? requestIdOfError(error) ?? REQUEST_ID_PLACEHOLDER;
  const inner = innermost(error);
  let message = formatted.message;
  let extensions: Record<string, unknown> = { ...(formatted.extensions ?? {}) };

  // A Stripe error that escaped a resolver still gets the one mapping (never Stripe's text).
  if (inner instanceof Stripe.errors.StripeError) {
    const mapped = toGraphQLError(inner) as GraphQLError;
    message = mapped.message;
    extensions = { ...mapped.extensions };
  }

  // Restore the contract code that Apollo's ValidationError/SyntaxError wrappers overwrite.
  if (typeof extensions.limit === 'string') extensions.code = ErrorCode.QUERY_TOO_COMPLEX;
  if (extensions.validationErrorCode === 'MAX_RECURSIVE_SELECTIONS_EXCEEDED') {
    extensions = { code: ErrorCode.QUERY_TOO_COMPLEX, limit: 'selections' };
  }
  if (extensions.validationErrorCode === 'INTROSPECTION_DISABLED') {
    message = 'Introspection is disabled.';
    extensions = { code: 'INTROSPECTION_DISABLED' };
  }
  if (
    extensions.code === 'GRAPHQL_PARSE_FAILED' &&
    /Document contains more tha[nt] \d+ tokens/.test(message)
  ) {
    extensions = { code: ErrorCode.QUERY_TOO_COMPLEX, limit: 'tokens' };
    message = message.replace(/^Syntax Error: /, '').replace('more that', 'more than');
  }

  // Apollo fills a missing code with INTERNAL_SERVER_ERROR before formatError sees it.
  const codeless = extensions.code === undefined || extensions.code === ErrorCode.INTERNAL_SERVER_ERROR;
  if (codeless && !formatted.path) {
    // graphql-js's variable coercion: Apollo adds BAD_USER_INPUT on HTTP; the WebSocket path runs graphql-js itself.
    if (/^Variable "\$[_A-Za-z][_0-9A-Za-z]*" /.test(message)) extensions.code = ErrorCode.BAD_USER_INPUT;
    // Apollo's persisted-query checks answer these without a code (a wrong hash, a version other than 1).
    if (inner instanceof GraphQLError && APQ_MISTAKES.has(message)) {
      message = APQ_MISTAKES.get(message)!;
      extensions = { code: ErrorCode.BAD_USER_INPUT };
    }
  }

  const code = typeof extensions.code === 'string' ? extensions.code : undefined;
  const deliberate =
    inner instanceof GatewayError ||
    (code !== undefined &&
      PASS_CODES.has(code) &&
      (!(inner instanceof Error) ||
        inner instanceof GraphQLError ||
        inner instanceof Stripe.errors.StripeError ||
        // graphql-js's variable coercion quotes a scalar's own message; still the caller's input error.
        (code === 'BAD_USER_INPUT' && message.startsWith('Variable "$'))));

  if (!deliberate) {
    options.log.error(
      {
        err: inner instanceof Error ? inner : { message: String(inner ?? message) },
        requestId,
        path: formatted.path,
      },
      'unexpected error masked as INTERNAL_SERVER_ERROR',
    );
    return {
      message: INTERNAL_MESSAGE,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId },
    };
  }

  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(extensions)) if (!DROPPED_EXTENSIONS.has(k)) kept[k] = v;
  const safeMessage = scrubSecrets(options.production ? withoutSuggestions(message) : message);
  return {
    message: safeMessage,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { ...(redactValue(kept) as Record<string, unknown>), code, requestId },
  };
}

/** Apollo's `formatError`, bound to the gateway's logger; the request id comes from the request scope. */
export function apolloFormatError(options: Omit<MaskOptions, 'requestId'>) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError =>
    maskError(formatted, error, options);
}

/**
 * Apollo plugin: logs (redacted, with the request id) the errors Apollo itself turns into a bare
 * "Internal server error" (a plugin or the pipeline threw), which it otherwise prints to the console only.
 */
export function unexpectedErrorLogPlugin(log: Logger): ApolloServerPlugin {
  return {
    async unexpectedErrorProcessingRequest({ error, requestContext }) {
      log.error(
        {
          err: error,
          requestId: (requestContext.contextValue as { requestId?: string } | undefined)?.requestId,
        },
        'unexpected error processing a GraphQL request',
      );
    },
  };
}
