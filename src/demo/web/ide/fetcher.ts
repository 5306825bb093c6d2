// The IDE's fetcher: HTTP through GraphiQL's toolkit, subscriptions over graphql-ws with errors shown, not retried.
import { createGraphiQLFetcher, type Fetcher, type FetcherOpts } from '@graphiql/toolkit';
import {
  Kind,
  OperationTypeNode,
  parse,
  type DocumentNode,
  type ExecutionResult,
  type FormattedExecutionResult,
} from 'graphql';
import { createClient } from 'graphql-ws';

/**
 * The close codes the gateway's WebSocket path uses for refused credentials (src/transport/ws/ws-guard.ts,
 * docs/errors.md): 4401 a key or token that will never work (graphql-ws's client gives up), 4403 a token that
 * expired on an open socket or an address over its failed-attempt budget (graphql-ws's client retries).
 */
const REFUSED: Record<number, { why: string; code: string }> = {
  4401: { why: 'the key or token in Headers was refused', code: 'UNAUTHENTICATED' },
  4403: { why: 'the token in Headers expired, or too many attempts failed', code: 'FORBIDDEN' },
};

/**
 * The name of the operation to run: the only operation of the text when there is one. Why: GraphiQL updates the
 * operation name a moment after a tab switch, and a Run in that moment sent the previous tab's name.
 */
function operationNameOf(query: string, asked: string | null | undefined): string | null {
  try {
    const ops = parse(query).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    if (ops.length === 1) return ops[0].name?.value ?? null;
  } catch {
    /* not parseable: the gateway answers with the syntax error */
  }
  return asked ?? null;
}

function isSubscription(
  doc: DocumentNode | undefined,
  operationName: string | undefined,
  query: string,
): boolean {
  let document = doc;
  try {
    document = parse(query); // the text being run (GraphiQL's AST may still be the previous tab's)
  } catch {
    /* keep GraphiQL's */
  }
  const ops = (document?.definitions ?? []).filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const op = operationName
    ? ops.find((o) => o.name?.value === operationName)
    : ops.length === 1
      ? ops[0]
      : undefined;
  return op?.operation === OperationTypeNode.SUBSCRIPTION;
}

/** A GraphQL-shaped answer for a socket that closed before or instead of results. */
function closedResult(e: unknown): FormattedExecutionResult {
  const code = typeof e === 'object' && e && 'code' in e ? Number((e as { code: unknown }).code) : undefined;
  const reason = typeof e === 'object' && e && 'reason' in e ? String((e as { reason: unknown }).reason) : '';
  const refused = code !== undefined ? REFUSED[code] : undefined;
  const why = refused?.why ?? (code !== undefined ? 'the connection closed' : 'the connection failed');
  return {
    errors: [
      {
        message: `Subscription ended: ${why}${code !== undefined ? ` (WebSocket close ${code}${reason ? ` ${reason}` : ''})` : ''}.`,
        extensions: {
          code: refused?.code ?? 'SUBSCRIPTION_CLOSED',
          ...(code ? { closeCode: code } : {}),
        },
      },
    ],
  };
}

/**
 * One graphql-ws client per subscription, with the headers editor's object as its connection_init payload.
 * Why not the toolkit's: its client retries a closed socket (graphql-ws retries 4403 by default), so a refused key
 * left GraphiQL spinning; here a close ends the subscription with an error the result pane shows.
 */
async function* subscribe(
  url: string,
  params: Parameters<Fetcher>[0],
  headers: Record<string, unknown>,
): AsyncGenerator<FormattedExecutionResult> {
  const client = createClient({ url, connectionParams: headers, retryAttempts: 0, lazy: true });
  try {
    yield* client.iterate<Record<string, unknown>, Record<string, unknown>>({
      query: params.query,
      operationName: params.operationName ?? undefined,
      variables: params.variables ?? undefined,
    });
  } catch (e) {
    yield closedResult(e);
  } finally {
    void client.dispose();
  }
}

/**
 * The IDE's fetcher. Headers are sent lower-cased (the gateway reads `authorization` in connection_init); requests
 * GraphiQL makes before its headers editor exists (the introspection on load) get `defaultHeaders()`.
 */
export function ideFetcher(
  httpUrl: string,
  wsUrl: string,
  defaultHeaders: () => Record<string, unknown>,
): Fetcher {
  const http = createGraphiQLFetcher({
    url: httpUrl,
    // Apollo answers plain JSON; the multipart (incremental delivery) fetcher adds nothing here.
    enableIncrementalDelivery: false,
  });
  return (rawParams, opts?: FetcherOpts) => {
    const params = { ...rawParams, operationName: operationNameOf(rawParams.query, rawParams.operationName) };
    const headers: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(opts?.headers ?? defaultHeaders())) headers[k.toLowerCase()] = v;
    if (isSubscription(opts?.documentAST, params.operationName ?? undefined, params.query)) {
      // GraphiQL only prints results: the wire's formatted errors are what it shows either way.
      return subscribe(wsUrl, params, headers) as AsyncIterable<ExecutionResult>;
    }
    return http(params, { ...opts, headers });
  };
}
