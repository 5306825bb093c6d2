// Linked bank accounts: listing (by customer or session), owners, and the refresh/disconnect/subscribe writes.
import { badInput, ErrorCode, GatewayError, notFound, permissionNotGranted } from '../../platform/errors';
import { scanPage, type CursorPage, type PageParams } from '../stripe/paging';
import type {
  AccountListKey,
  FcAccount,
  FcOwner,
  FcOwnership,
  FcSession,
  ListPage,
} from '../stripe/loader-types';
import {
  accountListPattern,
  accountPattern,
  ownersPattern,
  transactionListPattern,
} from '../stripe/cache-keys';
import { customerParam } from '../stripe/loaders';
import { holderCustomerId } from '../stripe/stripe-objects';
import { replaceCached, stripeWrite } from '../stripe/stripe-write';
import { isCustomerId, type OwnedCustomer } from './ownership.service';

/** What an account list embeds beyond the holder customer (see loaders.ts AccountListKey). */
export type ListExpand = Pick<AccountListKey, 'ownership'>;
import type { ServiceBase } from './service-base';

/** Stripe's refresh feature names (note the singular `balance`, docs/stripe-facts.md §8). */
export type RefreshFeature = 'balance' | 'ownership' | 'transactions';

/** Owners pages (of 100) read to find one owner by id: more owners than this on one account is not a bank's answer. */
const MAX_OWNER_PAGES = 5;

/** The id of an account's current ownership (an id or the expanded object), null before any ownership refresh. */
const ownershipIdOf = (account: FcAccount): string | null =>
  typeof account.ownership === 'string' ? account.ownership : (account.ownership?.id ?? null);

/** Where an account keeps each feature's last refresh. */
const REFRESH_FIELD = {
  balance: 'balance_refresh',
  ownership: 'ownership_refresh',
  transactions: 'transaction_refresh',
} as const;

/**
 * How far ahead of this host's clock a `next_refresh_available_at` may be and still be left to Stripe: the two clocks
 * differ a little, and a refresh refused here that Stripe would have accepted is worse than one Stripe refuses.
 */
const CLOCK_SKEW_SECONDS = 5;

/**
 * The first of `features` whose refresh cannot start now on `account`: one still pending, or one more than
 * `skewSeconds` before its `next_refresh_available_at` (this host's clock).
 */
function unavailableRefresh(
  account: FcAccount,
  features: RefreshFeature[],
  skewSeconds: number,
): { feature: RefreshFeature; nextRefreshAvailableAt: number | null } | null {
  const now = Math.floor(Date.now() / 1000) + skewSeconds;
  for (const feature of features) {
    const state = account[REFRESH_FIELD[feature]];
    if (!state) continue;
    if (state.status === 'pending') return { feature, nextRefreshAvailableAt: null };
    const next = state.next_refresh_available_at;
    if (typeof next === 'number' && now < next) return { feature, nextRefreshAvailableAt: next };
  }
  return null;
}

/** The permission each feature's data needs, in Stripe's spelling. */
const PERMISSION_OF: Record<RefreshFeature, string> = {
  balance: 'balances',
  ownership: 'ownership',
  transactions: 'transactions',
};

export class FinancialAccountsService {
  constructor(private readonly base: ServiceBase) {}

  /**
   * Asks that account `id`, when this operation first loads it, embed its ownership (`expand[]=ownership`): the
   * selection reads its owners or ownership.created. Call before the first load.
   */
  planOwnership(id: string): void {
    this.base.loaders.plan.accountsWithOwnership.add(id);
  }

  /**
   * Takes a live event's account snapshot as this operation's copy (no Stripe request; nested fields reuse it).
   * The subscription authorized the account at subscribe time.
   */
  adoptSnapshot(account: FcAccount): FcAccount {
    this.base.loaders.account.prime(account.id, account);
    return account;
  }

  /**
   * The customer's linked accounts. One Stripe list call when unfiltered (it primes the account loader).
   * Stripe's list has no status filter, so `status` is applied here (stripe/paging.ts scanPage).
   */
  async listForCustomer(
    customer: OwnedCustomer,
    page: PageParams,
    status?: string,
    expand: ListExpand = {},
  ): Promise<CursorPage<FcAccount>> {
    return this.list({ holder: customerParam(customer.id), ...expand }, page, status);
  }

