// What a session was created with beyond permissions: account filters, the account limit, manual entry.
import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { fromStripeEnumList } from './enum-map';
import { FinancialAccountSubcategory } from './financial-connections.enums';
import { Cost } from './field-cost';

/** Stripe's `manual_entry.mode`: whether the user may type account details instead of logging in. */
export enum ManualEntryMode {
  AUTOMATIC = 'AUTOMATIC',
  DISABLED = 'DISABLED',
}
registerEnumType(ManualEntryMode, { name: 'ManualEntryMode' });

@InputType()
export class FinancialConnectionsSessionLimitsInput {
  @Field(() => Int, { description: 'The most accounts the user may link in this session (1-100).' })
  accounts!: number;
}

@InputType()
export class FinancialConnectionsSessionManualEntryInput {
  @Field(() => ManualEntryMode)
  mode!: ManualEntryMode;
}

@Cost({ pure: true })
@ObjectType({ description: 'The account filters the session was created with.' })
export class FinancialConnectionsSessionFilterSettings {
  @Field(() => [String], { nullable: true })
  countries!: string[] | null;

  @Field(() => [FinancialAccountSubcategory], { nullable: true })
  accountSubcategories!: FinancialAccountSubcategory[] | null;

  static fromStripe(
    f: { countries?: string[] | null; account_subcategories?: string[] | null } | null | undefined,
  ): FinancialConnectionsSessionFilterSettings | null {
    if (!f) return null;
    const out = new FinancialConnectionsSessionFilterSettings();
    out.countries = f.countries ? [...f.countries] : null;
    out.accountSubcategories = f.account_subcategories
      ? fromStripeEnumList(FinancialAccountSubcategory, f.account_subcategories)
      : null;
    return out;
  }
}

@Cost({ pure: true })
@ObjectType()
export class FinancialConnectionsSessionLimits {
  @Field(() => Int, { description: 'The most accounts the user may link in this session.' })
  accounts!: number;

  static fromStripe(
    l: { accounts?: number | null } | null | undefined,
  ): FinancialConnectionsSessionLimits | null {
    if (typeof l?.accounts !== 'number') return null;
    return Object.assign(new FinancialConnectionsSessionLimits(), { accounts: l.accounts });
  }
}

/** Null when Stripe did not say, or says something newer than this gateway knows. */
export function manualEntryModeFromStripe(m: { mode?: string } | null | undefined): ManualEntryMode | null {
  if (m?.mode === 'automatic') return ManualEntryMode.AUTOMATIC;
  if (m?.mode === 'disabled') return ManualEntryMode.DISABLED;
  return null;
}
