// Every resolver class of the schema, in one list for buildSchema.
import type { NonEmptyArray } from 'type-graphql';
import { AccountHolderResolver } from './account-holder.resolver';
import { CustomerResolver } from './customer.resolver';
import { FinancialAccountResolver } from './financial-account.resolver';
import { NodeResolver } from './node.resolver';
import { OwnershipResolver } from './ownership.resolver';
import { CustomerPaymentsResolver } from './customer-payments.resolver';
import { PaymentIntentResolver } from './payment-intent.resolver';
import { SetupIntentResolver } from './setup-intent.resolver';
import { MandateResolver, PaymentMethodResolver } from './payment-method.resolver';
import { SessionResolver } from './session.resolver';
import { SubscriptionsResolver } from './subscriptions.resolver';
import { TransactionResolver } from './transaction.resolver';
import { ViewerResolver } from './viewer.resolver';
import { WebhookEndpointResolver } from './webhook-endpoint.resolver';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const resolvers: NonEmptyArray<Function> = [
  ViewerResolver,
  NodeResolver,
  CustomerResolver,
  AccountHolderResolver,
  SessionResolver,
  FinancialAccountResolver,
  OwnershipResolver,
  TransactionResolver,
  PaymentIntentResolver,
  SetupIntentResolver,
  CustomerPaymentsResolver,
  PaymentMethodResolver,
  MandateResolver,
  SubscriptionsResolver,
  WebhookEndpointResolver,
];
