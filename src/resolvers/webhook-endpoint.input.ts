// Inputs and payloads of the partner webhook mutations.
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { WebhookDelivery, WebhookEndpoint } from './webhook-endpoint.type';

@InputType()
export class CreateWebhookEndpointInput {
  @Field(() => String, { description: 'https in production; must resolve to public addresses only.' })
  url!: string;

  @Field(() => [String], {
    description: 'Event types, e.g. ["financial_account.linked", "payment_intent.succeeded"].',
  })
  events!: string[];

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@InputType()
export class UpdateWebhookEndpointInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  url?: string | null;

  @Field(() => [String], { nullable: true })
  events?: string[] | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'false disables; true enables again (also after the gateway disabled it).',
  })
  enabled?: boolean | null;
}

@InputType()
export class WebhookEndpointIdInput {
  @Field(() => ID)
  id!: string;
}

@InputType()
export class RedeliverWebhookEventInput {
  @Field(() => ID)
  endpointId!: string;

  @Field(() => ID)
  eventId!: string;
}

@ObjectType()
export class WebhookEndpointSecretPayload {
  @Field(() => WebhookEndpoint)
  webhookEndpoint!: WebhookEndpoint;

  @Field(() => String, {
    description:
      'The signing secret, `whsec_<base64>` as Standard Webhooks libraries take it (docs/partner-webhooks.md). Shown only here: store it now.',
  })
  secret!: string;
}

@ObjectType()
export class WebhookEndpointPayload {
  @Field(() => WebhookEndpoint)
  webhookEndpoint!: WebhookEndpoint;
}

@ObjectType()
export class DeleteWebhookEndpointPayload {
  @Field(() => ID)
  deletedWebhookEndpointId!: string;
}

@ObjectType()
export class RedeliverWebhookEventPayload {
  @Field(() => WebhookDelivery)
  delivery!: WebhookDelivery;
}
