// The request pipeline every API route goes through, in Stripe's order: Request-Id → API key (401) →
// rate limit (429) → injected faults → parameters (400, never saved) → idempotency (replay / 400 / 409) →
// the endpoint → expand[] → Stripe's JSON, with the request recorded in the sandbox's request log.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiError, SandboxError } from './errors';
import { applyExpand } from './expand';
import type { Faults } from './faults';
import type { IdempotencyStore } from './idempotency';
import { fingerprint, parseForm, validateParams, type Params, type Spec } from './params';
import { renderById } from './render';
import type { Obj, Store } from './store';
import type { EventBus } from './webhooks';

export interface RequestLogEntry {
  method: string;
  /** Path without the query string, e.g. /v1/financial_connections/accounts/fca_123/refresh */
  path: string;
  /** The decoded query string (GET parameters, e.g. `expand[0]=data.ownership`), '' when none. */
  query: string;
  status: number;
  idempotencyKey: string | null;
  /** True when the response was replayed from an earlier request with the same Idempotency-Key. */
  replayed: boolean;
  requestId: string;
  /** The Stripe-Version header sent, if any. */
  stripeVersion: string | null;
  at: number;
  /** The JSON body sent, when the sandbox was created with `recordResponses: true` (conformance tests). */
  responseBody?: unknown;
}

export interface RouteContext {
  store: Store;
  bus: EventBus;
  faults: Faults;
  idempotency: IdempotencyStore;
  requestLog: RequestLogEntry[];
  recordResponses: boolean;
}

export interface ApiRequest {
  params: Params;
  pathParams: Record<string, string>;
  requestId: string;
  idempotencyKey: string | null;
  /** What events caused by this request record as `request`. */
  eventRequest: { id: string; idempotency_key: string | null };
  headers: FastifyRequest['headers'];
}

export interface RouteDef {
  method: 'GET' | 'POST' | 'DELETE';
  /** Fastify path, e.g. /v1/customers/:customer */
  url: string;
  params: Record<string, Spec>;
  /** v2 endpoints take JSON bodies and have no expand[]. @default 'v1' */
  api?: 'v1' | 'v2';
  /** The response is a list or search result (`expand[]` paths start with `data.`). */
  list?: boolean;
  /** Sandbox control routes skip rate limiting and faults (a test must always be able to switch them off). */
  control?: boolean;
  handler(req: ApiRequest): Obj | Promise<Obj>;
}

/** Entries kept in the request log (tests read it; a benchmark must not exhaust memory with it). */
export const REQUEST_LOG_LIMIT = 200_000;

const KEY_PATTERN = /^sk_test_[A-Za-z0-9_]{1,247}$/;

export function newRequestId(): string {
  return `req_${randomBytes(10).toString('base64url').replace(/[-_]/g, 'x').slice(0, 14)}`;
}

/** The `sk_test_…` key from `Authorization: Bearer <key>` or Basic `<key>:` (curl -u). */
function apiKeyFrom(request: FastifyRequest): { key?: string; error?: SandboxError } {
  const header = request.headers.authorization;
  if (!header)
    return {
      error: new SandboxError(401, {
        type: 'invalid_request_error',
        message:
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      }),
    };
  let key: string | undefined;
  const [scheme, value = ''] = header.split(/\s+/, 2);
  if (/^bearer$/i.test(scheme)) key = value;
  else if (/^basic$/i.test(scheme)) key = Buffer.from(value, 'base64').toString('utf8').split(':')[0];
  if (key && KEY_PATTERN.test(key)) return { key };
  // Never echo the key: only its kind, so logs and error messages stay free of secrets.
  const kind = key?.match(/^(sk|rk|pk)_(test|live)_/)?.[0] ?? '';
  return {
    error: new SandboxError(401, {
      type: 'invalid_request_error',
      message: `Invalid API Key provided: ${kind}****. The sandbox accepts secret test keys (sk_test_…) only.`,
    }),
  };
}

function rawQuery(request: FastifyRequest): string {
  const i = request.url.indexOf('?');
  return i < 0 ? '' : request.url.slice(i + 1);
}

function parseBody(request: FastifyRequest, api: 'v1' | 'v2'): Params {
  const body = typeof request.body === 'string' ? request.body : '';
  if (api === 'v2') {
    if (!body.trim()) return {};
    try {
      const parsed = JSON.parse(body) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      return parsed as Params;
    } catch {
      throw new SandboxError(
        400,
        { type: 'invalid_request_error', message: 'Invalid JSON body.' },
        { validation: true },
      );
    }
  }
  return parseForm(body);
}

/** The decoded query string of `url` for the request log (raw when it is not valid percent-encoding). */
export function queryOf(url: string): string {
  const raw = url.split('?')[1] ?? '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** What the sandbox answers under when a request names no version (an account's default, on Stripe). */
const DEFAULT_STRIPE_VERSION = '2026-07-29.dahlia';
/** Stripe-Version's shape: a date, optionally `.name` (`2026-08-26.dahlia`, `2026-04-22.preview`). */
const STRIPE_VERSION_SHAPE = /^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/;

