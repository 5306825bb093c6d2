// Notices an institution sends about a linked account after linking (reauthentication due, tokenized account numbers
// replaced or about to expire, payment method types changed): the account change and its event, shared by the
// templates' scheduled lifecycle (linking.ts) and the sandbox-only test helpers (routes/trigger-helpers.ts).
import { renderAccount } from './render';
import type { FcAccountRecord, Store } from './store';
import type { FcAccount } from './types';

const DAY = 86_400;

type EventRequest = { id: string | null; idempotency_key: string | null };
type AccountRecord = FcAccountRecord & { id: string };

/** The institution will deactivate the account (reauthentication due): account and authorization notices. */
export function announceUpcomingDeactivation(store: Store, rec: AccountRecord, request?: EventRequest): void {
  store.emit('financial_connections.account.upcoming_deactivation', renderAccount(store, rec.id)!, request);
  store.emit(
    'financial_connections.authorization.upcoming_deactivation',
    {
      id: `fcauth_${rec.id.slice(4)}`,
      object: 'financial_connections.authorization',
      institution_name: rec.account.institution_name,
      livemode: false,
      status: 'active',
      status_details: {
        active: {
          action: 'relink_required',
          expected_deactivation_date: rec.account.status_details.active?.expected_deactivation_date,
        },
      },
    },
    request,
  );
}

/** The institution replaced the account's tokenized numbers: the current ones are deactivated. */
export function updateAccountNumbers(store: Store, rec: AccountRecord, request?: EventRequest): void {
  if (rec.account.account_numbers)
    rec.account.account_numbers = rec.account.account_numbers.map((n) => ({ ...n, status: 'deactivated' }));
  store.emit('financial_connections.account.account_numbers_updated', renderAccount(store, rec.id)!, request);
}

/** The account's numbers that can expire: tokenized ones still usable for payments. */
export const expiringNumbers = (account: FcAccount) =>
  (account.account_numbers ?? []).filter(
    (n) => n.identifier_type === 'tokenized_account_number' && n.status === 'transactable',
  );

/**
 * The institution will expire the account's tokenized numbers (Stripe's `account_numbers[].expected_expiry_date`):
 * each transactable one expires at `expiresAt`, or keeps the future date it has (30 days ahead when it has none).
 * Plain account numbers never expire and are left as they are.
 */
export function announceAccountNumberExpiry(
  store: Store,
  rec: AccountRecord,
  request?: EventRequest,
  expiresAt?: number,
): void {
  const now = store.clock.now();
  for (const n of expiringNumbers(rec.account)) {
    if (expiresAt !== undefined) n.expected_expiry_date = expiresAt;
    else if (n.expected_expiry_date === null || n.expected_expiry_date <= now)
      n.expected_expiry_date = now + 30 * DAY;
  }
  store.emit(
    'financial_connections.account.upcoming_account_number_expiry',
    renderAccount(store, rec.id)!,
    request,
  );
}

/**
 * The PaymentMethod types that can be created from the account changed (e.g. the institution stopped allowing ACH
 * debits from it); `previous_attributes` carries the old list, as Stripe's `*.updated`-style events do.
 */
export function setSupportedPaymentMethodTypes(
  store: Store,
  rec: AccountRecord,
  types: FcAccount['supported_payment_method_types'],
  request?: EventRequest,
): void {
  const previous = [...rec.account.supported_payment_method_types];
  rec.account.supported_payment_method_types = [...types];
  store.emit(
    'financial_connections.account.supported_payment_method_types_updated',
    renderAccount(store, rec.id)!,
    request,
    { supported_payment_method_types: previous },
  );
}
