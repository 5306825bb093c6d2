// Mandate: the customer's authorization to debit a saved bank account (Stripe's mandate), readable by its owner.
import { Field, ID, ObjectType } from 'type-graphql';
import type { Mandate as StripeMandate } from '../services/domain/stripe-types';
import { fromStripeEnum, registerStripeEnum } from './enum-map';
import { Node } from './node';
import { DateTime, fromUnix } from './scalars';

export enum MandateStatus {
  ACTIVE = 'ACTIVE',
  INACTIVE = 'INACTIVE',
  PENDING = 'PENDING',
  UNKNOWN = 'UNKNOWN',
}
registerStripeEnum(MandateStatus, 'MandateStatus');

export enum MandateType {
  SINGLE_USE = 'SINGLE_USE',
  MULTI_USE = 'MULTI_USE',
  UNKNOWN = 'UNKNOWN',
}
registerStripeEnum(MandateType, 'MandateType');

export enum MandateAcceptanceType {
  ONLINE = 'ONLINE',
  OFFLINE = 'OFFLINE',
  UNKNOWN = 'UNKNOWN',
}
registerStripeEnum(MandateAcceptanceType, 'MandateAcceptanceType');

@ObjectType({
  implements: Node,
  description:
    'The authorization to debit a saved bank account. A MULTI_USE mandate that is ACTIVE allows off-session debits.',
})
export class Mandate implements Node {
  @Field(() => ID)
  id!: string;

  @Field(() => MandateStatus)
  status!: MandateStatus;

  @Field(() => MandateType)
  type!: MandateType;

  @Field(() => DateTime, { nullable: true })
  acceptedAt!: Date | null;

  @Field(() => MandateAcceptanceType)
  acceptanceType!: MandateAcceptanceType;

  @Field(() => Boolean)
  livemode!: boolean;

  // `paymentMethod` is a field resolver (mandate.resolver.ts) over this id.
  paymentMethodId!: string;

  static fromStripe(m: StripeMandate): Mandate {
    const acceptance = m.customer_acceptance;
    return Object.assign(new Mandate(), {
      id: m.id,
      status: fromStripeEnum(MandateStatus, m.status, MandateStatus.UNKNOWN),
      type: fromStripeEnum(MandateType, m.type, MandateType.UNKNOWN),
      acceptedAt: fromUnix(acceptance?.accepted_at),
      acceptanceType: fromStripeEnum(MandateAcceptanceType, acceptance?.type, MandateAcceptanceType.UNKNOWN),
      livemode: m.livemode,
      paymentMethodId: typeof m.payment_method === 'string' ? m.payment_method : m.payment_method.id,
    });
  }
}
