// Linked bank accounts: listing (by customer or session), owners, and the refresh/disconnect/subscribe writes.
import { badInput, permissionNotGranted, toGraphQLError } from '../../platform/errors';
import type { PageParams } from '../stripe/paging';
import type { AccountListKey, FcAccount, FcOwner, FcOwnership, ListPage } from '../stripe/loaders';
import { holderCustomerId } from '../stripe/stripe-objects';
import type { OwnedCustomer } from './ownership.service';
import type { ServiceBase } from './service-base';

/** How many Stripe pages a client-side filtered listing may read before it stops (bounded cost). */
export const MAX_FILTER_SCAN_PAGES = 10;

/** Stripe's refresh feature names (note the singular `balance`, docs/stripe-facts.md §8). */
export type RefreshFeature = 'balance' | 'ownership' | 'transactions';

/** The permission each feature's data needs, in Stripe's spelling. */
const PERMISSION_OF: Record<RefreshFeature, string> = {
  balance: 'balances',
  ownership: 'ownership',
  transactions: 'transactions',
};

/** A page plus the cursor to continue from (client-side filtering may stop mid-page). */
export interface AccountPage extends ListPage<FcAccount> {
  endCursor: string | null;
}

export class FinancialAccountsService {
  constructor(private readonly base: ServiceBase) {}

  /**
   * The customer's linked accounts. One Stripe list call when unfiltered (it primes the account loader).
   * Stripe's list has no status filter, so `status` is applied here over pages of 100, at most
   * {@link MAX_FILTER_SCAN_PAGES} of them.
   */
  async listForCustomer(customer: OwnedCustomer, page: PageParams, status?: string): Promise<AccountPage> {
    const holder =
      customer.model === 'customer' ? { customer: customer.id } : { customer_account: customer.id };
    return this.list({ holder }, page, status);
  }

  /** Accounts linked in one session (the session was tenancy-checked by the caller). */
  async listForSession(sessionId: string, page: PageParams): Promise<AccountPage> {
    return this.list({ session: sessionId }, page);
  }

  private async list(
    where: Pick<AccountListKey, 'holder' | 'session'>,
    page: PageParams,
    status?: string,
  ): Promise<AccountPage> {
    const { loaders, ownership } = this.base;
    if (!status) {
      const result = await loaders.accountList.load({ ...where, ...page });
      for (const a of result.data) await ownership.checkAccount(a);
      return { ...result, endCursor: result.data.at(-1)?.id ?? null };
    }
    const matches: FcAccount[] = [];
    let cursor = page.starting_after;
    for (let i = 0; i < MAX_FILTER_SCAN_PAGES; i++) {
      const result = await loaders.accountList.load({ ...where, limit: 100, starting_after: cursor });
      for (const a of result.data) {
        await ownership.checkAccount(a);
        if (a.status !== status) continue;
        if (matches.length === page.limit)
          return { data: matches, has_more: true, endCursor: matches.at(-1)!.id };
        matches.push(a);
      }
      if (!result.has_more || result.data.length === 0) {
        return { data: matches, has_more: false, endCursor: matches.at(-1)?.id ?? null };
      }
      cursor = result.data.at(-1)!.id;
    }
    // Scan budget spent: the cursor is the last object read (matched or not), so the next page resumes there.
    return { data: matches, has_more: true, endCursor: cursor ?? matches.at(-1)?.id ?? null };
  }

  /** The ownership object (only `created` needs it: one GET with `expand[]=ownership`, shared per request). */
  async ownership(account: FcAccount): Promise<FcOwnership | null> {
    if (!account.ownership) return null;
    if (typeof account.ownership !== 'string') return account.ownership;
    return this.base.loaders.ownership.load(account.id);
  }

  /** One page of owners; keyed by its list parameters, so a repeated selection is one request. */
  async owners(account: FcAccount, page: PageParams): Promise<ListPage<FcOwner>> {
    const ownershipId = typeof account.ownership === 'string' ? account.ownership : account.ownership?.id;
    if (!ownershipId) return { data: [], has_more: false };
    return this.base.loaders.owners.load({ account: account.id, ownership: ownershipId, ...page });
  }

  /**
   * Starts refreshes. Tenancy and permissions are checked before the POST: a feature whose data
   * permission was not granted is PERMISSION_NOT_GRANTED here, not a Stripe error.
   */
  async refresh(accountId: string, features: RefreshFeature[]): Promise<FcAccount> {
    if (features.length === 0) throw badInput('features must name at least one feature.', 'features');
    const account = await this.base.ownership.account(accountId);
    for (const f of features) {
      if (!account.permissions?.includes(PERMISSION_OF[f] as never))
        throw permissionNotGranted(PERMISSION_OF[f]);
    }
    // Inactive accounts and refreshes still pending or cooling down are refused by Stripe, whose state and
    // clock decide them (a cached copy here could be stale); that refusal maps to REFRESH_UNAVAILABLE.
    return this.write(account, (id) =>
      this.base.stripe.financialConnections.accounts.refresh(id, { features: [...new Set(features)] }),
    );
  }

  async disconnect(accountId: string): Promise<FcAccount> {
    const account = await this.base.ownership.account(accountId);
    return this.write(account, (id) => this.base.stripe.financialConnections.accounts.disconnect(id));
  }

  /** Stripe accepts only `transactions` for subscriptions (docs/stripe-facts.md §2); others are refused here. */
  async subscribe(accountId: string, features: RefreshFeature[], on: boolean): Promise<FcAccount> {
    if (features.length === 0 || features.some((f) => f !== 'transactions')) {
      throw badInput('features: only TRANSACTIONS can be subscribed to.', 'features');
    }
    const account = await this.base.ownership.account(accountId);
    if (!account.permissions?.includes('transactions')) throw permissionNotGranted('transactions');
    const fa = this.base.stripe.financialConnections.accounts;
    return this.write(account, (id) =>
      on
        ? fa.subscribe(id, { features: ['transactions'] })
        : fa.unsubscribe(id, { features: ['transactions'] }),
    );
  }

  /** Sends one write, then replaces what this request (and the read cache) knew about the account. */
  private async write(account: FcAccount, send: (id: string) => Promise<FcAccount>): Promise<FcAccount> {
    const { loaders, reads } = this.base;
    let updated: FcAccount;
    try {
      updated = await send(account.id);
    } catch (e) {
      throw toGraphQLError(e);
    }
    loaders.account.clear(account.id).prime(account.id, updated);
    const holder = holderCustomerId(account);
    await Promise.all([
      reads.invalidate(`fca:${account.id}*`),
      holder ? reads.invalidate(`fcas:${holder}:*`) : Promise.resolve(),
      reads.invalidate(`owners:${account.id}:*`),
      reads.invalidate(`txns:${account.id}:*`),
    ]);
    return updated;
  }
}
