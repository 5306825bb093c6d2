// Display helpers: money in minor units, timestamps, enum labels, and names people read instead of ids.
export function money(m: { amount: number; currency: string } | undefined | null): string {
  if (!m) return '—';
  const currency = m.currency.toUpperCase();
  const digits =
    new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
    2;
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(m.amount / 10 ** digits);
}

export function time(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'medium' });
}

export function day(iso: string): string {
  return new Date(iso).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric' });
}

/** CHECKING → Checking, REQUIRES_PAYMENT_METHOD → Requires payment method. */
export function label(value: string): string {
  const s = value.replace(/_/g, ' ').toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * How an account is named on the page: institution, nickname, type and last4 ("Bank (Non-OAuth) Always Processing
 * (Checking) •••• 0009"), never its fca_ id. Why all four: several linked accounts can share a last4 or a nickname.
 */
export function accountName(a: {
  institutionName?: string | null;
  displayName?: string | null;
  subcategory?: string | null;
  last4?: string | null;
}): string {
  const type = a.subcategory && a.subcategory !== 'OTHER' ? label(a.subcategory) : '';
  const showType = type && !(a.displayName ?? '').toLowerCase().includes(type.toLowerCase());
  const name =
    [a.institutionName, a.displayName ?? (type || null)].filter(Boolean).join(' ') +
    (showType && a.displayName ? ` (${type})` : '');
  return a.last4 ? `${name || 'Your account'} •••• ${a.last4}` : name || 'Your account';
}

/**
 * A payment's status in plain words. Stripe puts a payment whose debit failed back to `requires_payment_method`
 * (with `last_payment_error`): to the payer that is "Failed".
 */
export function paymentStatusLabel(p: {
  status: string;
  lastPaymentError?: { message?: string | null } | null;
}): {
  text: string;
  tone: 'pending' | 'succeeded' | 'failed' | 'canceled';
} {
  switch (p.status) {
    case 'REQUIRES_PAYMENT_METHOD':
      return p.lastPaymentError
        ? { text: 'Failed', tone: 'failed' }
        : { text: 'Needs a bank account', tone: 'pending' };
    case 'REQUIRES_CONFIRMATION':
      return { text: 'Waiting for your authorization', tone: 'pending' };
    case 'REQUIRES_ACTION':
      return { text: 'Needs verification', tone: 'pending' };
    case 'PROCESSING':
      return { text: 'Processing', tone: 'pending' };
    case 'REQUIRES_CAPTURE':
      return { text: 'Authorized', tone: 'pending' };
    case 'SUCCEEDED':
      return { text: 'Succeeded', tone: 'succeeded' };
    case 'CANCELED':
      return { text: 'Cancelled', tone: 'canceled' };
    default:
      return { text: label(p.status), tone: 'pending' };
  }
}
