// Partner webhook events: their types, the body partners receive, and which live event becomes which type.
import { createHash } from 'node:crypto';
import { refreshCompletionKey, type LiveEvent } from '../live/live-events';

export const PARTNER_EVENT_TYPES = [
  'financial_account.linked',
  'financial_account.refreshed',
  'financial_account.transactions_updated',
  'financial_account.deactivated',
  'financial_account.reactivated',
  'financial_account.disconnected',
  'financial_account.upcoming_deactivation',
  'payment_intent.processing',
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
  'payment_intent.requires_action',
] as const;
export type PartnerEventType = (typeof PARTNER_EVENT_TYPES)[number];

export const isPartnerEventType = (t: string): t is PartnerEventType =>
  (PARTNER_EVENT_TYPES as readonly string[]).includes(t);

/** What an endpoint receives (JSON, the signed body). `data` is in this API's names and shapes. */
export interface PartnerEvent {
  id: string;
  type: PartnerEventType;
  /** ISO-8601 UTC, when the change happened (the Stripe event's `created`, or when the poller saw it). */
  createdAt: string;
  partnerId: string;
  data: Record<string, unknown>;
}

/** The live event a partner event is made from, as plain JSON (it crosses the job queue). */
export type PartnerEventSource = LiveEvent;

/** The live event behind `financial_account.transactions_updated`: the `transactionUpdatesAvailable` push. */
export const TRANSACTIONS_UPDATED_KIND = 'transactions.updated';

const PAYMENT_INTENT_TYPES: Record<string, PartnerEventType> = {
  processing: 'payment_intent.processing',
  succeeded: 'payment_intent.succeeded',
  requires_payment_method: 'payment_intent.payment_failed',
  canceled: 'payment_intent.canceled',
  requires_action: 'payment_intent.requires_action',
};

/** The partner event type of a live event, or null when partners are not told about it. */
export function partnerEventTypeOf(event: PartnerEventSource): PartnerEventType | null {
  switch (event.kind) {
    case 'account.refreshed':
      return 'financial_account.refreshed';
    case 'account.updated': {
      // Notices partners are not offered (account numbers, payment method types) stay subscription-only.
      const type = event.type === 'created' ? 'financial_account.linked' : `financial_account.${event.type}`;
      return isPartnerEventType(type) ? type : null;
    }
    case 'payment_intent.updated':
      // A PaymentIntent back at requires_payment_method after processing is Stripe's payment_failed.
      return PAYMENT_INTENT_TYPES[event.status] ?? null;
    case TRANSACTIONS_UPDATED_KIND:
      return 'financial_account.transactions_updated';
    default:
      return null;
  }
}

/**
 * A stable id for one change, whichever source saw it (a Stripe delivery, its redelivery, the event catch-up, the
 * refresh poller, another instance): it is made of the change's own key, the one the live pipeline's completion
 * guard uses where there is one (a refresh's id, a payment's status), so two sources that report one change at
 * different times still name it alike. It is also the fan-out job's id: the change is fanned out once.
 */
export function partnerEventId(event: PartnerEventSource, type: PartnerEventType): string {
  return `wevt_${createHash('sha256')
    .update(`${type}|${changeKey(event)}`)
    .digest('hex')
    .slice(0, 24)}`;
}

function changeKey(event: PartnerEventSource): string {
  switch (event.kind) {
    case 'payment_intent.updated':
      return `pi:${event.paymentIntentId}:${event.status}`;
    case 'account.refreshed':
      return (
        (event.account && refreshCompletionKey(event.account, event.feature)) ??
        `refresh:${event.accountId}:${event.feature}:${event.occurredAt}`
      );
    case TRANSACTIONS_UPDATED_KIND:
      return `txnupd:${event.accountId}:${event.transactionRefreshId}`;
    default:
      // Status changes and notices: Stripe webhooks only, so the Stripe event's time names the change.
      return `${event.kind}:${(event as { accountId?: string }).accountId}:${event.occurredAt}`;
  }
}
