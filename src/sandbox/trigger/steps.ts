// The steps `npm run trigger`'s recipes share (a customer, a linked account, a payment method from it) and the types
// a recipe is written with; the recipes themselves are in account-recipes.ts and payment-recipes.ts.
import type { Json, SandboxClient } from './client';

export interface TriggerFlags {
  account?: string;
  paymentIntent?: string;
  customer?: string;
  /** `payment_intent.payment_failed` only: the code the debit is returned with. @default insufficient_funds */
  failureCode?: string;
}

/** Every object a trigger created or acted on, by kind (customer, account, payment_intent…). */
export type Touched = Record<string, string>;

export interface TriggerContext {
  api: SandboxClient;
  flags: TriggerFlags;
  touched: Touched;
}

export interface Recipe {
  /** One line for `--list`. */
  describe: string;
  /** Runs the requests; returns the id of the object the event is about (to tell it from older events). */
  run(ctx: TriggerContext): Promise<string>;
}

const PERMISSIONS = ['balances', 'ownership', 'payment_method', 'transactions'];
/** Stripe's offline acceptance: the sandbox records a mandate without a browser. */
export const OFFLINE_ACCEPTANCE = { customer_acceptance: { type: 'offline' } };

export async function customer({ api, flags, touched }: TriggerContext): Promise<string> {
  if (!touched.customer) {
    touched.customer =
      flags.customer ??
      ((await api.post('/v1/customers', { name: 'Trigger customer', email: 'trigger@example.com' }))
        .id as string);
  }
  return touched.customer;
}

/** A new account linked through a completed session (`accounts[]` template), for the customer. */
export async function linkAccount(
  ctx: TriggerContext,
  template = 'checking',
  institution?: string,
): Promise<string> {
  const cus = await customer(ctx);
  const session = await ctx.api.post('/v1/financial_connections/sessions', {
    account_holder: { type: 'customer', customer: cus },
    permissions: PERMISSIONS,
  });
  ctx.touched.session = session.id as string;
  const done = await ctx.api.post(
    `/v1/test_helpers/financial_connections/sessions/${String(session.id)}/complete`,
    { accounts: [template], institution },
  );
  ctx.touched.account = ((done.accounts as Json).data as Json[])[0].id as string;
  return ctx.touched.account;
}

/** The flag's account (its customer noted), or a new one linked with `template` of `institution`. */
export async function account(ctx: TriggerContext, template?: string, institution?: string): Promise<Json> {
  if (ctx.flags.account) {
    const acc = await ctx.api.get(`/v1/financial_connections/accounts/${ctx.flags.account}`);
    ctx.touched.account = acc.id as string;
    const holder = acc.account_holder as Json | null;
    if (holder?.customer && !ctx.touched.customer) ctx.touched.customer = holder.customer as string;
    return acc;
  }
  return ctx.api.get(`/v1/financial_connections/accounts/${await linkAccount(ctx, template, institution)}`);
}

/** The us_bank_account PaymentMethod data of an intent paying from the account. */
export const fromAccount = (accountId: string) => ({
  type: 'us_bank_account',
  us_bank_account: { financial_connections_account: accountId },
  billing_details: { name: 'Trigger customer' },
});

export function noFlag(ctx: TriggerContext, flag: keyof TriggerFlags, type: string) {
  if (ctx.flags[flag])
    throw new Error(
      `${type} creates a new object: --${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} does not apply`,
    );
}
