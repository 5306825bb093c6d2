// Transaction: one bank transaction of a linked account (signed minor units, as Stripe signs them).
import type { FcTransaction } from '../services/domain/stripe-types';
import { Field, ID, ObjectType } from 'type-graphql';
import { connectionType } from './connection';
import { fromStripeEnum } from './enum-map';
import { TransactionStatus } from './financial-connections.enums';
import { Money } from './money.type';
import { Node } from './node';
import { DateTime, fromUnix } from './scalars';
import { Cost } from './field-cost';

@Cost({ pure: true })
@ObjectType({ implements: Node })
export class Transaction implements Node {
  @Field(() => ID)
  id!: string;

  /** The fca id (the `account` field resolver loads it, tenancy-checked). */
  accountId!: string;

  @Field(() => Money, { description: 'Signed as Stripe signs it: negative is money leaving the account.' })
  amount!: Money;

  @Field(() => String)
  description!: string;

  @Field(() => TransactionStatus)
  status!: TransactionStatus;

  @Field(() => DateTime)
  transactedAt!: Date;

  @Field(() => DateTime, { nullable: true })
  postedAt!: Date | null;

  @Field(() => DateTime, { nullable: true })
  voidAt!: Date | null;

  @Field(() => ID, { description: 'The id of the transaction refresh that last touched this transaction.' })
  transactionRefresh!: string;

  @Field(() => Boolean)
  livemode!: boolean;

  static fromStripe(t: FcTransaction): Transaction {
    const out = new Transaction();
    out.id = t.id;
    out.accountId = t.account;
    out.amount = { amount: t.amount, currency: t.currency };
    out.description = t.description;
    out.status = fromStripeEnum(TransactionStatus, t.status, TransactionStatus.UNKNOWN);
    out.transactedAt = fromUnix(t.transacted_at);
    out.postedAt = fromUnix(t.status_transitions?.posted_at);
    out.voidAt = fromUnix(t.status_transitions?.void_at);
    out.transactionRefresh = t.transaction_refresh;
    out.livemode = t.livemode;
    return out;
  }
}

export const TransactionConnection = connectionType('Transaction', () => Transaction);
