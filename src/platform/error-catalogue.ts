// Every `extensions.code` and `extensions.reason` a client can see, with its HTTP status and retry rule: the one source
// of docs/errors.md (`npm run docs`, src/docs/pages.ts; CI fails when the page is stale).
import { ErrorCode, ErrorReason } from './errors';

/** Codes the transport (Apollo Server, graphql-js, our HTTP guards) answers with besides the contract's ErrorCode. */
export enum TransportErrorCode {
  BAD_REQUEST = 'BAD_REQUEST',
  GRAPHQL_PARSE_FAILED = 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED',
  OPERATION_RESOLUTION_FAILURE = 'OPERATION_RESOLUTION_FAILURE',
  PERSISTED_QUERY_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_NOT_SUPPORTED = 'PERSISTED_QUERY_NOT_SUPPORTED',
  INTROSPECTION_DISABLED = 'INTROSPECTION_DISABLED',
}

/** `extensions` keys besides `code`, and what each carries. */
export const EXTENSION_KEYS = {
  requestId: 'Correlates the error with the gateway logs; on every error. Quote it when reporting a problem.',
  reason: 'What exactly went wrong under the code, for a client to act on (see [Reasons](#reasons)).',
  field: 'The input field (or argument) the error is about, e.g. `paymentMethodId`.',
  limit:
    'Which query limit was exceeded: `tokens`, `depth`, `aliases`, `directives`, `cost`, `stripeCalls`, `length` or `selections`.',
  max: 'The limit\u2019s value (or, for `RATE_LIMITED` on a WebSocket, the operations allowed on one socket).',
  estimate: 'What the operation was found to need, in the limit\u2019s unit (cost, Stripe calls).',
  retryAfter: 'Seconds to wait before retrying (HTTP also sends `Retry-After`).',
  'stripe.type':
    'Stripe\u2019s error type (`invalid_request_error`, `api_error`, `card_error`, …), when safe to show.',
  'stripe.code': 'Stripe\u2019s error code (https://docs.stripe.com/error-codes), when safe to show.',
  'stripe.param': 'The Stripe parameter Stripe rejected.',
  'stripe.declineCode': 'The bank\u2019s decline code of a declined payment.',
  permission: 'The Financial Connections data permission that was not granted (`balances`, `ownership`, …).',
  feature: 'The refresh feature that is unavailable (`BALANCE`, `OWNERSHIP`, `TRANSACTIONS`).',
  nextRefreshAvailableAt:
    'When Stripe allows the next refresh of that feature (ISO-8601), or null while one runs.',
  blockReason: 'Stripe\u2019s reason a bank account is blocked from debits (`PAYMENT_METHOD_BLOCKED`).',
} as const;

export type ExtensionKey = keyof typeof EXTENSION_KEYS;

/** Whether and when a client should send the same request again. */
export type RetryRule =
  | 'no' // the request must change first (or the caller's credentials)
  | 'after retryAfter' // the same request, once `retryAfter` seconds have passed
  | 'with backoff' // the same request, with exponential backoff
  | 'later'; // a later attempt may succeed (state on Stripe's side must change first)

export interface CodeEntry {
  code: ErrorCode | TransportErrorCode;
  /** HTTP status of an answer whose errors carry this code (GraphQL over HTTP; graphql-ws has no status). */
  httpStatus: string;
  retry: RetryRule;
  description: string;
  /** Extension keys this code may carry besides `code` and `requestId`. */
  extensions: readonly ExtensionKey[];
}

export interface ReasonEntry {
  reason: ErrorReason;
  code: ErrorCode;
  retry: RetryRule;
  description: string;
}

const STRIPE = ['stripe.type', 'stripe.code', 'stripe.param'] as const;

