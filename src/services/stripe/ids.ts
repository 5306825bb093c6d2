// Stripe id validation at the edge: an id is only ever sent to Stripe after it matches its prefix's shape.
import { badInput } from '../../platform/errors';

/**
 * Why: ids are interpolated into Stripe URL paths by stripe-node. Accepting only
 * `<prefix>_<alphanumerics>` shuts out path traversal (`fca_1/../x`), query
 * injection (`?expand[]=`), CRLF and oversized values (docs/security-catalogue.md IN4).
 */
export const STRIPE_ID_PREFIXES = {
  customer: ['cus'],
  customerAccount: ['acct'],
  session: ['fcsess'],
  financialAccount: ['fca'],
  ownership: ['fcaowns'],
  owner: ['fcaown'],
  transaction: ['fctxn'],
  paymentIntent: ['pi'],
  setupIntent: ['seti'],
  paymentMethod: ['pm'],
  mandate: ['mandate'],
} as const;

const ID_BODY = /^[A-Za-z0-9]{1,64}$/;

/** The prefix of a well-formed Stripe id (`fca` of `fca_123`), or null when malformed. */
export function idPrefix(id: string): string | null {
  const sep = id.indexOf('_');
  if (sep <= 0 || id.length > 80) return null;
  const prefix = id.slice(0, sep);
  return /^[a-z]{2,8}$/.test(prefix) && ID_BODY.test(id.slice(sep + 1)) ? prefix : null;
}

/**
 * Returns `id` when it is a well-formed Stripe id with one of `prefixes`.
 * @throws BAD_USER_INPUT naming `field` otherwise (the value is not echoed: it may be 10 KB of anything).
 */
export function requireId(id: string, prefixes: readonly string[], field: string): string {
  const prefix = idPrefix(id);
  if (!prefix || !prefixes.includes(prefix)) {
    throw badInput(
      `${field} must be a Stripe id starting with ${prefixes.map((p) => `${p}_`).join(' or ')}.`,
      field,
    );
  }
  return id;
}
