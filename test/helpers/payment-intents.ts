// A PaymentIntent created and confirmed through the gateway (partner credentials), for live-update and follow-up tests.
import type { StartedGateway } from './gateway';
import { gql, ok } from './gql';

/** Creates an ACH PaymentIntent of `customerId` from `accountId`; @returns its id. */
export async function createPayment(
  gw: StartedGateway,
  token: string,
  input: { customerId: string; accountId: string; idempotencyKey: string; amount?: number },
): Promise<string> {
  const created = ok(
    await gql<{ createPaymentIntent: { paymentIntent: { id: string } } }>(
      gw.graphqlUrl,
      `mutation($i: CreatePaymentIntentInput!) { createPaymentIntent(input: $i) { paymentIntent { id } } }`,
      {
        i: {
          customerId: input.customerId,
          financialAccountId: input.accountId,
          amount: input.amount ?? 2_500,
          currency: 'usd',
          billingName: 'Follow Up',
          idempotencyKey: input.idempotencyKey,
        },
      },
      { token },
    ),
  );
  return created.createPaymentIntent.paymentIntent.id;
}

/** Confirms `paymentIntentId` with the request's own mandate evidence; @returns the status it answered. */
export async function confirmPayment(
  gw: StartedGateway,
  token: string,
  paymentIntentId: string,
): Promise<string> {
  const confirmed = ok(
    await gql<{ confirmPaymentIntent: { paymentIntent: { status: string } } }>(
      gw.graphqlUrl,
      'mutation($i: ConfirmPaymentIntentInput!) { confirmPaymentIntent(input: $i) { paymentIntent { status } } }',
      { i: { paymentIntentId } },
      { token },
    ),
  );
  return confirmed.confirmPaymentIntent.paymentIntent.status;
}
