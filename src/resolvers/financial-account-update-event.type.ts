// FinancialAccountUpdateEvent and its type enum: what financialAccountUpdated pushes on an account's lifecycle change.
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { FinancialAccount } from './financial-account.type';
import { DateTime } from './scalars';

/** Stripe's `financial_connections.account.<type>` events, upper-cased. */
export enum FinancialAccountUpdateType {
  CREATED = 'CREATED',
  DEACTIVATED = 'DEACTIVATED',
  REACTIVATED = 'REACTIVATED',
  DISCONNECTED = 'DISCONNECTED',
  /** The account will need relinking soon (`status_details.active.expected_deactivation_date`). */
  UPCOMING_DEACTIVATION = 'UPCOMING_DEACTIVATION',
  /** `accountNumbers` changed (e.g. a tokenized account number expired). */
  ACCOUNT_NUMBERS_UPDATED = 'ACCOUNT_NUMBERS_UPDATED',
  /** A tokenized account number is about to expire (`accountNumbers.expectedExpiryAt`). */
  UPCOMING_ACCOUNT_NUMBER_EXPIRY = 'UPCOMING_ACCOUNT_NUMBER_EXPIRY',
  SUPPORTED_PAYMENT_METHOD_TYPES_UPDATED = 'SUPPORTED_PAYMENT_METHOD_TYPES_UPDATED',
}
registerEnumType(FinancialAccountUpdateType, { name: 'FinancialAccountUpdateType' });

@ObjectType({
  description:
    'A linked account was linked, deactivated, reactivated or disconnected, or Stripe sent a notice about it (upcoming deactivation, account numbers, supported payment method types).',
})
export class FinancialAccountUpdateEvent {
  @Field(() => FinancialAccount)
  financialAccount!: FinancialAccount;

  @Field(() => FinancialAccountUpdateType)
  type!: FinancialAccountUpdateType;

  @Field(() => DateTime)
  occurredAt!: Date;
}
