// Client idempotency keys → Stripe `Idempotency-Key`s that cannot collide across tenants or callers (services scope every key here).
import { createHash } from 'node:crypto';
import { badInput } from '../../platform/errors';
import type { Caller } from '../auth/auth';

/**
 * Why scoped: all partners share one Stripe secret key, and Stripe replays the stored response for a
 * repeated key. Sent unchanged, partner B reusing partner A's key would receive A's object (a session
 * with its client_secret, a payment). So the key sent is `gw_<hash(caller scope, operation, key)>`:
 * the same caller retrying the same operation gets Stripe's replay; nobody else ever can.
 * @throws BAD_USER_INPUT when the key is empty, longer than 200 characters or not printable ASCII.
 */
export function scopedIdempotencyKey(
  caller: Caller,
  operation: string,
  key: string,
  field = 'idempotencyKey',
) {
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw badInput(`${field} must be 1-200 printable ASCII characters without spaces.`, field);
  }
  const scope =
    caller.kind === 'partner' ? `p:${caller.partnerId}` : `c:${caller.partnerId}:${caller.customerId}`;
  const digest = createHash('sha256').update(`${scope}\n${operation}\n${key}`).digest('base64url');
  return `gw_${digest}`;
}

/** Stripe request options for an optional client key: the scoped key, or none when the client sent none. */
export function idempotencyOptions(
  caller: Caller,
  operation: string,
  key: string | null | undefined,
): { idempotencyKey?: string } {
  return key ? { idempotencyKey: scopedIdempotencyKey(caller, operation, key) } : {};
}
