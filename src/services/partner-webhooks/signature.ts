// The Gateway-Signature header: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>"> per live secret.
import { createHmac, randomBytes } from 'node:crypto';

export const SIGNATURE_HEADER = 'Gateway-Signature';

/** A new endpoint signing secret (`whsec_` like Stripe's, so secret scanners and our log checks know it). */
export const newSigningSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/**
 * @param secrets the current secret first, then a rotated-out one still in its grace period: one
 *   `v1` per secret, so a receiver holding either verifies.
 */
export function signatureHeader(body: string, secrets: string[], unixSeconds: number): string {
  const t = String(unixSeconds);
  const v1 = secrets.map((s) => `v1=${createHmac('sha256', s).update(`${t}.${body}`).digest('hex')}`);
  return [`t=${t}`, ...v1].join(',');
}