export function registerRoute(app: FastifyInstance, ctx: RouteContext, def: RouteDef): void {
  const api = def.api ?? 'v1';
  app.route({
    method: def.method,
    url: def.url,
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const requestId = newRequestId();
      const idempotencyKey = (request.headers['idempotency-key'] as string | undefined) ?? null;
      const stripeVersion = (request.headers['stripe-version'] as string | undefined) ?? null;
      const path = request.url.split('?')[0];
      const entry: RequestLogEntry = {
        method: def.method,
        path,
        query: queryOf(request.url),
        status: 0,
        idempotencyKey,
        replayed: false,
        requestId,
        stripeVersion,
        at: Date.now(),
      };
      ctx.requestLog.push(entry);
      // Long benchmarks would grow the log without bound: keep the newest entries only.
      if (ctx.requestLog.length > REQUEST_LOG_LIMIT) ctx.requestLog.splice(0, REQUEST_LOG_LIMIT / 4);
      reply.header('request-id', requestId);
      // Stripe echoes the key of a write (stripe-node reads it as lastResponse.idempotencyKey).
      if (idempotencyKey !== null && def.method !== 'GET') reply.header('idempotency-key', idempotencyKey);
      // Stripe echoes the version a request ran under (the account's default when none was sent).
      reply.header('stripe-version', stripeVersion ?? DEFAULT_STRIPE_VERSION);
      const send = (status: number, body: unknown) => {
        entry.status = status;
        if (ctx.recordResponses) entry.responseBody = JSON.parse(JSON.stringify(body));
        return reply
          .code(status)
          .type('application/json')
          .send(JSON.stringify(body, null, 2));
      };
      const sendError = (err: SandboxError) => {
        for (const [k, v] of Object.entries(err.options.headers ?? {})) reply.header(k, v);
        return send(err.status, err.toJSON(requestId));
      };

      const auth = apiKeyFrom(request);
      if (auth.error) return sendError(auth.error);
      if (stripeVersion !== null && !STRIPE_VERSION_SHAPE.test(stripeVersion)) {
        return sendError(
          new SandboxError(400, {
            type: 'invalid_request_error',
            message: `Invalid Stripe API version: ${stripeVersion.slice(0, 100)}`,
          }),
        );
      }
      const apiKey = auth.key!;

      if (!def.control) {
        if (!ctx.faults.admit(Date.now())) {
          reply.header('stripe-rate-limited-reason', 'global-rate');
          return sendError(
            new SandboxError(429, {
              type: 'invalid_request_error',
              code: 'rate_limit',
              message:
                'Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.',
            }),
          );
        }
        const latency = ctx.faults.latencyMs();
        if (latency > 0) await new Promise((r) => setTimeout(r, latency));
        const decision = ctx.faults.decide();
        if (decision.kind === 'drop') {
          entry.status = -1;
          request.raw.socket.destroy();
          return reply.hijack();
        }
        if (decision.kind === 'error')
          return sendError(
            apiError('Injected fault: the sandbox failed this request on purpose.', decision.status),
          );
      }

      let params: Params;
      let rawParams: Params;
      try {
        rawParams = def.method === 'POST' ? parseBody(request, api) : parseForm(rawQuery(request));
        params = validateParams(rawParams, def.params);
      } catch (err) {
        return sendError(err instanceof SandboxError ? err : apiError());
      }

      const idempotent =
        idempotencyKey !== null && (def.method === 'POST' || (api === 'v2' && def.method === 'DELETE'));
      if (idempotent) {
        try {
          const saved = ctx.idempotency.begin(
            apiKey,
            idempotencyKey!,
            `${def.method} ${path} ${fingerprint(rawParams)}`,
            ctx.store.clock.nowMs(),
          );
          if (saved) {
            entry.replayed = true;
            reply.header('idempotent-replayed', 'true');
            return send(saved.status, saved.body);
          }
        } catch (err) {
          return sendError(err as SandboxError);
        }
      }

      const apiRequest: ApiRequest = {
        params,
        pathParams: request.params as Record<string, string>,
        requestId,
        idempotencyKey,
        eventRequest: { id: requestId, idempotency_key: idempotencyKey },
        headers: request.headers,
      };
      const status = 200;
      let body: unknown;
      try {
        const result = await def.handler(apiRequest);
        const expand = params.expand as string[] | undefined;
        if (expand && expand.length > 0 && api === 'v1')
          applyExpand(result, expand, (id) => renderById(ctx.store, id), !!def.list);
        body = result;
      } catch (err) {
        const e = err instanceof SandboxError ? err : apiError();
        if (!(err instanceof SandboxError)) request.log.error({ err }, 'sandbox handler failed');
        if (idempotent && e.options.validation) ctx.idempotency.forget(apiKey, idempotencyKey!);
        else if (idempotent)
          ctx.idempotency.save(apiKey, idempotencyKey!, { status: e.status, body: e.toJSON(requestId) });
        return sendError(e);
      }
      if (idempotent) ctx.idempotency.save(apiKey, idempotencyKey!, { status, body: structuredClone(body) });
      return send(status, body);
    },
  });
}
