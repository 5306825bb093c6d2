// The process-wide services a request reaches through RequestServices (live events, partner webhooks): the names
// resolvers use of them, so resolvers import domain only (.dependency-cruiser.cjs, resolvers-call-domain-only).
export type { LiveEventOf, LiveSubscriptions } from '../live/live-subscriptions';
export type { PartnerEventRenderer, PartnerWebhooks } from '../partner-webhooks/partner-webhooks.service';
export type { DeliveryRecord, EndpointRecord, Page } from '../partner-webhooks/webhook-store';
export { TRANSACTIONS_UPDATED_KIND } from '../partner-webhooks/partner-events';
