// `npm run trigger` recipes for the Financial Connections account events: status changes, refreshes and the
// institution's notices (through the sandbox-only helpers in src/sandbox/routes/trigger-helpers.ts).
import { account, linkAccount, noFlag, type Recipe, type TriggerContext } from './steps';

const FC = 'financial_connections.account';

async function setStatus(ctx: TriggerContext, id: string, action: 'deactivate' | 'reactivate') {
  return ctx.api.post(`/v1/test_helpers/financial_connections/accounts/${id}/${action}`);
}

function refresh(feature: 'balance' | 'ownership' | 'transactions'): Recipe {
  return {
    describe: `refreshes the account's ${feature} (POST …/accounts/{id}/refresh features[]=${feature})`,
    async run(ctx) {
      const acc = await account(ctx);
      await ctx.api.post(`/v1/financial_connections/accounts/${String(acc.id)}/refresh`, {
        features: [feature],
      });
      return acc.id as string;
    },
  };
}

/** The account a tokenized-number notice needs (plain account numbers never expire). */
const TAN_ACCOUNT = { template: 'tan_eventually_expiring', institution: 'fcinst_tokenized_account_number' };

/** One call of an account test helper (POST /v1/test_helpers/financial_connections/accounts/{id}/`helper`). */
function notice(
  describe: string,
  helper: string,
  newAccount: { template?: string; institution?: string } = {},
): Recipe {
  return {
    describe,
    async run(ctx) {
      const acc = await account(ctx, newAccount.template, newAccount.institution);
      await ctx.api.post(`/v1/test_helpers/financial_connections/accounts/${String(acc.id)}/${helper}`);
      return acc.id as string;
    },
  };
}

export const ACCOUNT_RECIPES: Record<string, Recipe> = {
  [`${FC}.created`]: {
    describe: 'links a new account for the customer (session + complete helper)',
    async run(ctx) {
      noFlag(ctx, 'account', `${FC}.created`);
      return linkAccount(ctx);
    },
  },
  [`${FC}.deactivated`]: {
    describe: 'deactivates the account (reactivating it first when it is inactive)',
    async run(ctx) {
      const acc = await account(ctx);
      if (acc.status === 'inactive') await setStatus(ctx, acc.id as string, 'reactivate');
      await setStatus(ctx, acc.id as string, 'deactivate');
      return acc.id as string;
    },
  },
  [`${FC}.reactivated`]: {
    describe: 'reactivates the account (deactivating it first when it is active)',
    async run(ctx) {
      const acc = await account(ctx);
      if (acc.status === 'active') await setStatus(ctx, acc.id as string, 'deactivate');
      await setStatus(ctx, acc.id as string, 'reactivate');
      return acc.id as string;
    },
  },
  [`${FC}.disconnected`]: {
    describe: 'disconnects the account (POST …/accounts/{id}/disconnect)',
    async run(ctx) {
      const acc = await account(ctx);
      await ctx.api.post(`/v1/financial_connections/accounts/${String(acc.id)}/disconnect`);
      return acc.id as string;
    },
  },
  [`${FC}.refreshed_balance`]: refresh('balance'),
  [`${FC}.refreshed_ownership`]: refresh('ownership'),
  [`${FC}.refreshed_transactions`]: refresh('transactions'),
  [`${FC}.upcoming_deactivation`]: notice(
    'announces that the account needs reauthentication (test helper …/upcoming_deactivation)',
    'upcoming_deactivation',
  ),
  [`${FC}.account_numbers_updated`]: notice(
    "replaces the account's tokenized numbers (test helper …/update_account_numbers)",
    'update_account_numbers',
  ),
  [`${FC}.upcoming_account_number_expiry`]: notice(
    'announces that the tokenized account number expires (30 days ahead unless dated; test helper …/upcoming_account_number_expiry); without --account on a new "Eventually Expiring" account of the Tokenized Account Number institution',
    'upcoming_account_number_expiry',
    TAN_ACCOUNT,
  ),
  [`${FC}.supported_payment_method_types_updated`]: notice(
    "removes us_bank_account from the account's supported payment method types, or restores them when removed (test helper …/update_supported_payment_method_types)",
    'update_supported_payment_method_types',
  ),
};
