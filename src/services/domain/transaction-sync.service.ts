// Incremental transaction sync: what changed on an account since a cursor (added / modified / removed),
// over Stripe's `transaction_refresh[after]` and each transaction's `status` (docs/stripe-facts.md §2).
import type { FcAccount, FcTransaction } from '../stripe/loader-types';
import { MAX_PAGE_SIZE } from '../stripe/paging';
import { badInput } from '../../platform/errors';
import type { ServiceBase } from './service-base';
import type { SyncCursorCodec, SyncState } from './sync-cursor';

export interface TransactionUpdatesResult {
  added: FcTransaction[];
  modified: FcTransaction[];
  /** Ids of voided transactions: a client drops them from its copy (unknown ids are a no-op). */
  removed: string[];
  nextCursor: string;
  hasMore: boolean;
}

/**
 * Each call reads the account (the caller already holds it: no request) and, when there is something
 * to deliver, one Stripe list page. The rules:
 * - No cursor: the whole history as `added` (voided transactions left out), then the cursor remembers
 *   the transaction refresh that history came from.
 * - With a cursor: nothing new while the account's latest transaction refresh is the cursor's one or
 *   still pending (its changes are delivered once it succeeds; transactionUpdatesAvailable says when).
 *   Otherwise `transaction_refresh[after]=<cursor's refresh>` lists every transaction a later refresh
 *   changed: `void` → `removed`; transacted after the cursor's refresh was attempted → `added` (it
 *   arrived since); else `modified` (a pending one posted, or another change).
 * - A pass over several pages (`hasMore`) keeps its target refresh in the cursor, so pages of one pass
 *   never mix with a refresh that lands meanwhile; that refresh is the next pass.
 */
export class TransactionSyncService {
  constructor(
    private readonly base: ServiceBase,
    private readonly cursors: SyncCursorCodec,
  ) {}

  /** @param account tenancy-checked already (the FinancialAccount being resolved). */
  async updates(
    account: FcAccount,
    cursor: string | null | undefined,
    first: number,
  ): Promise<TransactionUpdatesResult> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE)
      throw badInput(`first must be between 1 and ${MAX_PAGE_SIZE}.`, 'first');
    const state: SyncState = cursor ? this.cursors.decode(account.id, cursor) : { w: null, wt: null };
    const out: TransactionUpdatesResult = {
      added: [],
      modified: [],
      removed: [],
      nextCursor: '',
      hasMore: false,
    };
    const pass = state.p ?? this.nextPass(account, state);
    if (!pass) {
      out.nextCursor = this.cursors.encode(account.id, state);
      return out;
    }
    const page = await this.base.loaders.transactionList.load({
      account: account.id,
      limit: first,
      ...(pass.s ? { starting_after: pass.s } : {}),
      ...(pass.f || !state.w ? {} : { transaction_refresh: { after: state.w } }),
    });
    for (const t of page.data) {
      if (t.status === 'void') {
        // A first full listing simply leaves voided transactions out; later, they are removals.
        if (!pass.f || state.d) out.removed.push(t.id);
      } else if (pass.f) (state.d ? out.modified : out.added).push(t);
      else if (state.wt !== null && t.transacted_at > state.wt) out.added.push(t);
      else out.modified.push(t);
    }
    let next: SyncState;
    if (page.has_more && page.data.length) {
      next = { ...state, p: { ...pass, s: page.data[page.data.length - 1].id } };
      out.hasMore = true;
    } else if (pass.t) next = { w: pass.t, wt: pass.tt };
    else next = { w: null, wt: null, d: 1 };
    out.nextCursor = this.cursors.encode(account.id, next);
    return out;
  }

  /** The pass to start from a finished cursor, or null when there is nothing new to deliver yet. */
  private nextPass(account: FcAccount, state: SyncState): SyncState['p'] | null {
    const r = account.transaction_refresh;
    if (!r) return null; // no transaction refresh yet: no data at Stripe
    const settled = r.status !== 'pending';
    if (state.w === null) {
      if (state.d && !settled) return null;
      // The first listing; while a refresh is pending, the one before it is unknown (Stripe shows only
      // the latest), so the cursor then asks for a full re-listing once it has settled (`d`).
      return { t: settled ? r.id : null, tt: settled ? r.last_attempted_at : null, s: null, f: 1 };
    }
    if (r.id === state.w || !settled) return null;
    return { t: r.id, tt: r.last_attempted_at, s: null, f: 0 };
  }
}
