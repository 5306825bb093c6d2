// The rules ACH mandate acceptance evidence must pass, for every mutation that sends it (confirmPaymentIntent,
// createSetupIntent), and the `mandate_data` Stripe receives once it has: docs/recurring-payments.md, Mandate evidence.
import { isIP } from 'node:net';
import { badInput } from '../../platform/errors';

/**
 * How long before it is sent an acceptance may have been given. Why a bound at all: the evidence is the partner's
 * legal record of the end user's consent, given on the page that sends it; an older time is a replayed or made-up
 * one, and a saved (multi-use) mandate with a false date authorizes every later off-session debit.
 */
export const MANDATE_MAX_AGE_SECONDS = 24 * 3600;
/** Clock skew tolerated for an acceptance time ahead of ours. */
export const MANDATE_FUTURE_SKEW_SECONDS = 300;
/** Clock skew tolerated between the client's clock and Stripe's `created` of the intent being confirmed. */
export const MANDATE_CREATED_SKEW_SECONDS = 60;
/** A browser User-Agent is far shorter; Stripe accepts up to 5000 characters. */
export const MAX_USER_AGENT_LENGTH = 512;
/** What of a request's own User-Agent is sent (it is not bounded like a partner's: the browser chose it). */
const SENT_USER_AGENT_LENGTH = 500;

declare const checked: unique symbol;

/**
 * Evidence that passed {@link checkMandateEvidence}: the only way to get one, so a service cannot send unchecked
 * evidence to Stripe.
 */
export interface MandateAcceptance {
  readonly ipAddress: string;
  readonly userAgent: string;
  /** Unix seconds; omitted, Stripe records the time it receives the request. */
  readonly acceptedAt?: number;
  /** The input field that named `acceptedAt`, which a later refusal names (`extensions.field`). */
  readonly acceptedAtField: string;
  readonly [checked]: true;
}

/** The evidence as the mutation received it. */
export interface MandateEvidenceInput {
  /**
   * `request`: the calling request's own address and User-Agent (the end user's browser calls). `partner`: the end
   * user's, passed on by a partner's server in the `mandate` input (fields `mandate.*`).
   */
  source: 'request' | 'partner';
  ipAddress: string;
  userAgent: string;
  /** A time the client named (unix seconds), and the input field it came in. */
  acceptedAt?: { at: number; field: string };
}

/** Options of {@link checkMandateEvidence}. */
export interface MandateEvidenceOptions {
  /** Unix seconds; @default the clock now. */
  now?: number;
  /**
   * Send `now` when the client named no time. Why not always: createSetupIntent carries a client idempotency key,
   * and a time taken now would differ on every honest retry (Stripe then answers IDEMPOTENCY_CONFLICT).
   * @default false (Stripe records the time it receives the request)
   */
  defaultToNow?: boolean;
}

const unixNow = () => Math.floor(Date.now() / 1000);

/**
 * Checks evidence before anything is sent upstream:
 * - a partner's `mandate.ipAddress` is an IPv4 or IPv6 literal, its `mandate.userAgent` 1 to 512 characters;
 * - the request's own evidence has an address and a User-Agent (Stripe requires both for online acceptance);
 * - a named acceptance time is not in the future beyond {@link MANDATE_FUTURE_SKEW_SECONDS}, nor more than
 *   {@link MANDATE_MAX_AGE_SECONDS} ago ({@link onlineMandateData} adds the intent's creation when there is one).
 * @throws BAD_USER_INPUT naming the field (`mandate.ipAddress`, `mandate.userAgent`, or the time's field).
 */
export function checkMandateEvidence(
  input: MandateEvidenceInput,
  options: MandateEvidenceOptions = {},
): MandateAcceptance {
  const now = options.now ?? unixNow();
  const { ipAddress } = input;
  let { userAgent } = input;
  if (input.source === 'partner') {
    if (isIP(ipAddress) === 0) {
      throw badInput('mandate.ipAddress must be an IPv4 or IPv6 address.', 'mandate.ipAddress');
    }
    userAgent = userAgent.trim();
    if (!userAgent || userAgent.length > MAX_USER_AGENT_LENGTH) {
      throw badInput(
        `mandate.userAgent must be 1 to ${MAX_USER_AGENT_LENGTH} characters.`,
        'mandate.userAgent',
      );
    }
  } else {
    if (!userAgent.trim()) {
      throw badInput(
        'Accepting an ACH mandate online needs the User-Agent header of the end user’s request.',
      );
    }
    if (!ipAddress) {
      throw badInput('The client IP address of this request is unknown; cannot accept a mandate.');
    }
  }
  const named = input.acceptedAt;
  if (named) checkAcceptedAt(named.at, named.field, now);
  const acceptedAt = named?.at ?? (options.defaultToNow ? now : undefined);
  const acceptedAtField =
    named?.field ?? (input.source === 'partner' ? 'mandate.acceptedAt' : 'mandateAcceptedAt');
  return { ipAddress, userAgent, acceptedAt, acceptedAtField } as MandateAcceptance;
}

/**
 * The time rules, with `notBefore` the earliest time the intent allows (its `created` less the skew).
 * @throws BAD_USER_INPUT on `field` when the time breaks one.
 */
function checkAcceptedAt(at: number, field: string, now: number, notBefore?: number): void {
  if (at > now + MANDATE_FUTURE_SKEW_SECONDS) throw badInput(`${field} cannot be in the future.`, field);
  if (at < now - MANDATE_MAX_AGE_SECONDS) {
    throw badInput(`${field} cannot be more than 24 hours ago.`, field);
  }
  if (notBefore !== undefined && at < notBefore) {
    throw badInput(`${field} cannot be before the payment was created.`, field);
  }
}

/**
 * `mandate_data[customer_acceptance]` of type online (docs/stripe-facts.md §6: ip_address and user_agent).
 * @param intentCreated the `created` (unix seconds) of the intent being confirmed, when it existed before this
 *   request: an acceptance may not precede it (beyond {@link MANDATE_CREATED_SKEW_SECONDS}). Absent for an intent
 *   this request creates.
 * @throws BAD_USER_INPUT on the acceptance time's field when it is before the intent was created, or has aged out of
 *   the window since it was checked.
 */
export function onlineMandateData(m: MandateAcceptance, intentCreated?: number, now = unixNow()) {
  if (m.acceptedAt !== undefined) {
    const notBefore = intentCreated !== undefined ? intentCreated - MANDATE_CREATED_SKEW_SECONDS : undefined;
    checkAcceptedAt(m.acceptedAt, m.acceptedAtField, now, notBefore);
  }
  return {
    customer_acceptance: {
      type: 'online' as const,
      ...(m.acceptedAt !== undefined ? { accepted_at: m.acceptedAt } : {}),
      online: { ip_address: m.ipAddress, user_agent: m.userAgent.slice(0, SENT_USER_AGENT_LENGTH) },
    },
  };
}
