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
  /** Stripe warns that the account will soon need the user to link it again (statusDetails says when). */
  UPCOMING_DEACTIVATION = 'UPCOMING_DEACTIVATION',
}
registerEnumType(FinancialAccountUpdateType, { name: 'FinancialAccountUpdateType' });

@ObjectType({ description: 'A linked account was linked, deactivated, reactivated or disconnected.' })
export class FinancialAccountUpdateEvent {
  @Field(() => FinancialAccount)
  financialAccount!: FinancialAccount;

  @Field(() => FinancialAccountUpdateType)
  type!: FinancialAccountUpdateType;

  @Field(() => DateTime)
  occurredAt!: Date;
}
