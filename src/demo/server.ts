// The demo web app's server side: the /demo page, its settings, the route that mints a customer token, and the one that
// starts a recurring debit with the partner key (what a partner's server does).
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';
import { notBuiltPage, readWebPage } from '../transport/http/web-assets';
import { scriptSafeJson } from '../transport/http/ide';
import { setPageHeaders, type PagePolicy } from '../transport/http/page-security';

/**
 * Where the sandbox serves its Stripe.js-compatible script (src/sandbox/auth-flow/), relative to the sandbox URL.
 * With real Stripe the page loads Stripe.js itself.
 */
export const SANDBOX_STRIPE_JS_PATH = '/v3/';
export const STRIPE_JS_URL = 'https://js.stripe.com/v3/';

/** What the demo page reads from `<script id="demo-config">` (see src/demo/web/demo/config.ts). */
export interface DemoPageConfig {
  /** "sandbox": the embedded (or another) sandbox's script and key; "stripe": Stripe.js and a real publishable key. */
  mode: 'sandbox' | 'stripe';
  stripeJsUrl: string;
  publishableKey: string;
}

/** `sandbox`: the upstream said it is our sandbox (it serves its own script); otherwise it is Stripe. */
export function demoPageConfig(config: Config, sandbox: boolean): DemoPageConfig {
  const base = config.stripe.apiBase;
  if (base && sandbox) {
    return {
      mode: 'sandbox',
      stripeJsUrl: new URL(SANDBOX_STRIPE_JS_PATH, base).href,
      publishableKey: config.stripe.publishableKey ?? 'pk_test_sandbox',
    };
  }
  return { mode: 'stripe', stripeJsUrl: STRIPE_JS_URL, publishableKey: config.stripe.publishableKey ?? '' };
}

/**
 * What the demo page may load and frame besides the gateway: the sandbox's script and flow, or Stripe.js as Stripe's
 * CSP guide lists it (js.stripe.com scripts and frames, hooks.stripe.com frames, api.stripe.com calls).
 */
export function demoPagePolicy(page: DemoPageConfig): PagePolicy {
  if (page.mode === 'sandbox') {
    const origin = new URL(page.stripeJsUrl).origin;
    return { scriptOrigins: [origin], frameOrigins: [origin], connectOrigins: [origin] };
  }
  return {
    scriptOrigins: ['https://js.stripe.com', 'https://*.js.stripe.com'],
    frameOrigins: ['https://js.stripe.com', 'https://*.js.stripe.com', 'https://hooks.stripe.com'],
    connectOrigins: ['https://api.stripe.com'],
  };
}

/** The answer of POST /demo/api/session: everything the browser may know. Never the partner key. */
export interface DemoSession {
  customerId: string;
  token: string;
  expiresAt: string;
}

interface GraphqlResult<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** The gateway's own /graphql on the loopback interface (or the one address it listens on). */
export function ownGraphqlUrl(http: FastifyInstance): string {
  const address = http.server.address();
  if (!address || typeof address === 'string') throw new Error('the gateway is not listening');
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const host = wildcard ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}/graphql`;
}

/**
 * Why over HTTP to the gateway itself rather than through its services: the demo's server side is a client like any
 * partner backend, so it exercises exactly the public contract, and the partner key stays on this side.
 */
async function callGraphql<T>(
  http: FastifyInstance,
  partnerKey: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<T> {
  const res = await fetch(ownGraphqlUrl(http), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${partnerKey}` },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await res.json()) as GraphqlResult<T>;
  if (!body.data || body.errors?.length) {
    const first = body.errors?.[0];
    throw Object.assign(new Error(first?.message ?? `GraphQL HTTP ${res.status}`), {
      code: first?.extensions?.code ?? 'INTERNAL_SERVER_ERROR',
    });
  }
  return body.data;
}

const CREATE_CUSTOMER = /* GraphQL */ `
  mutation DemoCreateCustomer($input: CreateCustomerInput!) {
    createCustomer(input: $input) {
      customer {
        id
      }
    }
  }
`;

const CREATE_TOKEN = /* GraphQL */ `
  mutation DemoCreateCustomerToken($input: CreateCustomerTokenInput!) {
    createCustomerToken(input: $input) {
      token
      expiresAt
    }
  }
`;

/** Creates a fresh demo customer and a customer token for it, as a partner backend would. */
export async function mintDemoSession(http: FastifyInstance, partnerKey: string): Promise<DemoSession> {
  const suffix = randomUUID().slice(0, 8);
  const created = await callGraphql<{ createCustomer: { customer: { id: string } } }>(
    http,
    partnerKey,
    CREATE_CUSTOMER,
    {
      input: {
        email: `demo+${suffix}@example.com`,
        name: 'Jenny Rosen',
        idempotencyKey: `demo-${randomUUID()}`,
      },
    },
  );
  const customerId = created.createCustomer.customer.id;
  const minted = await callGraphql<{ createCustomerToken: { token: string; expiresAt: string } }>(
    http,
    partnerKey,
    CREATE_TOKEN,
    { input: { customerId, ttlSeconds: 3600 } },
  );
  return {
    customerId,
    token: minted.createCustomerToken.token,
    expiresAt: minted.createCustomerToken.expiresAt,
  };
}

