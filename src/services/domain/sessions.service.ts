// Financial Connections sessions: creation for one of the caller's customers; the client secret leaves only once.
import { badInput } from '../../platform/errors';
import { idempotencyOptions } from './idempotency';
import type { FcSession } from '../stripe/loader-types';
import { withoutClientSecret } from '../stripe/stripe-objects';
import { stripeWrite } from '../stripe/stripe-write';
import type { ServiceBase } from './service-base';
import { validateReturnUrl, type ReturnUrlPolicy } from './return-url';

export interface CreateSessionParams {
  customerId: string;
  /** Stripe spellings: balances|ownership|payment_method|transactions. */
  permissions: string[];
  /** Stripe spellings: balances|ownership|transactions. */
  prefetch?: string[];
  returnUrl?: string | null;
  countries?: string[] | null;
  accountSubcategories?: string[] | null;
  /** `limits[accounts]`: 1..100. */
  accountLimit?: number | null;
  /** `manual_entry[mode]`. */
  manualEntryMode?: 'automatic' | 'disabled';
  idempotencyKey?: string | null;
}

export class SessionsService {
  constructor(
    private readonly base: ServiceBase,
    private readonly policy: ReturnUrlPolicy,
  ) {}

  /**
   * Creates a session for a customer the caller owns (checked before the POST). Returns the session
   * without its client_secret (that is what the loaders and any cache see) and the secret separately,
   * for the create payload only. The secret and the returnUrl are never logged.
   */
  async create(params: CreateSessionParams): Promise<{ session: FcSession; clientSecret: string }> {
    const { stripe, caller, loaders, ownership } = this.base;
    if (params.permissions.length === 0) {
      throw badInput('permissions must name at least one permission.', 'permissions');
    }
    const returnUrl =
      params.returnUrl === null || params.returnUrl === undefined
        ? undefined
        : validateReturnUrl(params.returnUrl, this.policy);
    for (const c of params.countries ?? []) {
      if (!/^[A-Za-z]{2}$/.test(c))
        throw badInput('filters.countries must be ISO-3166 alpha-2 codes.', 'filters.countries');
    }
    const limit = params.accountLimit;
    if (limit !== null && limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 100))
      throw badInput('limits.accounts must be between 1 and 100.', 'limits.accounts');
    const customer = await ownership.customer(params.customerId);
    const options = idempotencyOptions(caller, 'createFinancialConnectionsSession', params.idempotencyKey);
    const filters =
      params.countries?.length || params.accountSubcategories?.length
        ? {
            ...(params.countries?.length ? { countries: params.countries.map((c) => c.toUpperCase()) } : {}),
            ...(params.accountSubcategories?.length
              ? { account_subcategories: params.accountSubcategories as never[] }
              : {}),
          }
        : undefined;
    const created = await stripeWrite(() =>
      stripe.financialConnections.sessions.create(
        {
          account_holder:
            customer.model === 'customer'
              ? { type: 'customer', customer: customer.id }
              : ({ type: 'customer', customer_account: customer.id } as never),
          permissions: [...new Set(params.permissions)] as never[],
          ...(params.prefetch?.length ? { prefetch: [...new Set(params.prefetch)] as never[] } : {}),
          ...(returnUrl ? { return_url: returnUrl } : {}),
          ...(filters ? { filters } : {}),
          ...(typeof limit === 'number' ? { limits: { accounts: limit } } : {}),
          ...(params.manualEntryMode ? { manual_entry: { mode: params.manualEntryMode } } : {}),
        },
        options,
      ),
    );
    if (!created.client_secret) throw new Error('Stripe returned a session without a client secret');
    const session = withoutClientSecret(created);
    loaders.session.prime(session.id, session);
    return { session, clientSecret: created.client_secret };
  }
}