/** Every code, in the order a client meets them (admission first, then execution, then Stripe). */
export const ERROR_CODES: readonly CodeEntry[] = [
  {
    code: ErrorCode.UNAUTHENTICATED,
    httpStatus: '401',
    retry: 'no',
    description:
      'No valid `Authorization: Bearer` credential (partner API key or customer token). With `reason: TOKEN_EXPIRED` the customer token was valid but has expired: fetch a new one from the partner backend and retry.',
    extensions: ['reason'],
  },
  {
    code: ErrorCode.RATE_LIMITED,
    httpStatus: '429',
    retry: 'after retryAfter',
    description:
      'The caller\u2019s operation budget (`RATE_LIMIT_PER_MINUTE`) or the address\u2019s failed-authentication budget is spent. On a WebSocket also: more operations on one socket than allowed (`max`; no `retryAfter`, finish one first).',
    extensions: ['retryAfter', 'max'],
  },
  {
    code: TransportErrorCode.BAD_REQUEST,
    httpStatus: '400 (405 for a mutation over GET, 413 body too large, 415 content type)',
    retry: 'no',
    description:
      'The HTTP request is not a GraphQL request the gateway takes: malformed body, a subscription over HTTP (use graphql-ws), a mutation over GET, or a GET without `Authorization` and without `apollo-require-preflight` / `x-apollo-operation-name` (CSRF prevention).',
    extensions: [],
  },
  {
    code: TransportErrorCode.GRAPHQL_PARSE_FAILED,
    httpStatus:
      '400 (200 when `Accept` names `application/json` and the answer is `application/json`, per GraphQL over HTTP)',
    retry: 'no',
    description: 'The query text is not valid GraphQL syntax.',
    extensions: [],
  },
  {
    code: TransportErrorCode.GRAPHQL_VALIDATION_FAILED,
    httpStatus:
      '400 (200 when `Accept` names `application/json` and the answer is `application/json`, per GraphQL over HTTP)',
    retry: 'no',
    description:
      'The query does not validate against the schema (unknown field, wrong argument type, …). The schema is schema/schema.graphql.',
    extensions: [],
  },
  {
    code: TransportErrorCode.OPERATION_RESOLUTION_FAILURE,
    httpStatus: '400',
    retry: 'no',
    description:
      'The document has several operations and `operationName` does not name one of them (or is missing).',
    extensions: [],
  },
  {
    code: TransportErrorCode.PERSISTED_QUERY_NOT_FOUND,
    httpStatus: '200',
    retry: 'no',
    description:
      'Automatic persisted queries: the hash is not known (yet). Send the request again with the query text and the hash; Apollo Client\u2019s and urql\u2019s persisted-query links do this themselves.',
    extensions: [],
  },
  {
    code: TransportErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
    httpStatus: '200',
    retry: 'no',
    description: 'Persisted queries are not supported on this path: send the query text.',
    extensions: [],
  },
  {
    code: TransportErrorCode.INTROSPECTION_DISABLED,
    httpStatus: '400',
    retry: 'no',
    description: 'Introspection is off in production. Generate clients from schema/schema.graphql instead.',
    extensions: [],
  },
  {
    code: ErrorCode.QUERY_TOO_COMPLEX,
    httpStatus: '400',
    retry: 'no',
    description:
      'The operation is over one of the query limits (`limit`): ask for smaller pages (`first`), fewer nested connections or aliases.',
    extensions: ['limit', 'max', 'estimate'],
  },
  {
    code: ErrorCode.BAD_USER_INPUT,
    httpStatus:
      '200 (400 when variables do not match their declared types; then 200 when `Accept` names `application/json` and the answer is `application/json`)',
    retry: 'no',
    description:
      'An argument or input field is invalid, or Stripe rejected a parameter. `field` names it; `reason` says why when the input is well-formed but the object is not in a state that allows the operation.',
    extensions: ['field', 'reason', ...STRIPE, 'blockReason'],
  },
  {
    code: ErrorCode.FORBIDDEN,
    httpStatus: '200',
    retry: 'no',
    description:
      'The caller is authenticated but may not do this (e.g. a customer token calling a partner-only mutation).',
    extensions: [],
  },
  {
    code: ErrorCode.NOT_FOUND,
    httpStatus: '200',
    retry: 'no',
    description:
      'No such object for this caller. An object of another partner or customer answers exactly like one that does not exist.',
    extensions: [...STRIPE],
  },
  {
    code: ErrorCode.PERMISSION_NOT_GRANTED,
    httpStatus: '200',
    retry: 'no',
    description:
      'The Financial Connections data permission this field needs was not granted when the account was linked; link it again with that permission.',
    extensions: ['permission', ...STRIPE],
  },
  {
    code: ErrorCode.REFRESH_UNAVAILABLE,
    httpStatus: '200',
    retry: 'later',
    description:
      'A refresh cannot start now: one is still running, Stripe allows the next one later (`nextRefreshAvailableAt`), or the account is inactive or disconnected.',
    extensions: ['field', 'feature', 'nextRefreshAvailableAt', ...STRIPE],
  },
  {
    code: ErrorCode.IDEMPOTENCY_CONFLICT,
    httpStatus: '200',
    retry: 'no',
    description:
      'This `idempotencyKey` was already used with different parameters. Use a new key for a new request.',
    extensions: [...STRIPE],
  },
  {
    code: ErrorCode.UPSTREAM_RATE_LIMITED,
    httpStatus: '200',
    retry: 'after retryAfter',
    description:
      'Stripe is rate limiting the gateway, or this partner is over its share of the Stripe request budget (`retryAfter`). Without `retryAfter`, retry with backoff.',
    extensions: ['retryAfter', ...STRIPE],
  },
  {
    code: ErrorCode.UPSTREAM_UNAVAILABLE,
    httpStatus: '200',
    retry: 'with backoff',
    description: 'Stripe could not be reached or answered with a 5xx.',
    extensions: [...STRIPE],
  },
  {
    code: ErrorCode.UPSTREAM_ERROR,
    httpStatus: '200',
    retry: 'no',
    description:
      'Stripe refused the request for a reason the client cannot fix by changing its input (a declined payment, the gateway\u2019s own Stripe credentials).',
    extensions: [...STRIPE, 'stripe.declineCode'],
  },
  {
    code: ErrorCode.INTERNAL_SERVER_ERROR,
    httpStatus: '200 (500 when nothing could run)',
    retry: 'with backoff',
    description:
      'Something unexpected failed inside the gateway; the message is masked. Report the `requestId`.',
    extensions: [],
  },
];

