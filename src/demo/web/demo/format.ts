// Display helpers: money in minor units, timestamps, enum labels.
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
