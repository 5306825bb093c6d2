// `npm run trigger` recipes for payments from a linked account: PaymentIntents, SetupIntents, saved PaymentMethods
// and their mandates.
import type { Json } from './client';
import {
  account,
  customer,
  fromAccount,
  noFlag,
  OFFLINE_ACCEPTANCE,
  type Recipe,
  type TriggerContext,
} from './steps';

/** An intent's parameters to confirm it at once from `acc` under an offline mandate acceptance. */
const confirmedFrom = (acc: Json): Json => ({
  payment_method_data: fromAccount(acc.id as string),
  mandate_data: OFFLINE_ACCEPTANCE,
  confirm: true,
});

/** A PaymentIntent for $10.00 from the account, confirmed with an offline mandate unless `confirm` is false. */
async function payment(
  ctx: TriggerContext,
  extra: Json = {},
  confirm = true,
  template?: string,
): Promise<Json> {
  const acc = await account(ctx, template);
  const pi = await ctx.api.post('/v1/payment_intents', {
    amount: 1000,
    currency: 'usd',
    customer: await customer(ctx),
    payment_method_types: ['us_bank_account'],
    ...(confirm ? confirmedFrom(acc) : {}),
    ...extra,
  });
  ctx.touched.payment_intent = pi.id as string;
  if (pi.payment_method) ctx.touched.payment_method = pi.payment_method as string;
  return pi;
}

/** The flag's PaymentIntent, or a new confirmed one (from a new account of `template` when no --account). */
async function processingPayment(ctx: TriggerContext, template?: string): Promise<Json> {
  if (!ctx.flags.paymentIntent) return payment(ctx, {}, true, template);
  const pi = await ctx.api.get(`/v1/payment_intents/${ctx.flags.paymentIntent}`);
  ctx.touched.payment_intent = pi.id as string;
  return pi;
}

const MICRODEPOSITS = {
  payment_method_options: { us_bank_account: { verification_method: 'microdeposits' } },
};

async function setupIntent(ctx: TriggerContext, extra: Json = {}, confirm = true): Promise<Json> {
  const acc = await account(ctx);
  const si = await ctx.api.post('/v1/setup_intents', {
    customer: await customer(ctx),
    payment_method_types: ['us_bank_account'],
    ...(confirm ? confirmedFrom(acc) : {}),
    ...extra,
  });
  ctx.touched.setup_intent = si.id as string;
  if (si.payment_method) ctx.touched.payment_method = si.payment_method as string;
  if (si.mandate) ctx.touched.mandate = si.mandate as string;
  return si;
}

/** A PaymentMethod made from the account and attached to the customer (`payment_method.attached`). */
async function attachedMethod(ctx: TriggerContext): Promise<string> {
  const acc = await account(ctx);
  const pm = await ctx.api.post('/v1/payment_methods', fromAccount(acc.id as string));
  ctx.touched.payment_method = pm.id as string;
  await ctx.api.post(`/v1/payment_methods/${String(pm.id)}/attach`, { customer: await customer(ctx) });
  return pm.id as string;
}