/** Every `extensions.reason`, with the code it comes under. */
export const ERROR_REASONS: readonly ReasonEntry[] = [
  {
    reason: ErrorReason.TOKEN_EXPIRED,
    code: ErrorCode.UNAUTHENTICATED,
    retry: 'no',
    description:
      'The customer token was issued by this gateway and is otherwise valid, but past its expiry. Get a new token (`createCustomerToken` on the partner backend) and send the request with it. On graphql-ws the socket closes instead (WebSocket close codes below).',
  },
  {
    reason: ErrorReason.ACCOUNT_INACTIVE,
    code: ErrorCode.BAD_USER_INPUT,
    retry: 'no',
    description:
      'The financial account is inactive or disconnected; the user must link it again before it can be refreshed or debited.',
  },
  {
    reason: ErrorReason.PAYMENT_METHOD_UNSUPPORTED,
    code: ErrorCode.BAD_USER_INPUT,
    retry: 'no',
    description: 'The account cannot be debited by ACH (it does not support `us_bank_account` payments).',
  },
  {
    reason: ErrorReason.PAYMENT_METHOD_DETACHED,
    code: ErrorCode.BAD_USER_INPUT,
    retry: 'no',
    description:
      'The payment method is not saved to the customer (detached, or only ever used once); save the account with `createSetupIntent` first.',
  },
  {
    reason: ErrorReason.PAYMENT_METHOD_BLOCKED,
    code: ErrorCode.BAD_USER_INPUT,
    retry: 'no',
    description:
      'Stripe blocked the bank account from debits (`blockReason`, e.g. after a dispute or a closed account).',
  },
  {
    reason: ErrorReason.MANDATE_INACTIVE,
    code: ErrorCode.BAD_USER_INPUT,
    retry: 'no',
    description:
      'The mandate is not active; only an active mandate authorizes a debit. Save the account again to get a new one.',
  },
  {
    reason: ErrorReason.NOT_AWAITING_MICRODEPOSITS,
    code: ErrorCode.BAD_USER_INPUT,
    retry: 'no',
    description:
      'The intent is not waiting for microdeposit verification (already verified, or another method).',
  },
  {
    reason: ErrorReason.MICRODEPOSITS_MISMATCH,
    code: ErrorCode.BAD_USER_INPUT,
    retry: 'no',
    description:
      'The amounts or descriptor code do not match the microdeposits sent; check the statement and try again with the right values.',
  },
  {
    reason: ErrorReason.MICRODEPOSITS_INVALID,
    code: ErrorCode.BAD_USER_INPUT,
    retry: 'no',
    description: 'The values cannot be microdeposits (two amounts, in cents, below one dollar).',
  },
  {
    reason: ErrorReason.MICRODEPOSIT_ATTEMPTS_EXCEEDED,
    code: ErrorCode.BAD_USER_INPUT,
    retry: 'no',
    description:
      'Too many failed verification attempts: the account can no longer be verified with microdeposits. Link or enter it again.',
  },
  {
    reason: ErrorReason.MICRODEPOSITS_EXPIRED,
    code: ErrorCode.BAD_USER_INPUT,
    retry: 'no',
    description: 'The microdeposits were not verified in time. Link or enter the account again.',
  },
];

