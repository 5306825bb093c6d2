// /v1/setup_intents for us_bank_account from FC accounts: create (optionally confirm), retrieve, list, update,
// confirm. FC accounts are instantly verified, so a confirmed SetupIntent succeeds at once
// (setup_intent.succeeded) and its PaymentMethod is attached to the customer.
import type { FastifyInstance } from 'fastify';
import { mandateDataSpec } from '../ach';
import { listParams, p, type Params } from '../params';
import type { RouteContext } from '../router';
import type { Obj } from '../store';
import { paymentMethodDataSpec, registerIntentRoutes, renderIntent } from './intents';

/** The fields only a SetupIntent has. */
function setupIntentFields(params: Params): Obj {
  return {
    flow_directions: (params.flow_directions as string[] | undefined) ?? null,
    last_setup_error: null,
    latest_attempt: null,
    mandate: null,
    single_use_mandate: null,
    usage: (params.usage as string | undefined) ?? 'off_session',
  };
}

export function registerSetupIntentRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { store } = ctx;
  registerIntentRoutes(app, ctx, {
    object: 'setup_intent',
    idPrefix: 'seti',
    intents: store.setupIntents,
    params: {
      create: {
        attach_to_self: p.bool(),
        automatic_payment_methods: p.any(),
        confirm: p.bool(),
        customer: p.str({ max: 5000 }),
        customer_account: p.str({ max: 5000 }),
        description: p.str({ max: 1000 }),
        expand: p.expand(),
        flow_directions: p.arr(p.str({ enum: ['inbound', 'outbound'] })),
        mandate_data: mandateDataSpec,
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
      list: {
        ...listParams,
        customer: p.str(),
        created: p.range(),
        payment_method: p.str(),
        attach_to_self: p.bool(),
      },
      update: {
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
      confirm: {
        client_secret: p.str(),
        expand: p.expand(),
        mandate_data: mandateDataSpec,
        payment_method: p.str(),
        payment_method_data: paymentMethodDataSpec,
        payment_method_options: p.any(),
        return_url: p.str(),
        use_stripe_sdk: p.bool(),
      },
    },
    ownBankAccountOptions: [],
    ownFields: setupIntentFields,
    // FC accounts are verified instantly: the setup succeeds at once and the customer gets the PaymentMethod.
    confirmed: (si, { paymentMethod, mandate }, req) => {
      si.mandate = mandate;
      si.status = 'succeeded';
      const pm = store.paymentMethods.get(paymentMethod);
      if (pm && si.customer) pm.customer = si.customer;
      if (pm && si.customer_account) pm.customer_account = si.customer_account;
      store.emit('setup_intent.succeeded', renderIntent(si), req.eventRequest);
    },
  });
}
