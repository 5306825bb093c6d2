// Whose acceptance evidence a mandate carries: the request's own (client address under TRUST_PROXY, User-Agent), or
// the end user's as a partner's server passes it on. Checked before anything is sent upstream.
import { isIP } from 'node:net';
import type { GatewayContext } from '../context';
import { badInput, forbidden } from '../platform/errors';
import type { MandateAcceptance } from '../services/domain/ach-debit';
import { MandateEvidence, MandateEvidenceSource, type MandateInput } from './mandate.input';
import { mandateAcceptedAt } from './payment-intent.validation';
import { fromUnix } from './scalars';

/** A browser User-Agent is far shorter; Stripe accepts up to 5000 characters. */
const MAX_USER_AGENT_LENGTH = 512;

export interface ChosenMandateEvidence {
  acceptance: MandateAcceptance;
  evidence: MandateEvidence;
}

/**
 * The evidence to send. A customer-token caller is the end user's own browser: its request is the evidence, and
 * it may not claim another (FORBIDDEN). A partner may pass the end user's (BAD_USER_INPUT on `mandate.*` when
 * malformed), else its own request is used.
 * @param defaultAcceptedAt unix seconds used when the evidence names no time (undefined: Stripe's receipt time).
 */
export function chooseMandateEvidence(
  ctx: GatewayContext,
  input: MandateInput | null | undefined,
  defaultAcceptedAt?: number,
): ChosenMandateEvidence {
  let source: MandateEvidenceSource;
  let acceptance: MandateAcceptance;
  if (input) {
    if (ctx.caller.kind !== 'partner') {
      throw forbidden(
        "A customer token cannot set mandate evidence: its own request's address and User-Agent are.",
      );
    }
    if (isIP(input.ipAddress) === 0) {
      throw badInput('mandate.ipAddress must be an IPv4 or IPv6 address.', 'mandate.ipAddress');
    }
    const userAgent = input.userAgent.trim();
    if (!userAgent || userAgent.length > MAX_USER_AGENT_LENGTH) {
      throw badInput(
        `mandate.userAgent must be 1 to ${MAX_USER_AGENT_LENGTH} characters.`,
        'mandate.userAgent',
      );
    }
    const acceptedAt =
      input.acceptedAt != null
        ? mandateAcceptedAt(input.acceptedAt, new Date(), 'mandate.acceptedAt')
        : defaultAcceptedAt;
    source = MandateEvidenceSource.PARTNER;
    acceptance = { ipAddress: input.ipAddress, userAgent, acceptedAt };
  } else {
    source = MandateEvidenceSource.REQUEST;
    acceptance = { ipAddress: ctx.clientIp, userAgent: ctx.userAgent, acceptedAt: defaultAcceptedAt };
  }
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
