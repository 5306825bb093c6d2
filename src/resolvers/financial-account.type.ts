// FinancialAccount: one linked bank account (Stripe `financial_connections.account`), mapped in one place.
import type { FcAccount } from '../services/domain/stripe-types';
import { Field, ID, ObjectType } from 'type-graphql';
import { AccountHolder } from './account-holder.type';
import { AccountNumber } from './account-number.type';
import { connectionType } from './connection';
import { fromStripeEnum, fromStripeEnumList } from './enum-map';
import {
  FinancialAccountAction,
  FinancialAccountCategory,
  FinancialAccountStatus,
  FinancialAccountSubcategory,
  FinancialConnectionsFeature,
  FinancialConnectionsPermission,
} from './financial-connections.enums';
import { Node } from './node';
import { Refresh } from './refresh.type';
import { DateTime, fromUnix } from './scalars';
import { Cost } from './field-cost';

@Cost({ pure: true })
@ObjectType()
export class FinancialAccountStatusDetails {
  @Field(() => FinancialAccountAction)
  action!: FinancialAccountAction;

  @Field(() => String, {
    nullable: true,
    description: "Stripe's cause, e.g. access_expired, institution_requirement.",
  })
  cause!: string | null;

  @Field(() => DateTime, { nullable: true })
  expectedDeactivationAt!: Date | null;
}

/** Stripe's `status_details.active` (typed loosely: newer API versions add fields). */
interface StripeActiveStatusDetails {
  action?: string;
  cause?: string | null;
  expected_deactivation_date?: number | null;
}

@Cost({ pure: true })
@ObjectType({ implements: Node })
export class FinancialAccount implements Node {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  displayName!: string | null;

  @Field(() => String)
  institutionName!: string;

  @Field(() => String, { nullable: true })
  last4!: string | null;

  @Field(() => FinancialAccountCategory)
  category!: FinancialAccountCategory;

  @Field(() => FinancialAccountSubcategory)
  subcategory!: FinancialAccountSubcategory;

  @Field(() => FinancialAccountStatus)
  status!: FinancialAccountStatus;

  @Field(() => FinancialAccountStatusDetails, {
    nullable: true,
    description: 'Why an active account may soon need the user to link it again.',
  })
  statusDetails!: FinancialAccountStatusDetails | null;

  @Field(() => [FinancialConnectionsPermission])
  permissions!: FinancialConnectionsPermission[];

  @Field(() => [String])
  supportedPaymentMethodTypes!: string[];

  @Field(() => [AccountNumber], {
    nullable: true,
    description:
      'Status, supported networks and expected expiry of the account numbers (never the numbers). Null when Stripe has none to report (no payment_method permission).',
  })
  accountNumbers!: AccountNumber[] | null;

  @Field(() => DateTime)
  created!: Date;

  @Field(() => Boolean)
  livemode!: boolean;

  @Field(() => AccountHolder, { nullable: true })
  accountHolder!: AccountHolder | null;

  @Field(() => Refresh, { nullable: true })
  balanceRefresh!: Refresh | null;

  @Field(() => Refresh, { nullable: true })
  ownershipRefresh!: Refresh | null;

  @Field(() => Refresh, { nullable: true })
  transactionRefresh!: Refresh | null;

  @Field(() => [FinancialConnectionsFeature], {
    description: 'Features this account is subscribed to for daily refreshes (today only TRANSACTIONS).',
  })
  subscriptions!: FinancialConnectionsFeature[];

  /**
   * The tenancy-checked Stripe object (not a GraphQL field): the balance, ownership and transactions
   * field resolvers read it for its permissions and ownership id.
   */
  raw!: FcAccount;

  /** The only place Stripe's account (snake_case, unix seconds) becomes GraphQL's. */
  static fromStripe(a: FcAccount): FinancialAccount {
    const out = new FinancialAccount();
    out.raw = a;
    out.id = a.id;
    out.displayName = a.display_name ?? null;
    out.institutionName = a.institution_name;
    out.last4 = a.last4 ?? null;
    out.category = fromStripeEnum(FinancialAccountCategory, a.category, FinancialAccountCategory.OTHER);
    out.subcategory = fromStripeEnum(
      FinancialAccountSubcategory,
      a.subcategory,
      FinancialAccountSubcategory.OTHER,
    );
    out.status = fromStripeEnum(FinancialAccountStatus, a.status, FinancialAccountStatus.UNKNOWN);
    const active = (a.status_details as { active?: StripeActiveStatusDetails } | null | undefined)?.active;
    if (active) {
      const d = new FinancialAccountStatusDetails();
      d.action = fromStripeEnum(FinancialAccountAction, active.action, FinancialAccountAction.UNKNOWN);
      d.cause = active.cause ?? null;
      d.expectedDeactivationAt = fromUnix(active.expected_deactivation_date);
      out.statusDetails = d;
    } else {
      out.statusDetails = null;
    }
    out.permissions = fromStripeEnumList(FinancialConnectionsPermission, a.permissions);
    out.supportedPaymentMethodTypes = [...(a.supported_payment_method_types ?? [])];
    out.accountNumbers = AccountNumber.listFromStripe(a);
    out.created = fromUnix(a.created);
    out.livemode = a.livemode;
    out.accountHolder = AccountHolder.fromStripe(a.account_holder);
    out.balanceRefresh = Refresh.fromStripe(a.balance_refresh);
    out.ownershipRefresh = Refresh.fromStripe(a.ownership_refresh);
    out.transactionRefresh = Refresh.fromStripe(a.transaction_refresh);
    out.subscriptions = fromStripeEnumList(FinancialConnectionsFeature, a.subscriptions);
    return out;
  }
}

export const FinancialAccountConnection = connectionType('FinancialAccount', () => FinancialAccount);