const VIEWER_CUSTOMER = /* GraphQL */ `
  query DemoViewerCustomer {
    viewer {
      kind
      customer {
        id
      }
    }
  }
`;

const PAY_AGAIN = /* GraphQL */ `
  mutation DemoPayAgain($input: CreatePaymentIntentInput!) {
    createPaymentIntent(input: $input) {
      paymentIntent {
        id
      }
    }
  }
`;

/** What the page sends to POST /demo/api/pay-again, with its customer token as `Authorization`. */
interface PayAgainRequest {
  paymentMethodId?: unknown;
  mandateId?: unknown;
  amount?: unknown;
  idempotencyKey?: unknown;
}

/**
 * An off-session debit from the customer's saved account, started with the partner key. Why on this side: only a
 * partner key may start one (the customer is not present: src/services/domain/payment-intents.service.ts), so the
 * page asks its "partner server", which learns whose token it is from the gateway and debits only that customer (the
 * gateway checks the saved account and mandate are that customer's).
 */
export async function payAgain(
  http: FastifyInstance,
  partnerKey: string,
  authorization: string,
  body: PayAgainRequest,
): Promise<{ paymentIntentId: string }> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization.trim())?.[1] ?? '';
  const { viewer } = await callGraphql<{ viewer: { kind: string; customer: { id: string } | null } }>(
    http,
    token,
    VIEWER_CUSTOMER,
    {},
  );
  if (viewer.kind !== 'CUSTOMER' || !viewer.customer) {
    throw Object.assign(new Error('A customer token is required.'), { code: 'FORBIDDEN' });
  }
  const created = await callGraphql<{ createPaymentIntent: { paymentIntent: { id: string } } }>(
    http,
    partnerKey,
    PAY_AGAIN,
    {
      input: {
        customerId: viewer.customer.id,
        paymentMethodId: body.paymentMethodId,
        mandateId: body.mandateId,
        offSession: true,
        amount: body.amount,
        currency: 'usd',
        description: 'Demo Store subscription',
        idempotencyKey: body.idempotencyKey,
      },
    },
  );
  return { paymentIntentId: created.createPaymentIntent.paymentIntent.id };
}

/**
 * Registers /demo, /demo/, POST /demo/api/session and POST /demo/api/pay-again.
 * The demo acts as the first partner of PARTNER_KEYS (the built-in `demo` partner when unset).
 */
export function registerDemo(
  http: FastifyInstance,
  options: { config: Config; log: Logger; sandbox: boolean },
): void {
  const partner = options.config.partners[0];
  const pageConfig = demoPageConfig(options.config, options.sandbox);
  const page = (reply: import('fastify').FastifyReply) => {
    const html = readWebPage('demo.html');
    return setPageHeaders(reply.code(html ? 200 : 503), demoPagePolicy(pageConfig)).send(
      html
        ? html.replace(
            '<!--demo-config-->',
            `<script id="demo-config" type="application/json">${scriptSafeJson(pageConfig)}</script>`,
          )
        : notBuiltPage('demo app'),
    );
  };
  http.get('/demo', async (_request, reply) => page(reply));
  http.get('/demo/', async (_request, reply) => page(reply));

  http.post('/demo/api/session', async (request, reply) => {
    // Only the page's own fetch (JSON) may mint: a cross-site form or text/plain POST cannot (CSRF).
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return reply.code(415).send({ error: { code: 'BAD_USER_INPUT', message: 'Send application/json.' } });
    }
    try {
      const session = await mintDemoSession(http, partner.apiKey);
      return reply.header('cache-control', 'no-store').send(session);
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'INTERNAL_SERVER_ERROR';
      // The message comes from the gateway's own masked errors; the partner key is never part of it.
      options.log.warn({ code, reason: (e as Error).message }, 'demo session could not be created');
      return reply.code(502).send({ error: { code, message: 'Could not create a demo customer.' } });
    }
  });

  http.post('/demo/api/pay-again', async (request, reply) => {
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return reply.code(415).send({ error: { code: 'BAD_USER_INPUT', message: 'Send application/json.' } });
    }
    try {
      const paid = await payAgain(
        http,
        partner.apiKey,
        String(request.headers.authorization ?? ''),
        (request.body ?? {}) as PayAgainRequest,
      );
      return reply.header('cache-control', 'no-store').send(paid);
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'INTERNAL_SERVER_ERROR';
      // The gateway's own masked message (a refused debit says why); never the partner key.
      return reply.code(code === 'INTERNAL_SERVER_ERROR' ? 502 : 400).send({
        error: { code, message: (e as Error).message },
      });
    }
  });
}
