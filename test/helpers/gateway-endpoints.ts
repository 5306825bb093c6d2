// The Stripe endpoints the gateway calls: one list for the outbound-conformance run and the deploy page's permissions.
/**
 * The Stripe endpoints the gateway calls (src/services). test/integration/outbound-conformance.test.ts proves the run
 * reaches exactly these; test/unit/deploy-docs.test.ts proves the restricted-key permissions cover them.
 */
export const GATEWAY_ENDPOINTS: readonly string[] = [
  'POST /v1/customers',
  'GET /v1/customers/{customer}',
  'GET /v1/customers/search',
  'POST /v1/financial_connections/sessions',
  'GET /v1/financial_connections/sessions/{session}',
  'GET /v1/financial_connections/accounts',
  'GET /v1/financial_connections/accounts/{account}',
  'POST /v1/financial_connections/accounts/{account}/refresh',
  'POST /v1/financial_connections/accounts/{account}/disconnect',
  'POST /v1/financial_connections/accounts/{account}/subscribe',
  'POST /v1/financial_connections/accounts/{account}/unsubscribe',
  'GET /v1/financial_connections/accounts/{account}/owners',
  'GET /v1/financial_connections/transactions',
  'GET /v1/financial_connections/transactions/{transaction}',
  'POST /v1/payment_intents',
  'GET /v1/payment_intents',
  'GET /v1/payment_intents/{intent}',
  'POST /v1/payment_intents/{intent}/confirm',
  'POST /v1/payment_intents/{intent}/cancel',
  'POST /v1/setup_intents',
  'GET /v1/setup_intents/{intent}',
  'POST /v1/payment_intents/{intent}/verify_microdeposits',
  'POST /v1/setup_intents/{intent}/verify_microdeposits',
  'GET /v1/customers/{customer}/payment_methods',
  'GET /v1/payment_methods',
  'GET /v1/payment_methods/{payment_method}',
  'POST /v1/payment_methods/{payment_method}/detach',
  'GET /v1/mandates/{mandate}',
  'GET /v1/setup_intents',
  'POST /v1/webhook_endpoints',
  'DELETE /v1/webhook_endpoints/{webhook_endpoint}',
  'GET /v1/events',
];
