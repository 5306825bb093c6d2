// Partner webhook endpoints: webhookEndpoints, create/update/delete/rotate, WebhookEndpoint.deliveries, redeliver, and
// node(id) of an endpoint or a delivery (partner callers, their own only).
import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { ErrorCode, GatewayError } from '../platform/errors';
import type { PartnerWebhooks } from '../services/domain/shared-services';
import type { Page } from '../services/domain/shared-services';
import { pageInfo, type Connection } from './connection';
import { idSegments, registerNodeLoader } from './node';
import { PageArgs } from './page.args';
import {
  CreateWebhookEndpointInput,
  DeleteWebhookEndpointPayload,
  RedeliverWebhookEventInput,
  RedeliverWebhookEventPayload,
  UpdateWebhookEndpointInput,
  WebhookEndpointIdInput,
  WebhookEndpointPayload,
  WebhookEndpointSecretPayload,
} from './webhook-endpoint.input';
import {
  WebhookDelivery,
  WebhookDeliveryConnection,
  WebhookEndpoint,
  WebhookEndpointConnection,
} from './webhook-endpoint.type';

function webhooksOf(ctx: GatewayContext): PartnerWebhooks {
  const service = ctx.services.partnerWebhooks;
  if (!service) throw new GatewayError(ErrorCode.INTERNAL_SERVER_ERROR, 'Webhooks are not available.');
  return service;
}

registerNodeLoader(['we'], async (ctx, id) =>
  WebhookEndpoint.fromRecord(await webhooksOf(ctx).endpointNode(ctx.caller, id)),
);

/** `wevt_….we_…` (WebhookDelivery.id): the event's entry in the endpoint's delivery log. */
registerNodeLoader(['wevt.we'], async (ctx, id) => {
  const [eventId, endpointId] = idSegments(id, 'wevt.we')!;
  return WebhookDelivery.fromRecord(await webhooksOf(ctx).deliveryNode(ctx.caller, endpointId, eventId, id));
});

function connectionOf<R, T>(
  page: Page<R>,
  map: (r: R) => T,
  cursorOf: (r: R) => string,
  after: string | null | undefined,
): Connection<T> {
  const nodes = page.items.map(map);
  const edges = page.items.map((r, i) => ({ cursor: cursorOf(r), node: nodes[i] }));
  const cursors = edges.map((e) => e.cursor);
  return { nodes, edges, pageInfo: pageInfo(cursors, page.hasMore, cursors.at(-1) ?? null, after) };
}

@Resolver(() => WebhookEndpoint)
export class WebhookEndpointResolver {
  @Query(() => WebhookEndpointConnection, {
    description: "Partner callers only: the partner's webhook endpoints, newest first.",
  })
  async webhookEndpoints(
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: GatewayContext,
  ): Promise<Connection<WebhookEndpoint>> {
    const page = await webhooksOf(ctx).listEndpoints(ctx.caller, args.first, args.after);
    return connectionOf(page, WebhookEndpoint.fromRecord, (e) => e.id, args.after);
  }

  @FieldResolver(() => WebhookDeliveryConnection, {
    description: 'The delivery log, newest event first (kept 30 days).',
  })
  async deliveries(
    @Root() endpoint: WebhookEndpoint,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: GatewayContext,
  ): Promise<Connection<WebhookDelivery>> {
    const page = await webhooksOf(ctx).deliveries(endpoint.record, args.first, args.after);
    return connectionOf(page, WebhookDelivery.fromRecord, (d) => d.eventId, args.after);
  }

  @Mutation(() => WebhookEndpointSecretPayload, {
    description: 'Partner callers. Returns the signing secret once: it is never shown again.',
  })
  async createWebhookEndpoint(
    @Arg('input', () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<WebhookEndpointSecretPayload> {
    const { endpoint, secret } = await webhooksOf(ctx).createEndpoint(ctx.caller, input);
    return { webhookEndpoint: WebhookEndpoint.fromRecord(endpoint), secret };
  }

  @Mutation(() => WebhookEndpointPayload)
  async updateWebhookEndpoint(
    @Arg('input', () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<WebhookEndpointPayload> {
    const endpoint = await webhooksOf(ctx).updateEndpoint(ctx.caller, input.id, input);
    return { webhookEndpoint: WebhookEndpoint.fromRecord(endpoint) };
  }

  @Mutation(() => DeleteWebhookEndpointPayload)
  async deleteWebhookEndpoint(
    @Arg('input', () => WebhookEndpointIdInput) input: WebhookEndpointIdInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<DeleteWebhookEndpointPayload> {
    return { deletedWebhookEndpointId: await webhooksOf(ctx).deleteEndpoint(ctx.caller, input.id) };
  }

  @Mutation(() => WebhookEndpointSecretPayload, {
    description: 'A new signing secret; the old one keeps signing (a second v1) for 24 hours.',
  })
  async rotateWebhookEndpointSecret(
    @Arg('input', () => WebhookEndpointIdInput) input: WebhookEndpointIdInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<WebhookEndpointSecretPayload> {
    const { endpoint, secret } = await webhooksOf(ctx).rotateSecret(ctx.caller, input.id);
    return { webhookEndpoint: WebhookEndpoint.fromRecord(endpoint), secret };
  }

  @Mutation(() => RedeliverWebhookEventPayload, {
    description: 'Sends an event this endpoint was sent (or should have been) once more, with fresh retries.',
  })
  async redeliverWebhookEvent(
    @Arg('input', () => RedeliverWebhookEventInput) input: RedeliverWebhookEventInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<RedeliverWebhookEventPayload> {
    const delivery = await webhooksOf(ctx).redeliver(ctx.caller, input.endpointId, input.eventId);
    return { delivery: WebhookDelivery.fromRecord(delivery) };
  }
}
