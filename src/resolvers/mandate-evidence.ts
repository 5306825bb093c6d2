// Whose acceptance evidence a mandate carries: the request's own (client address under TRUST_PROXY, User-Agent), or
// the end user's as a partner's server passes it on. The rules the evidence must pass are the domain's
// (services/domain/mandate-evidence.ts), checked before anything is sent upstream.
import type { GatewayContext } from '../context';
import { forbidden } from '../platform/errors';
import { checkMandateEvidence, type MandateAcceptance } from '../services/domain/mandate-evidence';
import { MandateEvidence, MandateEvidenceSource, type MandateInput } from './mandate.input';
import { fromUnix, toUnix } from './scalars';

export interface ChosenMandateEvidence {
  acceptance: MandateAcceptance;
  evidence: MandateEvidence;
}

/**
 * The evidence to send. A customer-token caller is the end user's own browser: its request is the evidence, and
 * it may not claim another (FORBIDDEN). A partner may pass the end user's (BAD_USER_INPUT on `mandate.*` when it
 * breaks a rule), else its own request is used.
 * @param acceptedAt a time named outside `mandate` (confirmPaymentIntent's `mandateAcceptedAt`), and its field.
 * @param defaultToNow send now when no time is named (confirmPaymentIntent); otherwise Stripe's receipt time.
 */
export function chooseMandateEvidence(
  ctx: GatewayContext,
  input: MandateInput | null | undefined,
  {
    acceptedAt,
    defaultToNow = false,
  }: { acceptedAt?: { at: Date; field: string }; defaultToNow?: boolean } = {},
): ChosenMandateEvidence {
  if (input && ctx.caller.kind !== 'partner') {
    throw forbidden(
      "A customer token cannot set mandate evidence: its own request's address and User-Agent are.",
    );
  }
  const named =
    input?.acceptedAt != null
      ? { at: input.acceptedAt, field: 'mandate.acceptedAt' }
      : (acceptedAt ?? undefined);
  const source = input ? MandateEvidenceSource.PARTNER : MandateEvidenceSource.REQUEST;
  const acceptance = checkMandateEvidence(
    {
      source: input ? 'partner' : 'request',
      ipAddress: input ? input.ipAddress : ctx.clientIp,
      userAgent: input ? input.userAgent : ctx.userAgent,
      acceptedAt: named && { at: toUnix(named.at), field: named.field },
    },
    { defaultToNow },
  );
  // Mandate evidence is kept for disputes: say in the log which evidence went out (addresses are not secrets).
  ctx.log.info(
    {
      mandateEvidence: source,
      ipAddress: acceptance.ipAddress,
      userAgent: acceptance.userAgent.slice(0, 200),
    },
    'mandate evidence chosen',
  );
  const evidence = Object.assign(new MandateEvidence(), {
    source,
    ipAddress: acceptance.ipAddress,
    userAgent: acceptance.userAgent,
    acceptedAt: acceptance.acceptedAt !== undefined ? fromUnix(acceptance.acceptedAt) : null,
  });
  return { acceptance, evidence };
}
