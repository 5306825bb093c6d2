// Customer: a v1 Stripe Customer (cus_) or a v2 customer-configured Account (acct_), mapped in one place.
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { OwnedCustomer } from '../services/domain/ownership.service';
import { Node } from './node';
import { DateTime, fromUnix } from './scalars';
import { Cost } from './field-cost';

export enum CustomerModel {
  CUSTOMER = 'CUSTOMER',
  ACCOUNT = 'ACCOUNT',
}
registerEnumType(CustomerModel, {
  name: 'CustomerModel',
  valuesConfig: {
    CUSTOMER: { description: 'v1 Customer object, cus_ id; sessions use account_holder[customer]' },
    ACCOUNT: {
      description: 'v2 customer-configured Account, acct_ id; sessions use account_holder[customer_account]',
    },
  },
});

@Cost({ pure: true })
@ObjectType({
  implements: Node,
  description: 'A Stripe Customer (v1) or a customer-configured Account (v2) that holds linked accounts.',
})
export class Customer implements Node {
  @Field(() => ID)
  id!: string;

  @Field(() => CustomerModel)
  model!: CustomerModel;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => DateTime)
  created!: Date;

  @Field(() => Boolean)
  livemode!: boolean;

  /** The tenancy-checked Stripe object (not a GraphQL field): field resolvers read it. */
  owned!: OwnedCustomer;

  /** The only place Stripe's customer shapes (v1 snake_case, v2 RFC 3339 dates) become GraphQL's. */
  static fromOwned(owned: OwnedCustomer): Customer {
    const c = new Customer();
    c.id = owned.id;
    c.owned = owned;
    if (owned.model === 'customer') {
      const o = owned.object;
      c.model = CustomerModel.CUSTOMER;
      c.email = o.email ?? null;
      c.name = o.name ?? null;
      c.created = fromUnix(o.created);
      c.livemode = o.livemode;
    } else {
      const o = owned.object;
      c.model = CustomerModel.ACCOUNT;
      c.email = o.contact_email ?? null;
      c.name = o.display_name ?? null;
      c.created = new Date(o.created);
      c.livemode = o.livemode;
    }
    return c;
  }
}
