// /v2/core/accounts: Accounts v2 with the customer configuration (JSON bodies, as stripe-node's
// stripe.v2.core.accounts.create/retrieve send them). Include-dependent fields (configuration, defaults,
// identity, requirements) are null unless asked for with `include`, as in Stripe's v2 API.
import type { FastifyInstance } from 'fastify';
import { parameterInvalid, resourceMissing } from '../../../errors';
import { p, type Params } from '../../../params';
import { clone } from '../../../render';
import { registerRoute, type RouteContext } from '../../../router';
import type { Obj } from '../../../store';
import type { Metadata, V2Account } from '../../../types';

const INCLUDES = [
  'configuration.customer',
  'configuration.merchant',
  'configuration.recipient',
  'defaults',
  'future_requirements',
  'identity',
  'requirements',
] as const;

function render(acc: V2Account, include: string[]): Obj {
  const out = clone(acc) as unknown as Obj;
  const config: Record<string, unknown> = {};
  for (const part of ['customer', 'merchant', 'recipient'] as const)
    if (include.includes(`configuration.${part}`) && acc.configuration?.[part])
      config[part] = clone(acc.configuration[part]);
  out.configuration = Object.keys(config).length > 0 ? config : null;
  out.defaults = include.includes('defaults') ? clone(acc.defaults) : null;
  out.identity = include.includes('identity') ? clone(acc.identity) : null;
  out.requirements = null;
  out.future_requirements = null;
  return out;
}

function metadataFrom(value: unknown, current: Metadata): Metadata {
  if (value === undefined) return current;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw parameterInvalid('metadata', 'metadata must be an object.');
  const out = { ...current };
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    // In v2, a null value removes the key.
    if (v === null || v === '') delete out[k];
    else out[k] = String(v);
  }
  return out;
}

export function registerV2AccountRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { store } = ctx;

  const create = (params: Params): V2Account => {
    const configuration = (params.configuration ?? {}) as Record<string, Record<string, unknown> | undefined>;
    const applied = (['customer', 'merchant', 'recipient'] as const).filter(
      (k) => configuration[k] !== undefined,
    );
    const acc: V2Account = {
      id: store.id('acct', 16),
      object: 'v2.core.account',
      applied_configurations: applied,
      closed: false,
      configuration: Object.fromEntries(
        applied.map((k) => [k, { applied: true, ...(configuration[k] ?? {}) }]),
      ),
      contact_email: (params.contact_email as string | undefined) ?? null,
      contact_phone: (params.contact_phone as string | undefined) ?? null,
      created: new Date(store.clock.nowMs()).toISOString(),
      dashboard: (params.dashboard as string | undefined) ?? 'none',
      defaults: (params.defaults as Record<string, unknown> | undefined) ?? null,
      display_name: (params.display_name as string | undefined) ?? null,
      identity: (params.identity as Record<string, unknown> | undefined) ?? null,
      livemode: false,
      metadata: metadataFrom(params.metadata, {}),
      requirements: null,
      future_requirements: null,
    };
    return store.v2Accounts.insert(acc);
  };

  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v2/core/accounts',
    api: 'v2',
    params: {
      account_token: p.str(),
      configuration: p.obj({ customer: p.any(), merchant: p.any(), recipient: p.any() }),
      contact_email: p.str({ max: 800 }),
      contact_phone: p.str({ max: 100 }),
      dashboard: p.str({ enum: ['express', 'full', 'none'] }),
      defaults: p.any(),
      display_name: p.str({ max: 5000 }),
      identity: p.any(),
      include: p.arr(p.str({ enum: INCLUDES })),
      metadata: p.any(),
    },
    handler: (req) => render(create(req.params), (req.params.include as string[] | undefined) ?? []),
  });

  registerRoute(app, ctx, {
    method: 'GET',
    url: '/v2/core/accounts/:id',
    api: 'v2',
    params: { include: p.arr(p.str({ enum: INCLUDES })) },
    handler: (req) => {
      const acc = store.v2Accounts.get(req.pathParams.id);
      if (!acc) throw resourceMissing('account', req.pathParams.id, 'id');
      return render(acc, (req.params.include as string[] | undefined) ?? []);
    },
  });

  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v2/core/accounts/:id',
    api: 'v2',
    params: {
      configuration: p.obj({ customer: p.any(), merchant: p.any(), recipient: p.any() }),
      contact_email: p.str({ max: 800 }),
      contact_phone: p.str({ max: 100 }),
      display_name: p.str({ max: 5000 }),
      include: p.arr(p.str({ enum: INCLUDES })),
      metadata: p.any(),
    },
    handler: (req) => {
      const acc = store.v2Accounts.get(req.pathParams.id);
      if (!acc) throw resourceMissing('account', req.pathParams.id, 'id');
      const ps = req.params;
      if (ps.contact_email !== undefined) acc.contact_email = ps.contact_email as string;
      if (ps.contact_phone !== undefined) acc.contact_phone = ps.contact_phone as string;
      if (ps.display_name !== undefined) acc.display_name = ps.display_name as string;
      acc.metadata = metadataFrom(ps.metadata, acc.metadata);
      const configuration = ps.configuration as Record<string, Record<string, unknown>> | undefined;
      if (configuration) {
        acc.configuration = acc.configuration ?? {};
        for (const [k, v] of Object.entries(configuration)) {
          (acc.configuration as Record<string, unknown>)[k] = {
            applied: true,
            ...((acc.configuration as Record<string, Record<string, unknown>>)[k] ?? {}),
            ...v,
          };
          if (!acc.applied_configurations.includes(k)) acc.applied_configurations.push(k);
        }
      }
      return render(acc, (ps.include as string[] | undefined) ?? []);
    },
  });
}
