// The demo's GraphQL client: HTTP for queries and mutations, graphql-ws for subscriptions. Only the public API.
// Its documents are the typed ones generated from schema/operations/ (npm run codegen), so results and variables
// are checked against the schema.
import { createClient, type Client } from 'graphql-ws';
import type { TypedDocumentString } from './generated/graphql';

export interface GraphqlError {
  message: string;
  extensions?: { code?: string; requestId?: string };
}

export class GraphqlRequestError extends Error {
  constructor(readonly errors: GraphqlError[]) {
    super(errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; '));
  }
}

export interface GraphqlResult<T> {
  data: T;
  /** Field-level errors next to partial data (e.g. PERMISSION_NOT_GRANTED on one field). */
  errors: GraphqlError[];
}

type Variables = Record<string, unknown>;

export type LiveStatus = 'connecting' | 'live' | 'closed';

export class GatewayClient {
  private ws: Client | undefined;
  private statusListeners = new Set<(s: LiveStatus) => void>();
  private generation = 0;
  private rejectedListeners = new Set<() => void>();

  constructor(private readonly token: string) {}

  /** POSTs `body` to one of the demo's own server routes (src/demo/server.ts) with this token; its JSON answer. */
  async postDemo<T>(path: string, body: unknown): Promise<T> {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify(body),
    });
    const answer = (await res.json()) as T & { error?: { message: string } };
    if (!res.ok) throw new Error(answer.error?.message ?? `HTTP ${res.status}`);
    return answer;
  }

  /** Reports the WebSocket's state, so the page can say when live updates are flowing. */
  onStatus(listener: (s: LiveStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /**
   * Reports that the gateway refused this client's token on the WebSocket (4401/4403: unknown, expired, or signed before a
   * restart). The page asks the socket first, because a refused HTTP request is a console error in every browser.
   */
  onRejected(listener: () => void): () => void {
    this.rejectedListeners.add(listener);
    return () => this.rejectedListeners.delete(listener);
  }

  private socket(): Client {
    if (this.ws) return this.ws;
    // Only the current socket speaks: a disposed one's late 'closed' must not cover its successor's 'live'.
    const generation = ++this.generation;
    const emit = (s: LiveStatus) => {
      if (generation === this.generation) this.statusListeners.forEach((l) => l(s));
    };
    this.ws = createClient({
      url: new URL('/graphql', location.href).href.replace(/^http/, 'ws'),
      // The gateway authenticates WebSockets in connection_init, like HTTP's Authorization header.
      connectionParams: { authorization: `Bearer ${this.token}` },
      retryAttempts: 5,
      // A refused token stays refused: no retry, and no console error (the page says what happened instead).
      shouldRetry: (e) => !isRefusal(e),
      onNonLazyError: () => undefined,
      lazy: false,
      on: {
        connecting: () => emit('connecting'),
        connected: () => emit('live'),
        closed: (e) => {
          if (isRefusal(e) && generation === this.generation) this.rejectedListeners.forEach((l) => l());
          emit('closed');
        },
      },
    });
    return this.ws;
  }

  /** One operation over HTTP. Throws when there is no data at all; partial data comes back with its errors. */
  async request<T, V extends Variables>(
    document: TypedDocumentString<T, V>,
    variables: V,
  ): Promise<GraphqlResult<T>> {
    const res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
    const body = (await res.json()) as { data?: T | null; errors?: GraphqlError[] };
    if (!body.data) throw new GraphqlRequestError(body.errors ?? [{ message: `HTTP ${res.status}` }]);
    return { data: body.data, errors: body.errors ?? [] };
  }

  /** Starts a subscription over the shared WebSocket. Returns the function that ends it. */
  subscribe<T, V extends Variables>(
    document: TypedDocumentString<T, V>,
    variables: V,
    handlers: { next(data: T): void; error?(e: unknown): void },
  ): () => void {
    return this.socket().subscribe<T>(
      { query: document.toString(), variables },
      {
        next: (result) => {
          if (result.data) handlers.next(result.data as T);
          else if (result.errors) handlers.error?.(new GraphqlRequestError(result.errors as GraphqlError[]));
        },
        error: (e) => {
          if (isRefusal(e)) return; // reported once, through onRejected
          handlers.error?.(isCloseEvent(e) ? new Error(`Live updates stopped (close code ${e.code}).`) : e);
        },
        complete: () => undefined,
      },
    );
  }

  /** Closes the WebSocket; a later subscribe opens a new one (React's StrictMode ends and restarts effects). */
  dispose(): void {
    // Disposing a socket whose connection was refused rejects with that refusal, already reported.
    void Promise.resolve(this.ws?.dispose()).catch(() => undefined);
    this.ws = undefined;
    this.generation++;
  }
}

function isCloseEvent(e: unknown): e is { code: number } {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'number';
}

/**
 * The gateway closes a WebSocket whose connection_init carries no valid credential with 4401, and one whose token
 * expires while open with 4403 (docs/errors.md, WebSocket close codes).
 */
function isRefusal(e: unknown): boolean {
  return isCloseEvent(e) && (e.code === 4401 || e.code === 4403);
}
