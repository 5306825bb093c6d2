// Money: minor units plus a lowercase ISO currency, as Stripe writes amounts.
import { Field, ObjectType } from 'type-graphql';
import { SafeInt } from './scalars';
import { Cost } from './field-cost';

@Cost({ pure: true })
@ObjectType()
export class Money {
  @Field(() => SafeInt, { description: 'Minor units (cents).' })
  amount!: number;

  @Field(() => String, { description: 'Lowercase ISO-4217, as Stripe writes it.' })
  currency!: string;
}

/** Stripe's `{usd: 1234, eur: 5}` currency maps → one Money per currency, sorted for stable output. */
export function moneyList(map: Record<string, number> | null | undefined): Money[] {
  return Object.entries(map ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, amount]) => ({ amount, currency }));
}
