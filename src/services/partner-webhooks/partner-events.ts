// Partner webhook events: their types, the body partners receive, and which live event becomes which type.
import { createHash } from 'node:crypto';
import type { LiveEvent } from '../live/live-events';

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
 * A stable id for one change: the same live event seen by two instances (or twice) gets the same id,
 * which is also the job id that makes its fan-out happen once.
 */
export function partnerEventId(event: PartnerEventSource, type: PartnerEventType): string {
  const e = event as unknown as Record<string, unknown>;
  const parts = [
    type,
    e.accountId ?? e.paymentIntentId ?? '',
    e.feature ?? '',
    e.status ?? '',
    e.occurredAt ?? '',
  ].map(String);
  return `wevt_${createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 24)}`;
}
