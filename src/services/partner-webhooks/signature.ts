// Signing partner deliveries per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature), the endpoint
// secrets in that specification's `whsec_<base64>` form, and the deprecated Gateway-Signature header.
import { createHmac, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * The deprecated header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the secret string>`.
 * Why still sent: partners that verify it keep working while they move to the Standard Webhooks headers (one more
 * HMAC per attempt); docs/partner-webhooks.md says it is deprecated and that it will be removed.
 */
export const LEGACY_SIGNATURE_HEADER = 'Gateway-Signature';

/**
 * A new endpoint signing secret: `whsec_` and 32 random bytes in base64, the form Standard Webhooks libraries take
 * as is (and `whsec_` as Stripe's, so secret scanners and our log scrubbing know it).
 */
export const newSigningSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/**
 * The secret as the Standard Webhooks libraries read it. Secrets made before the gateway signed per Standard Webhooks
 * are base64url (`-`, `_`, no padding); the same bytes in base64 are the key that signs for them (docs/partner-webhooks.md
 * tells those partners to rotate, or to convert their copy the same way).
 */
export function standardSecret(secret: string): string {
  const body = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  if (!/[-_]/.test(body) && body.length % 4 === 0) return `whsec_${body}`;
  return `whsec_${Buffer.from(body, 'base64url').toString('base64')}`;
}

/** The Standard Webhooks headers of one attempt. */
export interface StandardWebhookHeaders {
  /** The event id: the same on every retry and redelivery, so the receiver de-duplicates on it. */
  'webhook-id': string;
  /** The attempt's time, unix seconds (receivers refuse one more than 5 minutes off). */
  'webhook-timestamp': string;
  /** `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, one per live secret, space-separated. */
  'webhook-signature': string;
}

/**
 * Signs one attempt with the `standardwebhooks` library (no HMAC of our own to get wrong).
 * @param secrets the current secret first, then a rotated-out one still in its grace period: one `v1,` signature per
 *   secret, so a receiver holding either verifies.
 * @throws Error when a secret is not base64 after `whsec_` (a store holding something else is a bug).
 */
export function standardWebhookHeaders(
  msgId: string,
  body: string,
  secrets: readonly string[],
  unixSeconds: number,
): StandardWebhookHeaders {
  const at = new Date(unixSeconds * 1000);
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(unixSeconds),
    'webhook-signature': secrets.map((s) => new Webhook(standardSecret(s)).sign(msgId, at, body)).join(' '),
  };
}

/** The deprecated {@link LEGACY_SIGNATURE_HEADER} value, one `v1` per live secret (as before Standard Webhooks). */
export function legacySignatureHeader(body: string, secrets: readonly string[], unixSeconds: number): string {
  const t = String(unixSeconds);
  const v1 = secrets.map((s) => `v1=${createHmac('sha256', s).update(`${t}.${body}`).digest('hex')}`);
  return [`t=${t}`, ...v1].join(',');
}
