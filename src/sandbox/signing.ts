// Webhook signatures in Stripe's format: `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "t.body")>`,
// which stripe.webhooks.constructEvent verifies (docs.stripe.com/webhooks#verify-manually).
import { createHmac, randomBytes } from 'node:crypto';

/** A new endpoint secret: `whsec_` + 32 random bytes, base64url (never derived from the seed). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** The header value for `payload` signed at `timestamp` (unix seconds) with each active secret. */
export function signatureHeader(payload: string, secrets: string[], timestamp: number): string {
  const parts = [`t=${timestamp}`];
  for (const secret of secrets) {
    parts.push(`v1=${createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex')}`);
  }
  return parts.join(',');
}
