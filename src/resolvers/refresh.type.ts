// Refresh: the state of one balance/ownership/transaction refresh of a linked account.
import { Field, ID, ObjectType } from 'type-graphql';
import { fromStripeEnum } from './enum-map';
import { RefreshStatus } from './financial-connections.enums';
import { DateTime, fromUnix } from './scalars';
import { Cost } from './field-cost';

/** Stripe's `balance_refresh` / `ownership_refresh` / `transaction_refresh` (the last also has an id). */
export interface StripeRefresh {
  status: string;
  last_attempted_at: number;
  next_refresh_available_at: number | null;
  /** Only `transaction_refresh` has one (`fctxnref_…`). */
  id?: string;
}

@Cost({ pure: true })
@ObjectType()
export class Refresh {
  @Field(() => ID, {
    nullable: true,
    description:
      "Stripe's id of a transaction refresh (`fctxnref_…`), the one transactionUpdatesAvailable pushes. Null for balance and ownership refreshes, which Stripe does not identify.",
  })
  id!: string | null;

  @Field(() => RefreshStatus)
  status!: RefreshStatus;

  @Field(() => DateTime)
  lastAttemptedAt!: Date;

  @Field(() => DateTime, { nullable: true })
  nextRefreshAvailableAt!: Date | null;

  static fromStripe(r: StripeRefresh | null | undefined): Refresh | null {
    if (!r) return null;
    const out = new Refresh();
    out.id = r.id ?? null;
    out.status = fromStripeEnum(RefreshStatus, r.status, RefreshStatus.UNKNOWN);
    out.lastAttemptedAt = fromUnix(r.last_attempted_at);
    out.nextRefreshAvailableAt = fromUnix(r.next_refresh_available_at);
    return out;
  }
}
