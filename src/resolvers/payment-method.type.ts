// PaymentMethod: a customer's saved US bank account (Stripe's us_bank_account payment_method), never its full number.
import { Field, ID, ObjectType } from 'type-graphql';
import type { PaymentMethod as StripePaymentMethod } from '../services/domain/stripe-types';
import { blockOf, isAttached } from '../services/domain/payment-methods.service';
import { paymentMethodCustomerId } from '../services/domain/ownership.service';
import { connectionType } from './connection';
import { fromStripeEnum, registerStripeEnum } from './enum-map';
import { Node } from './node';
import { DateTime, fromUnix } from './scalars';

export enum BankAccountType {
  CHECKING = 'CHECKING',
  SAVINGS = 'SAVINGS',
  UNKNOWN = 'UNKNOWN',
}
registerStripeEnum(BankAccountType, 'BankAccountType');

export enum BankAccountHolderType {
  INDIVIDUAL = 'INDIVIDUAL',
  COMPANY = 'COMPANY',
  UNKNOWN = 'UNKNOWN',
}
registerStripeEnum(BankAccountHolderType, 'BankAccountHolderType');

export enum PaymentMethodStatus {
  USABLE = 'USABLE',
  BLOCKED = 'BLOCKED',
  UNKNOWN = 'UNKNOWN',
}
registerStripeEnum(PaymentMethodStatus, 'PaymentMethodStatus');

@ObjectType({
  implements: Node,
  description:
    "A customer's saved US bank account (ACH Direct Debit). Only what a frontend may show: never the full account number.",
})
export class PaymentMethod implements Node {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  bankName!: string | null;

  @Field(() => String, { nullable: true })
  last4!: string | null;

  @Field(() => BankAccountType, { nullable: true })
  accountType!: BankAccountType | null;

  @Field(() => BankAccountHolderType, { nullable: true })
  accountHolderType!: BankAccountHolderType | null;

  @Field(() => PaymentMethodStatus, {
    description: 'BLOCKED: the bank refused this account (blockedReason says why); it cannot be debited.',
  })
  status!: PaymentMethodStatus;

  @Field(() => String, {
    nullable: true,
    description: "Stripe's reason for a block, e.g. bank_account_closed (status_details.blocked.reason).",
  })
  blockedReason!: string | null;

  @Field(() => String, { nullable: true, description: 'The ACH return code behind a block, e.g. R02.' })
  blockedNetworkCode!: string | null;

  @Field(() => Boolean, {
    description: 'False once detached: it stays readable (past payments) but can no longer be debited.',
  })
  attached!: boolean;

  @Field(() => DateTime)
  created!: Date;

  @Field(() => Boolean)
  livemode!: boolean;

  // `financialAccount` and `customer` are field resolvers (payment-method.resolver.ts) over these ids.
  financialAccountId!: string | null;
  customerId!: string | null;

  static fromStripe(pm: StripePaymentMethod): PaymentMethod {
    const bank = pm.us_bank_account;
    const block = blockOf(pm);
    const fca = bank?.financial_connections_account;
    return Object.assign(new PaymentMethod(), {
      id: pm.id,
      bankName: bank?.bank_name ?? null,
      last4: bank?.last4 ?? null,
      accountType: bank?.account_type
        ? fromStripeEnum(BankAccountType, bank.account_type, BankAccountType.UNKNOWN)
        : null,
      accountHolderType: bank?.account_holder_type
        ? fromStripeEnum(BankAccountHolderType, bank.account_holder_type, BankAccountHolderType.UNKNOWN)
        : null,
      status: block ? PaymentMethodStatus.BLOCKED : PaymentMethodStatus.USABLE,
      blockedReason: block?.reason ?? null,
      blockedNetworkCode: block?.networkCode ?? null,
      attached: isAttached(pm),
      created: fromUnix(pm.created),
      livemode: pm.livemode,
      financialAccountId: typeof fca === 'string' && fca ? fca : null,
      customerId: paymentMethodCustomerId(pm),
    });
  }
}

export const PaymentMethodConnection = connectionType('PaymentMethod', () => PaymentMethod);
