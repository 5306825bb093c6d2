// The one admission step every GraphQL operation passes, whichever path it came by (Apollo over HTTP, the fast lane,
// graphql-ws): who is calling, the caller's rate, the persisted query, the document's limits, the operation's checks.
//
// Order, the same on every path, each step refusing before the next runs (so a refused operation costs no Stripe
// request): 1. authentication (a valid credential first, then the failure budget); 2. the caller's and its
// partner's rate limits; 3. the query text (APQ); 4. parse and validate with the limits (limits.ts); 5. the operation
// checks (operation-checks.ts: cost and Stripe calls, control characters, and any extra check). Errors come from
// admission-errors.ts and are formatted by error-format.ts with the masking Apollo Server is given as `formatError`.
import {
  getOperationAST,
  GraphQLError,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Caller } from '../../../services/auth/auth';
import type { AuthFailureLimiter, CallerRateLimiter } from '../../../services/auth/rate-limit';
import type { ServiceDeps } from '../../../services/domain/request-services';
import {
  authenticateClient,
  VerifiedCredentials,
  type Authentication as ClientAuthentication,
} from '../gateway-context';
import {
  limitValidationRules,
  MAX_VALIDATION_ERRORS,
  parseWithLimits,
  type QueryLimits,
} from '../limits/limits';
import type { OperationMeter } from '../operation-metrics';
import { rateLimitedError, refusalFor, unauthenticatedError } from './admission-errors';
import { formatErrors, type FormatError, type FormattedErrors } from './error-format';
import {
  allOf,
  controlCharacterCheck,
  costCheck,
  type AdmissionCheck,
  type Variables,
} from './operation-checks';
import { isRecord, type OperationPayload } from './operation-payload';
import { PersistedQueries } from './persisted-queries';

/** Validated documents kept by query text for graphql-ws (Apollo keeps its own): at most this many… */
const MAX_DOCUMENTS = 1000;
/** …and at most this many characters of query text (the persisted-query store's bound). */
const MAX_DOCUMENT_TEXT = 8 * 1024 * 1024;

/**
 * Step 1's outcome (gateway-context.ts), an invalid credential marked `expired` when it is a customer token that is
 * ours and only past its `exp`: the client then fetches a new one instead of giving up (reason TOKEN_EXPIRED).
 */
export type Authentication = ClientAuthentication | { invalid: true; expired: true };

/** The rate limiter's decision for one operation. */
export type RateDecision = Awaited<ReturnType<CallerRateLimiter['consume']>>;

/** One operation's checks, prepared once for its document (see operation-checks.ts). */
export interface AdmittedOperation {
  /** Null admits the request; else the error to refuse it with (a fresh one, HTTP status 400). */
  refusal(variables: Variables, caller: Caller): GraphQLError | null;
}

/** What {@link Admission.admitPayload} decided: what to execute, or the errors (and the operation they refuse). */
export type Admitted =
  | { document: DocumentNode; operation: OperationDefinitionNode }
  | { errors: readonly GraphQLError[]; operation?: OperationDefinitionNode };

export interface AdmissionOptions {
  schema: GraphQLSchema;
  deps: ServiceDeps;
  limits: QueryLimits;
  /** Production turns introspection off on the paths Apollo's own switch does not cover. */
  production: boolean;
  rateLimiter: CallerRateLimiter;
  authFailures: AuthFailureLimiter;
  /** The masking of every error a client sees (error-masking.ts `apolloFormatError`). */
  formatError: FormatError;
  /** Operation metrics, one recorder and one set of name labels for every path (operation-metrics.ts). */
  meter: OperationMeter;
  /**
   * Checks run after the built-in ones, on every path. Tests plant one here to see a single check apply to Apollo,
   * the fast lane and graphql-ws alike.
   * @default []
   */
  extraChecks?: readonly AdmissionCheck[];
}

export interface Admission {
  readonly schema: GraphQLSchema;
  readonly limits: QueryLimits;
  readonly persistedQueries: PersistedQueries;
  /** Operation metrics: every path counts its operations here. */
  readonly meter: OperationMeter;
  /**
   * The limit rules Apollo Server adds to graphql-js's (`validationRules`); its own `introspection` switch covers
   * introspection, which {@link document} refuses itself in production.
   */
  readonly validationRules: ValidationRule[];
  /** Step 1: authenticates `credential` (an `Authorization` value) from `clientIp`. */
  authenticate(clientIp: string, credential: unknown): Promise<Authentication>;
  /** Step 1's refusal over HTTP: RATE_LIMITED (429) for a failed credential over the failure budget, UNAUTHENTICATED (401); null admits. */
  authenticationRefusal(auth: Authentication, requestId: string): GraphQLError | null;
  /** Step 2: counts one operation against the caller's budget (the limiter's own promise: nothing added per request). */
  rateLimit(caller: Caller): Promise<RateDecision>;
  /** Step 2's refusal: RATE_LIMITED (with HTTP 429 and Retry-After when `http`) when the budget is spent; null admits. */
  rateRefusal(decision: RateDecision, requestId: string, http: boolean): GraphQLError | null;
  /** Step 4 for a path that parses itself (graphql-ws): the validated document of `query`, or the errors. */
  document(query: string): { document: DocumentNode } | { errors: readonly GraphQLError[] };
  /** Step 5: the checks of `operation` (of `document`), prepared once per operation node. */
  operation(document: DocumentNode, operation: OperationDefinitionNode): AdmittedOperation;
  /**
   * Steps 2 to 5 for an operation payload (graphql-ws's `onSubscribe`, whose connection authenticated in step 1).
   * @returns what to execute, or the errors to answer with (nothing executed, no Stripe request made) and the
   * operation they refuse when it was resolved (for the metrics)
   */
  admitPayload(payload: OperationPayload, caller: Caller, requestId: string): Promise<Admitted>;
  /** Formats an operation's errors as Apollo Server would (error-format.ts). */
  formatErrors(errors: readonly unknown[], requestId: string): FormattedErrors;
}

