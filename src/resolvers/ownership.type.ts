// Ownership and AccountOwner: who owns a linked account, as the bank reported it.
import type { FcAccount, FcOwner, FcOwnership } from '../services/domain/stripe-types';
import { Field, ID, ObjectType } from 'type-graphql';
import { connectionType } from './connection';
import { Node } from './node';
import { DateTime, fromUnix } from './scalars';
import { Cost } from './field-cost';

@Cost({ pure: true })
@ObjectType({ implements: Node })
export class AccountOwner implements Node {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field(() => String, { nullable: true })
  phone!: string | null;

  @Field(() => String, { nullable: true })
  rawAddress!: string | null;

  @Field(() => DateTime, { nullable: true })
  refreshedAt!: Date | null;

  static fromStripe(o: FcOwner): AccountOwner {
    const out = new AccountOwner();
    out.id = o.id;
    out.name = o.name;
    out.email = o.email ?? null;
    out.phone = o.phone ?? null;
    out.rawAddress = o.raw_address ?? null;
    out.refreshedAt = fromUnix(o.refreshed_at);
    return out;
  }
}

export const AccountOwnerConnection = connectionType('AccountOwner', () => AccountOwner);

@Cost({ pure: true })
@ObjectType({ implements: Node })
export class Ownership implements Node {
  @Field(() => ID)
  id!: string;

  /** The FC account this ownership belongs to (not a GraphQL field): `created` and `owners` read it. */
  account!: FcAccount;

  /** From the account's `ownership` (an id, or the expanded object). */
  static fromAccount(account: FcAccount): Ownership | null {
    const o = account.ownership;
    if (!o) return null;
    const out = new Ownership();
    out.id = typeof o === 'string' ? o : o.id;
    out.account = account;
    return out;
  }
}

/** Stripe's account_ownership `created` (unix seconds) → DateTime; used by the Ownership resolver. */
export const ownershipCreated = (o: FcOwnership): Date => fromUnix(o.created);
