// /v1/setup_intents for us_bank_account from FC accounts: create (optionally confirm), retrieve, list, update,
// confirm. FC accounts are instantly verified, so a confirmed SetupIntent succeeds at once
// (setup_intent.succeeded) and its PaymentMethod is attached to the customer.
import type { FastifyInstance } from 'fastify';
import { assertPayable, createMandate, fcAccountOf, mandateDataSpec, type MandateInput } from '../ach';
import { invalidRequest, resourceMissing } from '../errors';
import { paginate } from '../lists';
import { listParams, p, type Params, type Spec } from '../params';
import { clone } from '../render';
import { registerRoute, type ApiRequest, type RouteContext } from '../router';
import type { Obj, StoredIntent } from '../store';
import { attachPaymentMethod, ownerFrom, paymentMethodDataSpec } from './payment-intents';
import { filterCreated } from './customers';

const mandateData = { t: 'object', props: mandateDataSpec } as unknown as Spec;
const CONFIRMABLE = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

export function registerSetupIntentRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { store } = ctx;
  const get = (id: string): StoredIntent => {
    const si = store.setupIntents.get(id);
    if (!si) throw resourceMissing('setup_intent', id, 'intent');
    return si;
  };
  const render = (si: StoredIntent): Obj => clone(si);

  const confirm = (si: StoredIntent, params: Params, req: ApiRequest): void => {
    if (!CONFIRMABLE.includes(si.status))
      throw invalidRequest(`You cannot confirm this SetupIntent because it has a status of ${si.status}.`, {
        code: 'setup_intent_unexpected_state',
      });
    attachPaymentMethod(store, si, params);
    const pmId = si.payment_method as string | null;
    if (!pmId)
      throw invalidRequest("You cannot confirm this SetupIntent because it's missing a payment method.", {
        code: 'setup_intent_unexpected_state',
        param: 'payment_method',
      });
    const fca = fcAccountOf(store, pmId);
    if (fca) assertPayable(store, fca, 'payment_method');
    const mandate = createMandate(store, pmId, params.mandate_data as MandateInput | undefined);
    si.mandate = mandate.id;
    si.status = 'succeeded';
    const pm = store.paymentMethods.get(pmId);
    if (pm && si.customer) pm.customer = si.customer;
    if (pm && si.customer_account) pm.customer_account = si.customer_account;
    store.emit('setup_intent.succeeded', render(si), req.eventRequest);
  };

  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/setup_intents',
    params: {
      attach_to_self: p.bool(),
      automatic_payment_methods: p.any(),
      confirm: p.bool(),
      customer: p.str({ max: 5000 }),
      customer_account: p.str({ max: 5000 }),
      description: p.str({ max: 1000 }),
      expand: p.expand(),
      flow_directions: p.arr(p.str({ enum: ['inbound', 'outbound'] })),
      mandate_data: mandateData,
      metadata: p.metadata(),
      on_behalf_of: p.str(),
      payment_method: p.str({ max: 5000 }),
      payment_method_data: paymentMethodDataSpec,
      payment_method_options: p.any(),
      payment_method_types: p.arr(p.str({ max: 5000 })),
      return_url: p.str(),
      single_use: p.any(),
      usage: p.str({ enum: ['off_session', 'on_session'] }),
      use_stripe_sdk: p.bool(),
    },
    handler: (req) => {
      const ps = req.params;
      const { customer, customer_account } = ownerFrom(store, ps);
      const pmData = ps.payment_method_data as { type?: string } | undefined;
      const types =
        (ps.payment_method_types as string[] | undefined) ??
        (pmData?.type ? [pmData.type] : ['us_bank_account']);
      const id = store.id('seti', 24);
      const usba =
        ((ps.payment_method_options ?? {}) as Record<string, Record<string, unknown>>).us_bank_account ?? {};
      const fc = (usba.financial_connections ?? {}) as Record<string, unknown>;
      const si: StoredIntent = {
        id,
        object: 'setup_intent',
        application: null,
        automatic_payment_methods: null,
        cancellation_reason: null,
        client_secret: store.secret(`${id}_secret_`),
        created: store.clock.now(),
        customer,
        customer_account,
        description: (ps.description as string | undefined) ?? null,
        flow_directions: (ps.flow_directions as string[] | undefined) ?? null,
        last_setup_error: null,
        latest_attempt: null,
        livemode: false,
        mandate: null,
        metadata: (ps.metadata as Record<string, string> | null) ?? {},
        next_action: null,
        on_behalf_of: null,
        payment_method: null,
        payment_method_options: types.includes('us_bank_account')
          ? {
              us_bank_account: {
                financial_connections: {
                  permissions: (fc.permissions as string[] | undefined) ?? ['payment_method'],
                  prefetch: (fc.prefetch as string[] | undefined) ?? [],
                },
                verification_method: (usba.verification_method as string | undefined) ?? 'automatic',
              },
            }
          : {},
        payment_method_types: types,
        single_use_mandate: null,
        status: 'requires_payment_method',
        usage: (ps.usage as string | undefined) ?? 'off_session',
      };
      attachPaymentMethod(store, si, ps);
      if (si.payment_method) si.status = 'requires_confirmation';
      store.setupIntents.insert(si);
      if (ps.confirm === true) confirm(si, { mandate_data: ps.mandate_data }, req);
      return render(si);
    },
  });

  registerRoute(app, ctx, {
    method: 'GET',
    url: '/v1/setup_intents',
    list: true,
    params: {
      ...listParams,
      customer: p.str(),
      created: p.range(),
      payment_method: p.str(),
      attach_to_self: p.bool(),
    },
    handler: (req) => {
      let items = store.setupIntents.newestFirst();
      if (req.params.customer) items = items.filter((si) => si.customer === req.params.customer);
      if (req.params.payment_method)
        items = items.filter((si) => si.payment_method === req.params.payment_method);
      items = filterCreated(items as (StoredIntent & { created: number })[], req.params.created);
      return clone(paginate(items, req.params, '/v1/setup_intents', 'setup_intent')) as unknown as Obj;
    },
  });

  registerRoute(app, ctx, {
    method: 'GET',
    url: '/v1/setup_intents/:intent',
    params: { client_secret: p.str(), expand: p.expand() },
    handler: (req) => render(get(req.pathParams.intent)),
  });

  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/setup_intents/:intent',
    params: {
      attach_to_self: p.bool(),
      customer: p.str(),
      customer_account: p.str(),
      description: p.str({ emptyable: true }),
      expand: p.expand(),
      flow_directions: p.arr(p.str({ enum: ['inbound', 'outbound'] })),
      metadata: p.metadata(),
      payment_method: p.str(),
      payment_method_data: paymentMethodDataSpec,
      payment_method_options: p.any(),
      payment_method_types: p.arr(p.str()),
    },
    handler: (req) => {
      const si = get(req.pathParams.intent);
      if (!CONFIRMABLE.includes(si.status))
        throw invalidRequest(`You cannot update this SetupIntent because it has a status of ${si.status}.`, {
          code: 'setup_intent_unexpected_state',
        });
      const ps = req.params;
      if (ps.description !== undefined) si.description = (ps.description as string) || null;
      if (ps.customer !== undefined || ps.customer_account !== undefined)
        Object.assign(si, ownerFrom(store, ps));
      if (ps.metadata !== undefined)
        si.metadata = { ...(si.metadata as object), ...((ps.metadata as object | null) ?? {}) };
      if (ps.payment_method_types !== undefined) si.payment_method_types = ps.payment_method_types;
      attachPaymentMethod(store, si, ps);
      if (si.payment_method && si.status === 'requires_payment_method') si.status = 'requires_confirmation';
      return render(si);
    },
  });

  registerRoute(app, ctx, {
    method: 'POST',
    url: '/v1/setup_intents/:intent/confirm',
    params: {
      client_secret: p.str(),
      expand: p.expand(),
      mandate_data: mandateData,
      payment_method: p.str(),
      payment_method_data: paymentMethodDataSpec,
      payment_method_options: p.any(),
      return_url: p.str(),
      use_stripe_sdk: p.bool(),
    },
    handler: (req) => {
      const si = get(req.pathParams.intent);
      confirm(si, req.params, req);
      return render(si);
    },
  });
}