export const PAYMENT_RECIPES: Record<string, Recipe> = {
  'payment_intent.processing': {
    describe:
      'confirms a $10.00 ACH debit from the account (offline mandate); --payment-intent confirms that one',
    async run(ctx) {
      if (!ctx.flags.paymentIntent) return (await payment(ctx)).id as string;
      ctx.touched.payment_intent = ctx.flags.paymentIntent;
      await ctx.api.post(`/v1/payment_intents/${ctx.flags.paymentIntent}/confirm`, {
        mandate_data: OFFLINE_ACCEPTANCE,
      });
      return ctx.flags.paymentIntent;
    },
  },
  'payment_intent.succeeded': {
    describe: 'confirms a debit and waits for it to settle (achDelayMs); --payment-intent waits for that one',
    run: async (ctx) => (await processingPayment(ctx)).id as string,
  },
  'payment_intent.payment_failed': {
    describe:
      'confirms a debit (from an "Always Processing" account unless --account) and has the bank return it now with --failure-code (default insufficient_funds; test helper …/return_debit); --payment-intent returns that one (while processing)',
    async run(ctx) {
      // A new account of the "Always Processing" test kind: its debit waits for the return, whatever achDelayMs is.
      const pi = await processingPayment(ctx, 'processing');
      await ctx.api.post(`/v1/test_helpers/payment_intents/${String(pi.id)}/return_debit`, {
        failure_code: ctx.flags.failureCode,
      });
      return pi.id as string;
    },
  },
  'payment_intent.canceled': {
    describe: 'creates a PaymentIntent and cancels it; --payment-intent cancels that one',
    async run(ctx) {
      const pi = ctx.flags.paymentIntent ? { id: ctx.flags.paymentIntent } : await payment(ctx, {}, false);
      ctx.touched.payment_intent = pi.id as string;
      await ctx.api.post(`/v1/payment_intents/${String(pi.id)}/cancel`, {
        cancellation_reason: 'requested_by_customer',
      });
      return pi.id as string;
    },
  },
  'payment_intent.requires_action': {
    describe: 'confirms a debit verified by microdeposits (verification_method=microdeposits)',
    async run(ctx) {
      noFlag(ctx, 'paymentIntent', 'payment_intent.requires_action');
      return (await payment(ctx, MICRODEPOSITS)).id as string;
    },
  },
  'setup_intent.succeeded': {
    describe: 'saves the account for later with a confirmed SetupIntent (offline mandate)',
    run: async (ctx) => (await setupIntent(ctx)).id as string,
  },
  'setup_intent.requires_action': {
    describe: 'confirms a SetupIntent verified by microdeposits',
    run: async (ctx) => (await setupIntent(ctx, MICRODEPOSITS)).id as string,
  },
  'setup_intent.setup_failed': {
    describe:
      'confirms a SetupIntent verified by microdeposits, then sends the amounts that exhaust its attempts (10, 11)',
    async run(ctx) {
      const si = await setupIntent(ctx, MICRODEPOSITS);
      await ctx.api
        .post(`/v1/setup_intents/${String(si.id)}/verify_microdeposits`, { amounts: [10, 11] })
        .catch((e: Error & { status?: number }) => {
          if (e.status !== 400) throw e; // the refusal is the point: the attempt ends as setup_failed
        });
      return si.id as string;
    },
  },
  'setup_intent.canceled': {
    describe: 'creates a SetupIntent and cancels it',
    async run(ctx) {
      const si = await setupIntent(ctx, {}, false);
      await ctx.api.post(`/v1/setup_intents/${String(si.id)}/cancel`, {
        cancellation_reason: 'requested_by_customer',
      });
      return si.id as string;
    },
  },
  'payment_method.attached': {
    describe: 'makes a PaymentMethod from the account and attaches it to the customer',
    run: (ctx) => attachedMethod(ctx),
  },
  'payment_method.detached': {
    describe: 'attaches a PaymentMethod, then detaches it (its mandates end)',
    async run(ctx) {
      const pm = await attachedMethod(ctx);
      await ctx.api.post(`/v1/payment_methods/${pm}/detach`);
      return pm;
    },
  },
  'payment_method.updated': {
    describe: 'attaches a PaymentMethod, then updates its billing details',
    async run(ctx) {
      const pm = await attachedMethod(ctx);
      await ctx.api.post(`/v1/payment_methods/${pm}`, {
        billing_details: { name: 'Trigger customer (updated)' },
      });
      return pm;
    },
  },
  'payment_method.automatically_updated': {
    describe:
      'attaches a PaymentMethod, then the bank corrects its account type (test helper …/notification_of_change)',
    async run(ctx) {
      const pm = await attachedMethod(ctx);
      await ctx.api.post(`/v1/test_helpers/payment_methods/${pm}/notification_of_change`);
      return pm;
    },
  },
  'mandate.updated': {
    describe:
      'saves the account with a SetupIntent, then ends its mandate (test helper /v1/test_helpers/mandates/{id}/deactivate)',
    async run(ctx) {
      const si = await setupIntent(ctx);
      await ctx.api.post(`/v1/test_helpers/mandates/${String(si.mandate)}/deactivate`);
      return si.mandate as string;
    },
  },
};