/** graphql-js's validation errors carry no code; Apollo names them GRAPHQL_VALIDATION_FAILED. */
const withValidationCode = (e: GraphQLError) =>
  e.extensions.code
    ? e
    : new GraphQLError(e.message, {
        nodes: e.nodes,
        source: e.source,
        positions: e.positions,
        extensions: { ...e.extensions, code: 'GRAPHQL_VALIDATION_FAILED' },
      });

export function createAdmission(options: AdmissionOptions): Admission {
  const { schema, deps, limits } = options;
  const checks = [costCheck(limits), controlCharacterCheck, ...(options.extraChecks ?? [])];
  const verified = new VerifiedCredentials();
  const persistedQueries = new PersistedQueries();
  const validationRules = limitValidationRules(limits, { production: false });
  const allRules = [...specifiedRules, ...limitValidationRules(limits, { production: options.production })];
  const documents = new LRUCache<string, DocumentNode>({
    max: MAX_DOCUMENTS,
    maxSize: MAX_DOCUMENT_TEXT,
    sizeCalculation: (_document, query) => Math.max(1, query.length),
  });
  const prepared = new WeakMap<OperationDefinitionNode, AdmittedOperation>();

  const admission: Admission = {
    schema,
    limits,
    persistedQueries,
    meter: options.meter,
    validationRules,

    async authenticate(clientIp, credential) {
      const auth = await authenticateClient(deps, options.authFailures, clientIp, credential, verified);
      // Only a refused credential is looked at again (one more HMAC check): the admitted path pays nothing.
      if ('invalid' in auth && (await deps.authenticator.isExpiredToken(credential)))
        return { invalid: true, expired: true };
      return auth;
    },

    authenticationRefusal(auth, requestId) {
      if ('blockedForSeconds' in auth) return rateLimitedError(auth.blockedForSeconds, requestId, true);
      if (!('caller' in auth)) return unauthenticatedError(requestId, 'expired' in auth);
      return null;
    },

    rateLimit: (caller) => options.rateLimiter.consume(caller),

    rateRefusal: (decision, requestId, http) =>
      decision.allowed ? null : rateLimitedError(decision.retryAfterSeconds, requestId, http),

    document(query) {
      const known = documents.get(query);
      if (known) return { document: known };
      let document: DocumentNode;
      try {
        document = parseWithLimits(query, limits);
      } catch (e) {
        if (e instanceof GraphQLError) return { errors: [e] };
        throw e;
      }
      const errors = validate(schema, document, allRules, { maxErrors: MAX_VALIDATION_ERRORS });
      if (errors.length > 0) return { errors: errors.map(withValidationCode) };
      documents.set(query, document); // only valid documents: junk cannot crowd them out of the cache
      return { document };
    },

    operation(document, operation) {
      let admitted = prepared.get(operation);
      if (!admitted) {
        const check = allOf(checks, schema, document, operation);
        admitted = {
          refusal: (variables, caller) => {
            const refused = check(variables, caller);
            return refused ? refusalFor(refused) : null;
          },
        };
        prepared.set(operation, admitted);
      }
      return admitted;
    },

    async admitPayload(payload, caller, requestId) {
      const rate = admission.rateRefusal(await admission.rateLimit(caller), requestId, false);
      if (rate) return { errors: [rate] };
      const source = await persistedQueries.sourceOf(payload);
      if ('error' in source) return { errors: [source.error] };
      const parsed = admission.document(source.query);
      if ('errors' in parsed) return parsed;
      const operationName = typeof payload.operationName === 'string' ? payload.operationName : undefined;
      const operation = getOperationAST(parsed.document, operationName);
      if (!operation) {
        return {
          errors: [
            new GraphQLError('Unable to identify the operation to run.', {
              extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
            }),
          ],
        };
      }
      const variables = isRecord(payload.variables) ? payload.variables : undefined;
      const refused = admission.operation(parsed.document, operation).refusal(variables, caller);
      if (refused) return { errors: [refused], operation };
      if (source.register) persistedQueries.register(source.register, source.query);
      return { document: parsed.document, operation };
    },

    formatErrors: (errors, requestId) => formatErrors(errors, options.formatError, requestId),
  };
  return admission;
}
