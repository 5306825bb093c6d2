// Partner webhook endpoints over GraphQL for tests: create one, read its delivery log.
import type { StartedGateway } from './gateway';
import { gql } from './gql';
import { PARTNER_EVENT_TYPES } from '../../src/services/partner-webhooks/partner-events';

/** Every partner event type: endpoints created here get all of them unless told otherwise. */
export const ALL_EVENTS: string[] = [...PARTNER_EVENT_TYPES];

export const CREATE_WEBHOOK_ENDPOINT = `mutation($i: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $i) { secret webhookEndpoint { id url events status } }
}`;
const DELIVERIES = `query { webhookEndpoints(first: 5) { nodes { id status deliveries(first: 20) {
  nodes { eventId eventType status attempts lastHttpStatus lastError nextAttemptAt deliveredAt } } } } }`;

interface Delivery {
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  lastHttpStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
}

export async function createEndpoint(gw: StartedGateway, apiKey: string, url: string, events = ALL_EVENTS) {
  const r = await gql<{ createWebhookEndpoint: { secret: string; webhookEndpoint: { id: string } } }>(
    gw.graphqlUrl,
    CREATE_WEBHOOK_ENDPOINT,
    { i: { url, events, description: 'test receiver' } },
    { token: apiKey },
  );
  if (!r.data) throw new Error(`createWebhookEndpoint failed: ${JSON.stringify(r.errors)}`);
  return { id: r.data.createWebhookEndpoint.webhookEndpoint.id, secret: r.data.createWebhookEndpoint.secret };
}

export async function deliveryOf(gw: StartedGateway, apiKey: string, endpointId: string, eventId: string) {
  const r = await gql<{
    webhookEndpoints: { nodes: { id: string; deliveries: { nodes: Delivery[] } }[] };
  }>(gw.graphqlUrl, DELIVERIES, {}, { token: apiKey });
  if (!r.data) throw new Error(`webhookEndpoints failed: ${JSON.stringify(r.errors)}`);
  const endpoint = r.data.webhookEndpoints.nodes.find((e) => e.id === endpointId);
  return endpoint?.deliveries.nodes.find((d) => d.eventId === eventId) ?? null;
}