/** graphql-ws close codes the gateway sends, and what graphql-ws's default client does with each. */
export interface CloseCodeEntry {
  code: number;
  reason: string;
  /** graphql-ws's client (`createClient`): whether it reconnects by itself. */
  clientRetries: boolean;
  description: string;
}

export const WS_CLOSE_CODES: readonly CloseCodeEntry[] = [
  {
    code: 4401,
    reason: 'Unauthorized: token expired / Unauthorized',
    clientRetries: false,
    description:
      '`connection_init` carried no valid credential: a forged, unknown or malformed one, or a customer token that has already expired. Fatal for graphql-ws\u2019s client, so a fixed stale token stops instead of looping; get a new token and create a new client. (graphql-ws also uses 4401 for a subscribe before `connection_ack`.)',
  },
  {
    code: 4403,
    reason: 'Forbidden: token expired / Forbidden',
    clientRetries: true,
    description:
      'The customer token of an open socket reached its expiry (`connection_ack`\u2019s payload carries `expiresAt`), or the address is over its failed-authentication budget. graphql-ws\u2019s client reconnects: with `connectionParams` as a function it sends a fresh token and its subscriptions continue; with a fixed token the reconnect gets 4401 and stops.',
  },
  {
    code: 4400,
    reason: '(the invalid message)',
    clientRetries: false,
    description: 'A frame that is not a graphql-ws message.',
  },
  {
    code: 4409,
    reason: 'Subscriber for <id> already exists',
    clientRetries: false,
    description: 'A `subscribe` with the id of an operation still running on the socket.',
  },
  {
    code: 4408,
    reason: 'Connection initialisation timeout',
    clientRetries: true,
    description: 'No `connection_init` within 3 s of opening the socket.',
  },
  {
    code: 4429,
    reason: 'Too many initialisation requests',
    clientRetries: false,
    description: 'A second `connection_init` on the same socket.',
  },
  {
    code: 1001,
    reason: 'Going away',
    clientRetries: true,
    description: 'The instance is shutting down; reconnect (to another instance).',
  },
  {
    code: 1009,
    reason: 'Message too big',
    clientRetries: false,
    description: 'A frame over 64 KiB.',
  },
];
