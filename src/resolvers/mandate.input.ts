// The end user's mandate acceptance a partner's server passes on (MandateInput), and the evidence a mandate was
// accepted with (MandateEvidence, on the mutation payloads).
import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DateTime } from './scalars';

@InputType({
  description:
    "The end user's acceptance of the ACH mandate, when a partner's server (not the end user's browser) calls. " +
    'Partner credentials only; without it the calling request’s own address and User-Agent are the evidence.',
})
export class MandateInput {
  @Field(() => String, { description: "The end user's IP address (an IPv4 or IPv6 literal)." })
  ipAddress!: string;

  @Field(() => String, { description: "The end user's browser User-Agent (at most 512 characters)." })
  userAgent!: string;

  @Field(() => DateTime, { nullable: true, description: 'When the end user accepted; not in the future.' })
  acceptedAt?: Date | null;
}

export enum MandateEvidenceSource {
  REQUEST = 'REQUEST',
  PARTNER = 'PARTNER',
}
registerEnumType(MandateEvidenceSource, {
  name: 'MandateEvidenceSource',
  valuesConfig: {
    REQUEST: { description: "This request's client address (TRUST_PROXY applied) and User-Agent header." },
    PARTNER: { description: "The partner's `mandate` input." },
  },
});

@ObjectType({ description: 'The online acceptance evidence sent to Stripe with the mandate.' })
export class MandateEvidence {
  @Field(() => MandateEvidenceSource)
  source!: MandateEvidenceSource;

  @Field(() => String)
  ipAddress!: string;

  @Field(() => String)
  userAgent!: string;

  @Field(() => DateTime, {
    nullable: true,
    description: 'Absent: Stripe records when it received the request.',
  })
  acceptedAt?: Date | null;
}
