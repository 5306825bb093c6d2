// Viewer: who is calling.
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Cost } from './field-cost';

export enum ViewerKind {
  PARTNER = 'PARTNER',
  CUSTOMER = 'CUSTOMER',
}
registerEnumType(ViewerKind, { name: 'ViewerKind' });

@Cost({ pure: true })
@ObjectType({ description: 'Who is calling: a partner (API key) or one end user (customer token).' })
export class Viewer {
  @Field(() => ViewerKind)
  kind!: ViewerKind;

  @Field(() => ID, { description: 'The partner (tenant) the caller belongs to.' })
  partnerId!: string;

  /** Set for end users; resolved by the Customer field resolver. */
  customerId?: string;
}
