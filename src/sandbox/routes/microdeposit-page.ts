// The hosted microdeposit verification page behind `next_action.verify_with_microdeposits.hosted_verification_url`
// (Stripe hosts it at payments.stripe.com/microdeposit/…): the customer types the two amounts or the
// descriptor code, with the same checks, attempt limit and outcome as verify_microdeposits.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { esc, layout, sendHtml } from '../auth-flow/html';
import { SandboxError } from '../errors';
import { newRequestId, type ApiRequest, type RouteContext } from '../router';
import type { StoredIntent } from '../store';
import { MICRODEPOSIT_TEST_VALUES as TEST } from '../microdeposits';
import type { MicrodepositVerifier } from './intents';

type Verifiers = Record<StoredIntent['object'], MicrodepositVerifier>;

function sendPage(
  reply: FastifyReply,
  status: number,
  step: string,
  title: string,
  body: string,
): FastifyReply {
  return sendHtml(reply.code(status), layout({ title, step, body }), "'none'");
}

function form(type: 'amounts' | 'descriptor_code', arrival: number, error?: string): string {
  const when = new Date(arrival * 1000).toISOString().slice(0, 10);
  const fields =
    type === 'amounts'
      ? `<p>Two small deposits from Stripe (statement descriptor ACCTVERIFY) arrive by ${esc(when)}. Enter both amounts, in cents.</p>
         <label>First amount (cents) <input name="amount_1" inputmode="numeric" pattern="[0-9]*" required data-testid="amount-1"></label>
         <label>Second amount (cents) <input name="amount_2" inputmode="numeric" pattern="[0-9]*" required data-testid="amount-2"></label>`
      : `<p>A $0.01 deposit from Stripe arrives by ${esc(when)}. Its statement descriptor starts with a 6-character code beginning with SM: enter it.</p>
         <label>Code <input name="descriptor_code" maxlength="6" placeholder="SM" required autocomplete="off" data-testid="descriptor-code"></label>`;
  // No real deposit is ever sent in the sandbox: the page names the test values (docs/stripe-facts.md §4).
  const values = (v: { amounts: readonly number[]; descriptorCode: string }) =>
    type === 'amounts'
      ? `<code>${v.amounts.join('</code> and <code>')}</code>`
      : `<code>${v.descriptorCode}</code>`;
  const hint = `<p class="muted small" data-testid="test-values">Sandbox: no deposit is sent. ${values(TEST.verified)}
    ${type === 'amounts' ? 'verify' : 'verifies'} the account; ${values(TEST.attemptsExceeded)} ends it as too many
    attempts; ${values(TEST.timeout)} as timed out; anything else is a wrong attempt.</p>`;
  return `<h1>Verify your bank account</h1>
    ${error ? `<p class="error" role="alert" data-testid="error">${esc(error)}</p>` : ''}
    <form method="post">
      ${fields}
      ${hint}
      <button type="submit" class="button button-primary" data-testid="verify">Verify</button>
    </form>`;
}

export function registerMicrodepositPage(
  http: FastifyInstance,
  ctx: RouteContext,
  verifiers: Verifiers,
): void {
  const { store } = ctx;
  const intentOf = (token: string): StoredIntent | undefined => {
    const id = store.microdepositTokens.get(token);
    if (!id) return undefined;
    return store.paymentIntents.get(id) ?? store.setupIntents.get(id);
  };
  const gone = (reply: FastifyReply) =>
    sendPage(
      reply,
      404,
      'gone',
      'Link expired',
      '<h1>This verification link is no longer active</h1><p>The bank account was verified, or its verification ended.</p>',
    );

  void http.register(async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 4_096 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );

    app.get<{ Params: { token: string } }>('/microdeposit/:token', async (request, reply) => {
      const intent = intentOf(request.params.token);
      const record = intent && store.microdeposits.get(intent.id);
      if (!intent || !record) return gone(reply);
      const arrival = (intent.next_action as { verify_with_microdeposits: { arrival_date: number } })
        .verify_with_microdeposits.arrival_date;
      return sendPage(reply, 200, 'verify', 'Verify your bank account', form(record.type, arrival));
    });

    app.post<{ Params: { token: string }; Body: Record<string, string> }>(
      '/microdeposit/:token',
      async (request, reply) => {
        const intent = intentOf(request.params.token);
        const record = intent && store.microdeposits.get(intent.id);
        if (!intent || !record) return gone(reply);
        const arrival = (intent.next_action as { verify_with_microdeposits: { arrival_date: number } })
          .verify_with_microdeposits.arrival_date;
        const body = request.body ?? {};
        const amount = (v: string | undefined) => (/^\d{1,4}$/.test(v ?? '') ? Number(v) : -1);
        const values =
          record.type === 'amounts'
            ? { amounts: [amount(body.amount_1), amount(body.amount_2)] }
            : { descriptor_code: String(body.descriptor_code ?? '').slice(0, 20) };
        const requestId = newRequestId();
        const apiRequest: ApiRequest = {
          params: {},
          pathParams: {},
          requestId,
          idempotencyKey: null,
          eventRequest: { id: requestId, idempotency_key: null },
          headers: request.headers,
        };
        try {
          verifiers[intent.object](intent, values, apiRequest);
        } catch (err) {
          if (!(err instanceof SandboxError)) throw err;
          // A wrong value below the limit: the form again, with Stripe's message (and the attempts left).
          if (store.microdeposits.has(intent.id))
            return sendPage(
              reply,
              400,
              'verify',
              'Verify your bank account',
              form(record.type, arrival, err.message),
            );
          return sendPage(
            reply,
            400,
            'failed',
            'Verification failed',
            `<h1>Verification failed</h1><p class="error" role="alert" data-testid="error">${esc(err.message)}</p>`,
          );
        }
        return sendPage(
          reply,
          200,
          'verified',
          'Bank account verified',
          '<h1>Bank account verified</h1><p data-testid="verified">Thank you: your bank account is verified. You can close this page.</p>',
        );
      },
    );
  });
}
