// /v1/webhook_endpoints: create (the `whsec_` secret is returned only here), list, retrieve, update, delete.
import type { FastifyInstance } from 'fastify';
import { invalidRequest, resourceMissing } from '../errors';
import { paginate } from '../lists';
import { updatedMetadata } from '../metadata';
import { listParams, p } from '../params';
import { clone } from '../render';
import { registerRoute, type RouteContext } from '../router';
import { newWebhookSecret } from '../signing';
import type { Obj, Store, WebhookEndpointRecord } from '../store';
import type { Metadata, WebhookEndpoint } from '../types';

function publicView(e: WebhookEndpointRecord): Obj {
  const { secret: _secret, ...rest } = e;
  return clone(rest) as unknown as Obj;
}

function checkUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw invalidRequest('Invalid URL: must be an absolute http(s) URL.', {
      param: 'url',
      code: 'url_invalid',
      validation: true,
    });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw invalidRequest('Invalid URL: must be an absolute http(s) URL.', {
      param: 'url',
      code: 'url_invalid',
      validation: true,
    });
}

/** Registers an endpoint (also used for SANDBOX_WEBHOOK_URL at start-up); returns its id and secret. */
export function createWebhookEndpoint(
  store: Store,
  input: {
    url: string;
    secret?: string;
    enabledEvents?: string[];
    description?: string | null;
    metadata?: Record<string, string>;
    apiVersion?: string | null;
  },
): { id: string; secret: string; endpoint: WebhookEndpointRecord } {
  checkUrl(input.url);
  const endpoint: WebhookEndpointRecord = {
    id: store.id('we', 24),
    object: 'webhook_endpoint',
    api_version: input.apiVersion ?? null,
    application: null,
    created: store.clock.now(),
    description: input.description ?? null,
    enabled_events: input.enabledEvents && input.enabledEvents.length > 0 ? input.enabledEvents : ['*'],
    livemode: false,
    metadata: input.metadata ?? {},
    status: 'enabled',
    url: input.url,
    secret: input.secret ?? newWebhookSecret(),
  };
  store.webhookEndpoints.insert(endpoint);
  return { id: endpoint.id, secret: endpoint.secret, endpoint };
}

export function registerWebhookEndpointRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { store } = ctx;
  const get = (id: string): WebhookEndpointRecord => {
    const e = store.webhookEndpoints.get(id);
    if (!e) throw resourceMissing('webhook_endpoint', id, 'webhook_endpoint');
    return e;
  };

  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/webhook_endpoints',
    params: {
      url: p.str({ required: true, max: 5000 }),
      enabled_events: p.arr(p.str({ max: 5000 }), { required: true }),
      api_version: p.str({ max: 5000 }),
      connect: p.bool(),
      description: p.str({ max: 5000, emptyable: true }),
      metadata: p.metadata(),
      expand: p.expand(),
    },
    handler: (req) => {
      const ps = req.params;
      const { endpoint } = createWebhookEndpoint(store, {
        url: ps.url as string,
        enabledEvents: ps.enabled_events as string[],
        description: (ps.description as string | undefined) || null,
        metadata: (ps.metadata as Record<string, string> | null) ?? {},
        apiVersion: (ps.api_version as string | undefined) ?? null,
      });
      // The secret is shown once, on creation (docs.stripe.com/api/webhook_endpoints/create).
      return clone(endpoint) as unknown as Obj;
    },
  });

  registerRoute(app, ctx, {
    method: 'GET',
    url: '/v1/webhook_endpoints',
    list: true,
    params: { ...listParams },
    handler: (req) => {
      const list = paginate(
        store.webhookEndpoints.newestFirst(),
        req.params,
        '/v1/webhook_endpoints',
        'webhook_endpoint',
      );
      return { ...list, data: list.data.map(publicView) };
    },
  });

  registerRoute(app, ctx, {
    method: 'GET',
    url: '/v1/webhook_endpoints/:webhook_endpoint',
    params: { expand: p.expand() },
    handler: (req) => publicView(get(req.pathParams.webhook_endpoint)),
  });

  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/webhook_endpoints/:webhook_endpoint',
    params: {
      url: p.str({ max: 5000 }),
      enabled_events: p.arr(p.str({ max: 5000 })),
      description: p.str({ max: 5000, emptyable: true }),
      disabled: p.bool(),
      metadata: p.metadata(),
      expand: p.expand(),
    },
    handler: (req) => {
      const e = get(req.pathParams.webhook_endpoint);
      const ps = req.params;
      if (ps.url !== undefined) {
        checkUrl(ps.url as string);
        e.url = ps.url as string;
      }
      if (ps.enabled_events !== undefined) e.enabled_events = ps.enabled_events as string[];
      if (ps.description !== undefined) e.description = (ps.description as string) || null;
      if (ps.disabled !== undefined)
        e.status = (ps.disabled ? 'disabled' : 'enabled') as WebhookEndpoint['status'];
      if (ps.metadata !== undefined) e.metadata = updatedMetadata(e.metadata, ps.metadata as Metadata | null);
      return publicView(e);
    },
  });

  registerRoute(app, ctx, {
    method: 'DELETE',
    url: '/v1/webhook_endpoints/:webhook_endpoint',
    params: {},
    handler: (req) => {
      const e = get(req.pathParams.webhook_endpoint);
      store.webhookEndpoints.delete(e.id);
      return { id: e.id, object: 'webhook_endpoint', deleted: true };
    },
  });
}
