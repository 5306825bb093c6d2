// FinancialConnectionsSession: an authentication flow for one customer. Deliberately has no clientSecret field.
import type { FcSession } from '../services/domain/stripe-types';
import { Field, ID, ObjectType } from 'type-graphql';
import { AccountHolder } from './account-holder.type';
import { fromStripeEnumList } from './enum-map';
import {
  AccountHolderType,
  FinancialConnectionsFeature,
  FinancialConnectionsPermission,
  PREFETCH_RENAME,
} from './financial-connections.enums';
import { Node } from './node';
import {
  FinancialConnectionsSessionFilterSettings,
  FinancialConnectionsSessionLimits,
  ManualEntryMode,
  manualEntryModeFromStripe,
} from './session-settings.type';
import { Cost } from './field-cost';

/**
 * Why no clientSecret here: the secret lets whoever holds it link bank accounts to this customer, so
 * it appears only in `CreateFinancialConnectionsSessionPayload`, to the caller who created the session
 * (docs/security-catalogue.md AU9). Sessions reaching this type never carry it (the loaders strip it).
 */
@Cost({ pure: true })
@ObjectType({ implements: Node })
export class FinancialConnectionsSession implements Node {
  @Field(() => ID)
  id!: string;

  @Field(() => AccountHolder)
  accountHolder!: AccountHolder;

  @Field(() => [FinancialConnectionsPermission])
  permissions!: FinancialConnectionsPermission[];

  @Field(() => [FinancialConnectionsFeature])
  prefetch!: FinancialConnectionsFeature[];

  @Field(() => String, { nullable: true })
  returnUrl!: string | null;

  @Field(() => Boolean)
  livemode!: boolean;

  @Field(() => FinancialConnectionsSessionFilterSettings, { nullable: true })
  filters!: FinancialConnectionsSessionFilterSettings | null;

  @Field(() => FinancialConnectionsSessionLimits, { nullable: true })
  limits!: FinancialConnectionsSessionLimits | null;

  @Field(() => ManualEntryMode, { nullable: true })
  manualEntryMode!: ManualEntryMode | null;

  /** The Stripe object without client_secret (not a GraphQL field): `accounts` reads its first page. */
  raw!: FcSession;

  static fromStripe(s: FcSession): FinancialConnectionsSession {
    const out = new FinancialConnectionsSession();
    out.raw = s;
    out.id = s.id;
    // Sessions without a holder never pass the tenancy check; the fallback only keeps the type total.
    out.accountHolder =
      AccountHolder.fromStripe(s.account_holder) ??
      Object.assign(new AccountHolder(), { type: AccountHolderType.UNKNOWN, customerId: null });
    out.permissions = fromStripeEnumList(FinancialConnectionsPermission, s.permissions);
    out.prefetch = fromStripeEnumList(FinancialConnectionsFeature, s.prefetch, PREFETCH_RENAME);
    out.returnUrl = s.return_url ?? null;
    out.livemode = s.livemode;
    out.filters = FinancialConnectionsSessionFilterSettings.fromStripe(s.filters);
    out.limits = FinancialConnectionsSessionLimits.fromStripe(
      (s as { limits?: { accounts?: number } }).limits,
    );
    out.manualEntryMode = manualEntryModeFromStripe((s as { manual_entry?: { mode?: string } }).manual_entry);
    return out;
  }
}