  /**
   * Plans `customer(id) { financialAccounts }` before the customer is checked: the first Stripe call is
   * the account list, whose accounts embed their holder customer — that copy proves (or disproves) the
   * tenancy, so the customer's own GET is skipped. Nothing read here is returned before
   * `ownership.customer(customerId)` passes (the same check as without a plan): a foreign customer is
   * NOT_FOUND with zero data. For a v2 customer (`customer_account` is not expandable) the list goes out
   * alongside the customer's GET, in the same wave. Errors are left to the regular path.
   */
  async planForCustomer(
    customerId: string,
    page: PageParams,
    status: string | undefined,
    expand: ListExpand,
  ): Promise<void> {
    const { caller, loaders } = this.base;
    if (!isCustomerId(customerId)) return;
    if (caller.kind === 'customer' && caller.customerId !== customerId) return;
    // The same key the connection's own first fetch will use (a status filter scans pages of 100).
    const first = loaders.accountList.load({
      holder: customerParam(customerId),
      ...expand,
      limit: status ? 100 : page.limit,
      starting_after: page.starting_after,
    });
    const settled = first.then(
      () => undefined,
      () => undefined,
    );
    if (!customerId.startsWith('acct_')) await settled;
  }

  /**
   * Accounts linked in one session (the session was tenancy-checked by the caller). The session object
   * embeds its accounts, so the common case (all of them fit in the page) costs nothing; otherwise they
   * are listed with `session=<id>`.
   */
  async listForSession(session: FcSession, page: PageParams): Promise<CursorPage<FcAccount>> {
    const embedded = session.accounts;
    // Only when the embedded list is the whole set and fits the page: its order may differ from the list
    // endpoint's, so mixing the two across pages could skip or repeat accounts.
    if (!page.starting_after && embedded && !embedded.has_more && embedded.data.length <= page.limit) {
      for (const a of embedded.data) {
        await this.base.ownership.checkAccount(a);
        this.base.loaders.account.prime(a.id, a);
      }
      return { data: embedded.data, has_more: false, endCursor: embedded.data.at(-1)?.id ?? null };
    }
    return this.list({ session: session.id }, page);
  }

  private async list(
    where: Pick<AccountListKey, 'holder' | 'session' | 'ownership'>,
    page: PageParams,
    status?: string,
  ): Promise<CursorPage<FcAccount>> {
    const { loaders, ownership } = this.base;
    return scanPage(
      page,
      async (limit, starting_after) => {
        const result = await loaders.accountList.load({ ...where, limit, starting_after });
        for (const a of result.data) await ownership.checkAccount(a);
        return result;
      },
      status ? (a) => a.status === status : undefined,
    );
  }

  /** The ownership object (only `created` needs it: one GET with `expand[]=ownership`, shared per request). */
  async ownership(account: FcAccount): Promise<FcOwnership | null> {
    if (!account.ownership) return null;
    if (typeof account.ownership !== 'string') return account.ownership;
    return this.base.loaders.ownership.load(account.id);
  }

  /**
   * One page of owners; keyed by its list parameters, so a repeated selection is one request. An
   * ownership that arrived expanded embeds its first owners: when that is the whole list and fits the
   * page, it is the answer; a longer list is paged with the owners endpoint.
   */
  async owners(account: FcAccount, page: PageParams): Promise<ListPage<FcOwner>> {
    const ownershipId = ownershipIdOf(account);
    if (!ownershipId) return { data: [], has_more: false };
    const embedded = typeof account.ownership === 'object' ? account.ownership?.owners : undefined;
    if (!page.starting_after && embedded && !embedded.has_more && embedded.data.length <= page.limit) {
      return { data: embedded.data, has_more: false };
    }
    return this.base.loaders.owners.load({ account: account.id, ownership: ownershipId, ...page });
  }

  /**
   * Account `accountId` with its ownership embedded, when the caller may see it and `ownershipId` is its current
   * ownership (node(id) of an Ownership). Why only the current one: Stripe names no other, and an ownership id paired
   * with an account that is not its own is never sent upstream.
   * @throws NOT_FOUND (`Ownership <nodeId> was not found.`) otherwise, alike for foreign, stale and nonexistent ids.
   */
  async ownershipById(accountId: string, ownershipId: string, nodeId: string): Promise<FcAccount> {
    const account = await this.withOwnership('Ownership', accountId, nodeId);
    if (ownershipIdOf(account) !== ownershipId) throw notFound('Ownership', nodeId);
    return account;
  }

