// Balance: an FC account's balance snapshot; Stripe's currency maps become lists of Money.
import type { FcBalance } from '../services/domain/stripe-types';
import { Field, ObjectType } from 'type-graphql';
import { fromStripeEnum } from './enum-map';
import { BalanceType } from './financial-connections.enums';
import { Money, moneyList } from './money.type';
import { DateTime, fromUnix } from './scalars';
import { Cost } from './field-cost';

@Cost({ pure: true })
@ObjectType()
export class Balance {
  @Field(() => DateTime)
  asOf!: Date;

  @Field(() => BalanceType)
  type!: BalanceType;

  @Field(() => [Money], { description: 'One entry per currency.' })
  current!: Money[];

  @Field(() => [Money], { nullable: true, description: 'Cash accounts only.' })
  cashAvailable!: Money[] | null;

  @Field(() => [Money], { nullable: true, description: 'Credit accounts only.' })
  creditUsed!: Money[] | null;

  static fromStripe(b: FcBalance | null | undefined): Balance | null {
    if (!b) return null;
    const out = new Balance();
    out.asOf = fromUnix(b.as_of);
    out.type = fromStripeEnum(BalanceType, b.type, BalanceType.UNKNOWN);
    out.current = moneyList(b.current);
    out.cashAvailable = b.cash?.available ? moneyList(b.cash.available) : null;
    out.creditUsed = b.credit?.used ? moneyList(b.credit.used) : null;
    return out;
  }
}
