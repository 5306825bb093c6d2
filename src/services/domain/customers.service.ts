// Customers in both Stripe models: create (tagged with the partner), and the partner's search-based listing.
import { badInput, forbidden } from '../../platform/errors';
import type { Caller } from '../auth/auth';
import { idempotencyOptions } from './idempotency';
import type { V1Customer, V2Account } from '../stripe/loader-types';
import { stripeWrite } from '../stripe/stripe-write';
import { PARTNER_METADATA_KEY, type OwnedCustomer } from './ownership.service';
import type { ServiceBase } from './service-base';

type CustomerModelName = 'customer' | 'account';

export interface CreateCustomerParams {
  email?: string | null;
  name?: string | null;
  model: CustomerModelName;
  idempotencyKey?: string | null;
}

export interface CustomerSearchPage {
  data: OwnedCustomer[];
  has_more: boolean;
  next_page: string | null;
}

/** Partner-only operations refuse end users before anything is sent upstream. */
export function requirePartner(
  caller: Caller,
  what: string,
): asserts caller is Extract<Caller, { kind: 'partner' }> {
  if (caller.kind !== 'partner') throw forbidden(`Only partner callers may ${what}.`);
}

/** Stripe search strings are single-quoted; quotes and backslashes are refused rather than escaped. */
const SEARCHABLE = /^[^'"\\\n\r]{1,320}$/;

export class CustomersService {
  constructor(private readonly base: ServiceBase) {}

  /**
   * Creates a v1 Customer or a v2 customer-configured Account, tagged `metadata.gateway_partner_id`,
   * and primes the customer loaders with it.
   * @throws FORBIDDEN for end-user callers; IDEMPOTENCY_CONFLICT when the key was used with other values.
   */
  async create(params: CreateCustomerParams): Promise<OwnedCustomer> {
    const { caller, stripe, loaders } = this.base;
    requirePartner(caller, 'create customers');
    const metadata = { [PARTNER_METADATA_KEY]: caller.partnerId };
    const options = idempotencyOptions(caller, `createCustomer:${params.model}`, params.idempotencyKey);
    if (params.model === 'account') {
      const account: V2Account = await stripeWrite(() =>
        stripe.v2.core.accounts.create(
          {
            ...(params.email ? { contact_email: params.email } : {}),
            ...(params.name ? { display_name: params.name } : {}),
            configuration: { customer: {} },
            metadata,
          },
          options,
        ),
      );
      loaders.customerAccount.prime(account.id, account);
      return { model: 'account', id: account.id, object: account };
    }
    const customer = await stripeWrite(() =>
      stripe.customers.create(
        {
          ...(params.email ? { email: params.email } : {}),
          ...(params.name ? { name: params.name } : {}),
          metadata,
        },
        options,
      ),
    );
    loaders.customer.prime(customer.id, customer as V1Customer);
    return { model: 'customer', id: customer.id, object: customer };
  }

  /**
   * One page of the partner's v1 customers, newest first, through Stripe's customer search on
   * `metadata['gateway_partner_id']`. Why search and never list: listing returns every partner's customers.
   * Search is eventually consistent (docs/stripe-facts.md §9): a customer created a moment ago may be missing.
   * @param after Stripe's `next_page` token from the previous page's endCursor.
   */
  async search(
    first: number,
    after: string | undefined,
    email: string | null | undefined,
  ): Promise<CustomerSearchPage> {
    const { caller, loaders } = this.base;
    requirePartner(caller, 'list customers');
    if (after !== undefined && !/^[A-Za-z0-9_=+/-]{1,1024}$/.test(after)) {
      throw badInput('after must be an endCursor returned by this connection.', 'after');
    }
    const clauses = [`metadata['${PARTNER_METADATA_KEY}']:'${caller.partnerId}'`];
    if (email !== null && email !== undefined) {
      if (!SEARCHABLE.test(email)) throw badInput('email must not contain quotes or backslashes.', 'email');
      clauses.push(`email:'${email}'`);
    }
    const result = await loaders.customerSearch.load({
      query: clauses.join(' AND '),
      limit: first,
      ...(after ? { page: after } : {}),
    });
    const data: OwnedCustomer[] = [];
    for (const c of result.data) {
      // Defence in depth: keep only what the query promised (search syntax or index mistakes must not leak).
      if (c.metadata?.[PARTNER_METADATA_KEY] !== caller.partnerId) continue;
      loaders.customer.prime(c.id, c);
      data.push({ model: 'customer', id: c.id, object: c });
    }
    // Newest first regardless of the index's order.
    data.sort(
      (a, b) => (b.object as { created: number }).created - (a.object as { created: number }).created,
    );
    return { data, has_more: result.has_more, next_page: result.next_page ?? null };
  }
}