  /**
   * Owner `ownerId` of account `accountId`'s current ownership (node(id) of an AccountOwner): the embedded first owners,
   * else pages of 100 from `GET …/accounts/{account}/owners?ownership=<its ownership>` until found.
   * @throws NOT_FOUND (`AccountOwner <nodeId> was not found.`) when the account is not the caller's or the owner is
   *   not in its current ownership.
   */
  async ownerById(
    accountId: string,
    ownerId: string,
    nodeId: string,
  ): Promise<{ account: FcAccount; owner: FcOwner }> {
    const account = await this.withOwnership('AccountOwner', accountId, nodeId);
    let starting_after: string | undefined;
    for (let pages = 0; pages < MAX_OWNER_PAGES; pages++) {
      const page = await this.owners(account, { limit: 100, starting_after });
      const owner = page.data.find((o) => o.id === ownerId);
      if (owner) return { account, owner };
      if (!page.has_more || page.data.length === 0) break;
      starting_after = page.data[page.data.length - 1].id;
    }
    throw notFound('AccountOwner', nodeId);
  }

  /** The caller's account, its retrieve embedding its ownership; NOT_FOUND as `what` `nodeId` when it has none. */
  private async withOwnership(what: string, accountId: string, nodeId: string): Promise<FcAccount> {
    this.planOwnership(accountId);
    let account: FcAccount;
    try {
      account = await this.base.ownership.account(accountId);
    } catch (e) {
      if (e instanceof GatewayError && e.extensions.code === ErrorCode.NOT_FOUND)
        throw notFound(what, nodeId);
      throw e;
    }
    if (!account.permissions?.includes('ownership') || !ownershipIdOf(account)) throw notFound(what, nodeId);
    return account;
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
    const wanted = [...new Set(features)];
    // Stripe documents no error code for a refresh still pending or before `next_refresh_available_at`
    // (docs/stripe-facts.md §10), so the gateway refuses those itself, without calling Stripe. The copy loaded
    // above may be cached and behind: a refusal is decided on a fresh read. Inactive and disconnected accounts
    // are left to Stripe, whose code for them (`financial_connections_account_inactive`) becomes REFRESH_UNAVAILABLE.
    if (unavailableRefresh(account, wanted, CLOCK_SKEW_SECONDS))
      refuseRefresh(await this.reread(account.id), wanted, CLOCK_SKEW_SECONDS);
    try {
      return await this.write(account, (id) =>
        this.base.stripe.financialConnections.accounts.refresh(id, { features: wanted }),
      );
    } catch (e) {
      refuseInactive(e);
      // Refused without a code: when the account now shows such a refresh (started elsewhere meanwhile, or due
      // within the clock skew), that is why.
      if (e instanceof GatewayError && e.extensions.code === ErrorCode.BAD_USER_INPUT)
        refuseRefresh(await this.reread(account.id).catch(() => account), wanted, 0);
      throw e;
    }
  }

  /** The account as Stripe has it now: this request's loader and the read cache forget their copies first. */
  private async reread(id: string): Promise<FcAccount> {
    const { loaders, reads } = this.base;
    loaders.account.clear(id);
    await reads.invalidate(accountPattern(id));
    return loaders.account.load(id);
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
    ).catch((e: unknown) => {
      refuseInactive(e);
      throw e;
    });
  }

  /** Sends one write, then replaces what this request (and the read cache) knew about the account. */
  private async write(account: FcAccount, send: (id: string) => Promise<FcAccount>): Promise<FcAccount> {
    const { loaders, reads } = this.base;
    const updated = await stripeWrite(() => send(account.id));
    const holder = holderCustomerId(account);
    return replaceCached(updated, loaders.account, reads, [
      accountPattern(account.id),
      ...(holder ? [accountListPattern(holder)] : []),
      ownersPattern(account.id),
      transactionListPattern(account.id),
    ]);
  }
}

/** Stripe refused a refresh or subscribe because the account is inactive or disconnected: REFRESH_UNAVAILABLE. */
function refuseInactive(e: unknown): void {
  if (e instanceof GatewayError && e.extensions.reason === 'ACCOUNT_INACTIVE')
    throw new GatewayError(
      ErrorCode.REFRESH_UNAVAILABLE,
      'A refresh is not available for this account right now.',
      {
        stripe: e.extensions.stripe,
      },
    );
}

/** Throws REFRESH_UNAVAILABLE when one of `features` cannot be refreshed on `account` now. */
function refuseRefresh(account: FcAccount, features: RefreshFeature[], skewSeconds: number): void {
  const unavailable = unavailableRefresh(account, features, skewSeconds);
  if (!unavailable) return;
  const next = unavailable.nextRefreshAvailableAt;
  throw new GatewayError(
    ErrorCode.REFRESH_UNAVAILABLE,
    next === null
      ? `A ${unavailable.feature} refresh of this account is still in progress.`
      : `The next ${unavailable.feature} refresh of this account is available at ${new Date(next * 1000).toISOString()}.`,
    {
      field: 'features',
      feature: unavailable.feature.toUpperCase(),
      nextRefreshAvailableAt: next === null ? null : new Date(next * 1000).toISOString(),
    },
  );
}
