// AccountHolder: whom an FC account or session belongs to (the customer is resolved tenancy-checked).
import { Field, ObjectType } from 'type-graphql';
import { holderCustomerId } from '../services/domain/stripe-readers';
import { fromStripeEnum } from './enum-map';
import { AccountHolderType } from './financial-connections.enums';
import { Cost } from './field-cost';

export interface StripeAccountHolder {
  type?: string;
  customer?: string | { id: string } | null;
  customer_account?: string | null;
  account?: unknown;
}

@Cost({ pure: true })
@ObjectType()
export class AccountHolder {
  @Field(() => AccountHolderType)
  type!: AccountHolderType;

  /** `cus_` or `acct_` id for the Customer field resolver (not a GraphQL field). */
  customerId!: string | null;

  static fromStripe(h: StripeAccountHolder | null | undefined): AccountHolder | null {
    if (!h) return null;
    const out = new AccountHolder();
    out.type = fromStripeEnum(AccountHolderType, h.type, AccountHolderType.UNKNOWN);
    out.customerId = holderCustomerId({ account_holder: h });
    return out;
  }
}
