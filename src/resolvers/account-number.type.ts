// AccountNumber: what Stripe says about an account's numbers (`account_numbers`) — never the number itself.
import type { FcAccount } from '../services/domain/stripe-types';
import { Field, ObjectType } from 'type-graphql';
import { fromStripeEnum, registerStripeEnum } from './enum-map';
import { DateTime, fromUnix } from './scalars';
import { Cost } from './field-cost';

export enum AccountNumberIdentifierType {
  ACCOUNT_NUMBER = 'ACCOUNT_NUMBER',
  /** A tokenized account number (TAN): it can expire, and Stripe warns before it does. */
  TOKENIZED_ACCOUNT_NUMBER = 'TOKENIZED_ACCOUNT_NUMBER',
  UNKNOWN = 'UNKNOWN',
}
registerStripeEnum(AccountNumberIdentifierType, 'AccountNumberIdentifierType');

export enum AccountNumberStatus {
  TRANSACTABLE = 'TRANSACTABLE',
  DEACTIVATED = 'DEACTIVATED',
  UNKNOWN = 'UNKNOWN',
}
registerStripeEnum(AccountNumberStatus, 'AccountNumberStatus');

/** Stripe's `bank_connections_resource_account_number_details` (typed loosely: older SDK types lack it). */
interface StripeAccountNumber {
  identifier_type?: string;
  status?: string;
  supported_networks?: string[];
  expected_expiry_date?: number | null;
}

@Cost({ pure: true })
@ObjectType({
  description: 'One of the account numbers Stripe holds for the account (the number is never shown).',
})
export class AccountNumber {
  @Field(() => AccountNumberIdentifierType)
  identifierType!: AccountNumberIdentifierType;

  @Field(() => AccountNumberStatus, { description: 'DEACTIVATED numbers cannot be used for payments.' })
  status!: AccountNumberStatus;

  @Field(() => [String], { description: "Payment networks it can be used on (Stripe's values, e.g. ach)." })
  supportedNetworks!: string[];

  @Field(() => DateTime, { nullable: true, description: 'When a tokenized number is expected to expire.' })
  expectedExpiryAt!: Date | null;

  static listFromStripe(account: FcAccount): AccountNumber[] | null {
    const list = (account as { account_numbers?: StripeAccountNumber[] | null }).account_numbers;
    if (!list) return null;
    return list.map((n) => {
      const out = new AccountNumber();
      out.identifierType = fromStripeEnum(
        AccountNumberIdentifierType,
        n.identifier_type,
        AccountNumberIdentifierType.UNKNOWN,
      );
      out.status = fromStripeEnum(AccountNumberStatus, n.status, AccountNumberStatus.UNKNOWN);
      out.supportedNetworks = [...(n.supported_networks ?? [])];
      out.expectedExpiryAt = fromUnix(n.expected_expiry_date);
      return out;
    });
  }
}
