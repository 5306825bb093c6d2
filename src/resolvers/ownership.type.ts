// Ownership and AccountOwner: who owns a linked account, as the bank reported it.
import type { FcAccount, FcOwner, FcOwnership } from '../services/domain/stripe-types';
import { Field, ID, ObjectType } from 'type-graphql';
import { connectionType } from './connection';
import { Node, qualifiedId } from './node';
import { DateTime, fromUnix } from './scalars';
import { Cost } from './field-cost';

@Cost({ pure: true })
@ObjectType({ implements: Node })
export class AccountOwner implements Node {
  @Field(() => ID, {
    description:
      "The owner's Stripe id qualified by its account's (`fcaown_….fca_…`): Stripe reads an owner only through its account.",
  })
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

  /** @param accountId the account whose ownership lists `o` (part of the id: node.ts qualifiedId). */
  static fromStripe(o: FcOwner, accountId: string): AccountOwner {
    const out = new AccountOwner();
    out.id = qualifiedId(o.id, accountId);
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
  @Field(() => ID, {
    description:
      "The ownership's Stripe id qualified by its account's (`fcaowns_….fca_…`): Stripe reads an ownership only through its account.",
  })
  id!: string;

  /** The FC account this ownership belongs to (not a GraphQL field): `created` and `owners` read it. */
  account!: FcAccount;

  /** From the account's `ownership` (an id, or the expanded object). */
  static fromAccount(account: FcAccount): Ownership | null {
    const o = account.ownership;
    if (!o) return null;
    const out = new Ownership();
    out.id = qualifiedId(typeof o === 'string' ? o : o.id, account.id);
    out.account = account;
    return out;
  }
}

/** Stripe's account_ownership `created` (unix seconds) → DateTime; used by the Ownership resolver. */
export const ownershipCreated = (o: FcOwnership): Date => fromUnix(o.created);
