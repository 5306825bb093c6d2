// WebhookEndpoint and WebhookDelivery: a partner's webhook endpoint and its delivery log, mapped in one place.
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { DeliveryRecord, EndpointRecord } from '../services/domain/shared-services';
import { connectionType } from './connection';
import { Node, qualifiedId } from './node';
import { DateTime } from './scalars';

export enum WebhookEndpointStatus {
  ENABLED = 'ENABLED',
  /** By the partner (updateWebhookEndpoint), or by the gateway after deliveries failed for the retry window. */
  DISABLED = 'DISABLED',
}
registerEnumType(WebhookEndpointStatus, { name: 'WebhookEndpointStatus' });

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryStatus, { name: 'WebhookDeliveryStatus' });

const dateOrNull = (ms: number | null) => (ms === null ? null : new Date(ms));

@ObjectType({ description: 'One event sent (or being sent) to one endpoint.', implements: Node })
export class WebhookDelivery implements Node {
  @Field(() => ID, {
    description:
      'The event id qualified by the endpoint id (`wevt_….we_…`): one delivery log entry per pair.',
  })
  id!: string;

  @Field(() => ID)
  eventId!: string;

  @Field(() => String, { description: 'e.g. payment_intent.succeeded.' })
  eventType!: string;

  @Field(() => WebhookDeliveryStatus)
  status!: WebhookDeliveryStatus;

  @Field(() => Int)
  attempts!: number;

  @Field(() => Int, {
    nullable: true,
    description: "The last attempt's HTTP status; null when none came back.",
  })
  lastHttpStatus!: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why the last attempt failed (never the response body).',
  })
  lastError!: string | null;

  @Field(() => DateTime, { nullable: true })
  nextAttemptAt!: Date | null;

  @Field(() => DateTime, { nullable: true })
  deliveredAt!: Date | null;

  @Field(() => DateTime)
  createdAt!: Date;

  static fromRecord(d: DeliveryRecord): WebhookDelivery {
    return Object.assign(new WebhookDelivery(), {
      id: qualifiedId(d.eventId, d.endpointId),
      eventId: d.eventId,
      eventType: d.eventType,
      status: d.status.toUpperCase() as WebhookDeliveryStatus,
      attempts: d.attempts,
      lastHttpStatus: d.lastHttpStatus,
      lastError: d.lastError,
      nextAttemptAt: dateOrNull(d.nextAttemptAt),
      deliveredAt: dateOrNull(d.deliveredAt),
      createdAt: new Date(d.createdAt),
    });
  }
}

export const WebhookDeliveryConnection = connectionType('WebhookDelivery', () => WebhookDelivery);

@ObjectType({
  description:
    'Where the gateway POSTs events for one partner, signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature headers).',
  implements: Node,
})
export class WebhookEndpoint implements Node {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  url!: string;

  @Field(() => [String], { description: 'Event types sent here, e.g. financial_account.linked.' })
  events!: string[];

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => WebhookEndpointStatus)
  status!: WebhookEndpointStatus;

  @Field(() => String, { nullable: true })
  disabledReason!: string | null;

  @Field(() => DateTime, {
    nullable: true,
    description: 'Since when deliveries have failed without a success; null while they succeed.',
  })
  failingSince!: Date | null;

  @Field(() => DateTime, {
    nullable: true,
    description: 'After a rotation: until when the previous secret still signs (a second v1).',
  })
  previousSecretExpiresAt!: Date | null;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime)
  updatedAt!: Date;

  /** The stored endpoint (not a GraphQL field): `deliveries` reads it. */
  record!: EndpointRecord;

  static fromRecord(e: EndpointRecord): WebhookEndpoint {
    const expires =
      e.previousSecretExpiresAt && e.previousSecretExpiresAt > Date.now() ? e.previousSecretExpiresAt : null;
    return Object.assign(new WebhookEndpoint(), {
      record: e,
      id: e.id,
      url: e.url,
      events: [...e.events],
      description: e.description,
      status: e.status === 'enabled' ? WebhookEndpointStatus.ENABLED : WebhookEndpointStatus.DISABLED,
      disabledReason: e.disabledReason,
      failingSince: dateOrNull(e.failingSince),
      previousSecretExpiresAt: dateOrNull(expires),
      createdAt: new Date(e.createdAt),
      updatedAt: new Date(e.updatedAt),
    });
  }
}

export const WebhookEndpointConnection = connectionType('WebhookEndpoint', () => WebhookEndpoint);
