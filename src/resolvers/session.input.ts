// Input and payload of createFinancialConnectionsSession (the payload is the only place clientSecret exists).
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import {
  FinancialAccountSubcategory,
  FinancialConnectionsFeature,
  FinancialConnectionsPermission,
} from './financial-connections.enums';
import {
  FinancialConnectionsSessionLimitsInput,
  FinancialConnectionsSessionManualEntryInput,
} from './session-settings.type';
import { FinancialConnectionsSession } from './session.type';

@InputType()
export class FinancialConnectionsSessionFilters {
  @Field(() => [String], { nullable: true })
  countries?: string[] | null;

  @Field(() => [FinancialAccountSubcategory], { nullable: true })
  accountSubcategories?: FinancialAccountSubcategory[] | null;
}

@InputType()
export class CreateFinancialConnectionsSessionInput {
  @Field(() => ID)
  customerId!: string;

  @Field(() => [FinancialConnectionsPermission])
  permissions!: FinancialConnectionsPermission[];

  @Field(() => [FinancialConnectionsFeature], { nullable: true })
  prefetch?: FinancialConnectionsFeature[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'Needed for WebView and mobile OAuth redirects (https universal link / app link).',
  })
  returnUrl?: string | null;

  @Field(() => FinancialConnectionsSessionFilters, { nullable: true })
  filters?: FinancialConnectionsSessionFilters | null;

  @Field(() => FinancialConnectionsSessionLimitsInput, { nullable: true })
  limits?: FinancialConnectionsSessionLimitsInput | null;

  @Field(() => FinancialConnectionsSessionManualEntryInput, {
    nullable: true,
    description: 'DISABLED hides the option to enter account details by hand.',
  })
  manualEntry?: FinancialConnectionsSessionManualEntryInput | null;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}

@ObjectType()
export class CreateFinancialConnectionsSessionPayload {
  @Field(() => FinancialConnectionsSession)
  session!: FinancialConnectionsSession;

  /** Hand this to the end user's client only; it is never logged and never on the session type. */
  @Field(() => String)
  clientSecret!: string;
}
