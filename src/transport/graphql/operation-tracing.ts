// Spans of GraphQL operations (docs/tracing.md): one per operation on every path, named and described after
// OpenTelemetry's GraphQL conventions, failed with the errors' extensions.code; Apollo Server's plugin.
import type { ApolloServerPlugin } from '@apollo/server';
import { SpanKind, type Attributes, type Span } from '@opentelemetry/api';
import { getOperationAST, type OperationTypeNode } from 'graphql';
import { failSpan, type Tracing } from '../../platform/tracing';

/** OpenTelemetry's GraphQL attributes (semantic conventions, graphql.*; incubating, so spelled here). */
export const ATTR_GRAPHQL_OPERATION_NAME = 'graphql.operation.name';
export const ATTR_GRAPHQL_OPERATION_TYPE = 'graphql.operation.type';
/** The distinct `extensions.code` values of an operation's errors, in order (the first is also `error.type`). */
export const ATTR_GRAPHQL_ERROR_CODES = 'graphql.error.codes';
/** Which path ran the operation: `apollo`, `fast_lane` (HTTP) or `graphql_ws` (WebSocket). */
export const ATTR_GATEWAY_PATH = 'gateway.graphql.path';
/** For subscriptions over graphql-ws: `subscribe` (the source stream set up) or `event` (one event executed). */
export const ATTR_GATEWAY_SUBSCRIPTION_PHASE = 'gateway.graphql.subscription.phase';
/** The request id of the operation (the `X-Request-Id` of HTTP, the socket's id of WebSocket), as in the logs. */
export const ATTR_GATEWAY_REQUEST_ID = 'gateway.request_id';

/** A span's name until the operation is known (the conventions' name when there is no operation). */
export const UNKNOWN_OPERATION_SPAN = 'GraphQL Operation';

export type OperationPath = 'apollo' | 'fast_lane' | 'graphql_ws';

/** Longest operation name kept in an attribute (names are client-chosen). */
const MAX_NAME = 100;
const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/** Runs `run` inside a new operation span (SERVER), named {@link UNKNOWN_OPERATION_SPAN} until described. */
export function inOperationSpan<T>(
  tracing: Tracing,
  attributes: Attributes,
  run: (span: Span) => Promise<T>,
): Promise<T> {
  return tracing.inSpan(UNKNOWN_OPERATION_SPAN, { kind: SpanKind.SERVER, attributes }, run);
}

/**
 * Names `span` after its operation (`query Dashboard`, or `query` when anonymous) and sets
 * graphql.operation.type and graphql.operation.name. Never the document, nor its variables: they carry what
 * callers send (ids, amounts, tokens).
 */
export function describeOperation(
  span: Span,
  path: OperationPath,
  operation?: { type: OperationTypeNode | string; name?: string | null },
): void {
  span.setAttribute(ATTR_GATEWAY_PATH, path);
  if (!operation) return;
  span.setAttribute(ATTR_GRAPHQL_OPERATION_TYPE, operation.type);
  const name = operation.name ? operation.name.slice(0, MAX_NAME) : undefined;
  if (name) span.setAttribute(ATTR_GRAPHQL_OPERATION_NAME, name);
  span.updateName(name ? `${operation.type} ${name}` : operation.type);
}

/** The contract codes of errors (raw or formatted): `extensions.code`, INTERNAL_SERVER_ERROR when it has none. */
export function errorCodes(errors: readonly unknown[]): string[] {
  const codes = new Set<string>();
  for (const e of errors) {
    const code = (e as { extensions?: { code?: unknown } } | null)?.extensions?.code;
    codes.add(typeof code === 'string' && CODE.test(code) ? code : 'INTERNAL_SERVER_ERROR');
  }
  return [...codes];
}

/** Spans whose errors were recorded (OpenTelemetry's Span interface has no status getter). */
const withErrors = new WeakSet<Span>();

/** Marks an operation span ERROR when `errors` is not empty: `error.type` is the first code, every code listed. */
export function recordOperationErrors(span: Span, errors: readonly unknown[] | undefined): void {
  if (!errors?.length) return;
  const codes = errorCodes(errors);
  span.setAttribute(ATTR_GRAPHQL_ERROR_CODES, codes);
  failSpan(span, codes[0]);
  withErrors.add(span);
}

/** Whether {@link recordOperationErrors} marked `span` failed. */
export function hasOperationErrors(span: Span): boolean {
  return withErrors.has(span);
}

/**
 * Apollo plugin: describes the active operation span (opened by the /graphql route, transport/http/graphql-http.ts)
 * with what Apollo learns. Why the route opens the span and not this plugin: a plugin's hooks run before and after
 * execution but never around it, so a span started here could not be the active parent of the resolvers' Stripe calls.
 */
export function operationTracingPlugin(tracing: Tracing): ApolloServerPlugin {
  return {
    // No caller (bad or missing credential, or over a rate limit): refused before any operation was looked at.
    async contextCreationDidFail({ error }) {
      const span = tracing.activeSpan();
      if (span) recordOperationErrors(span, [error]);
    },
    // Refused before any operation was read: the CSRF check, a malformed body.
    async invalidRequestWasReceived({ error }) {
      const span = tracing.activeSpan();
      if (span) recordOperationErrors(span, [error]);
    },
    async requestDidStart() {
      const span = tracing.activeSpan();
      if (!span) return;
      describeOperation(span, 'apollo');
      let described = false;
      return {
        async didResolveOperation({ operation }) {
          if (!operation) return;
          described = true;
          describeOperation(span, 'apollo', { type: operation.operation, name: operation.name?.value });
        },
        async willSendResponse({ response, document, request }) {
          if (!described && document) {
            // Parsed but refused before resolution (validation, a limit): still named from its document.
            const op = getOperationAST(document, request.operationName);
            if (op) describeOperation(span, 'apollo', { type: op.operation, name: op.name?.value });
          }
          const body = response.body;
          recordOperationErrors(
            span,
            body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors,
          );
        },
      };
    },
  };
}
