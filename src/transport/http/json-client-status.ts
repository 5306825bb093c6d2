// GraphQL over HTTP's status rule for application/json clients: a request error in a well-formed request answers 200.
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Why: the GraphQL-over-HTTP specification (its `application/json` section; graphql-http's audits in
 * test/clients/server-audits.test.ts check it) says a server SHOULD answer 200 to every well-formed request when the
 * response is `application/json`, because intermediaries may replace a 4xx body and a legacy JSON client reads
 * `errors` from a 200. Apollo Server answers parse, validation and variable-coercion failures with 400 whatever the
 * response type. So when the client names `application/json` in `Accept` and the answer is `application/json`, those
 * three become 200; an `application/graphql-response+json` answer (which Apollo Client, urql and graphql-request all
 * prefer) keeps 400, as that media type's rules ask. A request with no `Accept`, or a wildcard only, keeps Apollo's
 * 400: nothing says it is a legacy JSON client, and curl users read the status.
 * Other request errors keep their statuses (docs/errors.md): a malformed body is not a well-formed request, and
 * QUERY_TOO_COMPLEX, OPERATION_RESOLUTION_FAILURE and the authentication and rate refusals tell a client what to do.
 */
const REQUEST_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']);

const JSON_RESPONSE = /^application\/json\s*(;|$)/i;

/** Whether `accept` lists `application/json` itself (not only a wildcard) with a non-zero quality. */
export function acceptsJsonExplicitly(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((range) => {
    const [type, ...params] = range.split(';').map((s) => s.trim().toLowerCase());
    if (type !== 'application/json') return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/**
 * Turns Apollo's (or the fast lane's) 400 into 200 for an application/json client whose request failed to parse,
 * validate or coerce its variables (see the why above). Leaves every other answer as it is.
 * @param body the response body about to be sent (a complete JSON text)
 */
export function applyJsonClientStatus(request: FastifyRequest, reply: FastifyReply, body: unknown): void {
  if (reply.statusCode !== 400 || typeof body !== 'string') return;
  const contentType = reply.getHeader('content-type');
  if (typeof contentType !== 'string' || !JSON_RESPONSE.test(contentType)) return;
  if (!acceptsJsonExplicitly(request.headers.accept)) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return;
  }
  if (!parsed || typeof parsed !== 'object' || 'data' in parsed) return;
  const errors = (parsed as { errors?: unknown }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return;
  const allRequestErrors = errors.every((e: { extensions?: { code?: unknown } }) =>
    REQUEST_ERROR_CODES.has(String(e?.extensions?.code)),
  );
  if (allRequestErrors) void reply.code(200);
}
