// The fast lane: warm HTTP operations (already accepted once by Apollo Server) run without Apollo's per-request pipeline.
import type { ApolloServerPlugin } from '@apollo/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {
  DocumentNode,
  ExecutionResult,
  GraphQLError,
  GraphQLSchema,
  OperationDefinitionNode,
} from 'graphql';
import type { CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';
import type { Config } from '../../platform/config';
import type { GatewayContext } from '../../context';
import type { ServiceDeps } from '../../services/domain/request-services';
import { clientAddress } from './client-address';
import type { Admission, AdmittedOperation } from '../graphql/admission/admission';
import { isRecord } from '../graphql/admission/operation-payload';
import type { JitCompiler } from '../graphql/executor';
import { gatewayContext, type Authentication } from '../graphql/gateway-context';
import { onlyPureFields, responseKey, type ResponseCache } from '../graphql/response-cache';
import { describeOperation, recordOperationErrors } from '../graphql/operation-tracing';
import type { Tracing } from '../../platform/tracing';

/** Documents kept on the lane (LRU); the same bound as the compiled-query cache behind it. */
const MAX_WARM_OPERATIONS = 1000;
/** What Apollo Server answers a single JSON result with when the client accepts JSON (MEDIA_TYPES.APPLICATION_JSON). */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
const JSON_REQUEST = /^application\/json\s*(;|$)/i;

/** One accepted operation: everything Apollo's pipeline established about it, kept for its next requests. */
interface WarmOperation {
  /** The lane's key: operation name and document text. */
  key: string;
  /** A query of pure fields only (response-cache.ts): its answers may be kept. */
  readonly cacheable: boolean;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** Its admission checks (admission.ts step 5), prepared on the lane's first use. */
  admitted?: AdmittedOperation;
  type: 'query' | 'mutation';
  /** The operation's own name (Apollo's `requestContext.operationName`), for the metrics label. */
  name: string | null;
  query: CompiledQuery;
  /** Metrics label per partner (OperationNameLabels is stable once a name is labelled). */
  labels: Map<string, string>;
}

/**
 * What the lane did before handing a request to Apollo Server: admission's steps 1 and 2 (authentication, and the
 * rate limit's refusal or null when it was taken; each counted once, so Apollo's context must reuse them), or the
 * error that stopped it (Apollo's context rethrows it).
 */
export type HandedOver = { auth: Authentication; rate?: GraphQLError | null } | { failure: unknown };

export interface FastLane {
  /** Apollo plugin: every query or mutation Apollo accepted and is about to execute becomes warm. */
  plugin: ApolloServerPlugin<GatewayContext>;
  /**
   * Answers a warm operation (the body to send), or undefined: Apollo Server handles the request, reusing
   * {@link handedOver}. Only what Apollo would answer the same way runs here (see the rules in the code).
   */
  handle(request: FastifyRequest, reply: FastifyReply): Promise<string | Buffer | undefined>;
  handedOver(request: FastifyRequest): HandedOver | undefined;
  /**
   * Requests answered on the lane so far: executed (`served`), of them from the response cache (`kept`), and
   * refused by admission's operation checks (`refused`) (tests, bench).
   */
  readonly stats: { served: number; kept: number; refused: number };
}

export interface FastLaneOptions {
  schema: GraphQLSchema;
  config: Config;
  deps: ServiceDeps;
  compiler: JitCompiler;
  /** The admission step Apollo Server runs too (authentication, rate limit, APQ, checks, error formatting). */
  admission: Admission;
  /** Whole answers of pure queries (response-cache.ts); absent: every request executes. */
  responses?: ResponseCache;
  /** OpenTelemetry: the lane describes the operation span the /graphql route opened. Absent: off. */
  tracing?: Tracing;
}

const laneKey = (operationName: unknown, query: string) =>
  `${typeof operationName === 'string' ? `n${operationName}` : '-'}\u0000${query}`;

export function createFastLane(options: FastLaneOptions): FastLane {
  const { config, deps, admission } = options;
  const warm = new LRUCache<string, WarmOperation>({ max: MAX_WARM_OPERATIONS });
  const handed = new WeakMap<FastifyRequest, HandedOver>();
  const stats = { served: 0, kept: 0, refused: 0 };

  const plugin: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      return {
        // Reached only after parsing, validation with every limit, the cost check and the other
        // didResolveOperation hooks accepted the operation.
        async executionDidStart(ctx) {
          const { source, operation, document, queryHash } = ctx;
          if (!source || !operation || !queryHash) return;
          if (operation.operation !== 'query' && operation.operation !== 'mutation') return;
          const key = laneKey(ctx.request.operationName, source);
          if (warm.has(key)) return;
          // The executor's key (transport/graphql/executor.ts): the resolved operation name, so the document compiles once.
          const compiled = options.compiler.compiled(queryHash, document, ctx.operationName);
          if (!compiled.query) return; // introspection: graphql-js through Apollo, always
          // Worked out on the lane's first use, not here: the first sight of a document pays nothing extra.
          let pure: boolean | undefined;
          warm.set(key, {
            key,
            get cacheable() {
              return (pure ??=
                options.responses !== undefined &&
                operation.operation === 'query' &&
                onlyPureFields(options.schema, document));
            },
            document,
            operation,
            type: operation.operation,
            name: ctx.operationName,
            query: compiled.query,
            labels: new Map(),
          });
        },
      };
    },
  };

  /** The warm operation a request asks for, when the request is one Apollo would take as it is. */
  async function warmOperationOf(request: FastifyRequest): Promise<WarmOperation | undefined> {
    // Apollo's CSRF prevention passes any application/json POST; its response type follows `accept`.
    if (request.method !== 'POST') return undefined;
    const contentType = request.headers['content-type'];
    if (typeof contentType !== 'string' || !JSON_REQUEST.test(contentType)) return undefined;
    const accept = request.headers.accept;
    if (accept !== undefined && accept !== '*/*' && accept !== 'application/json') return undefined;
    const body = request.body;
    if (!isRecord(body)) return undefined; // batches (arrays) and empty bodies: Apollo
    const { query, variables, operationName, extensions } = body;
    if (variables !== undefined && variables !== null && !isRecord(variables)) return undefined;
    if (operationName !== undefined && operationName !== null && typeof operationName !== 'string')
      return undefined;
    let text: string;
    if (extensions === undefined || extensions === null) {
      if (typeof query !== 'string') return undefined;
      text = query;
    } else {
      // Only a persisted-query hash alone; registration (query and hash) goes through Apollo.
      if (!isRecord(extensions) || query !== undefined) return undefined;
      const keys = Object.keys(extensions);
      const pq = extensions.persistedQuery;
      if (keys.length !== 1 || !isRecord(pq) || pq.version !== 1 || typeof pq.sha256Hash !== 'string')
        return undefined;
      const stored = await admission.persistedQueries.lookup(pq.sha256Hash);
      if (stored === undefined) return undefined;
      text = stored;
    }
    return warm.get(laneKey(operationName, text));
  }

  function labelOf(entry: WarmOperation, partnerId: string): string {
    let label = entry.labels.get(partnerId);
    if (label === undefined)
      entry.labels.set(partnerId, (label = admission.meter.label(entry.name, partnerId)));
    return label;
  }

  async function handle(request: FastifyRequest, reply: FastifyReply): Promise<string | Buffer | undefined> {
    const entry = await warmOperationOf(request);
    if (!entry) return undefined;
    const start = process.hrtime.bigint();
    const body = request.body as { variables?: Record<string, unknown> | null };
    const variables = body.variables ?? undefined;
    const requestId = request.id;
    let context: GatewayContext;
    // Admission (transport/graphql/admission/admission.ts) in its order. A refused caller is handed to Apollo with
    // what was decided here (Apollo's context answers it); a refused operation is answered here, as Apollo would.
    try {
      const clientIp = clientAddress(request.raw, config.trustProxy);
      const auth = await admission.authenticate(clientIp, request.headers.authorization);
      if (!('caller' in auth)) {
        handed.set(request, { auth });
        return undefined;
      }
      const rate = admission.rateRefusal(await admission.rateLimit(auth.caller), requestId, true);
      if (rate) {
        handed.set(request, { auth, rate });
        return undefined;
      }
      const refused = (entry.admitted ??= admission.operation(entry.document, entry.operation)).refusal(
        variables,
        auth.caller,
      );
      if (refused) return refuse(reply, entry, auth.caller.partnerId, refused, requestId);
      const responses = entry.cacheable ? options.responses : undefined;
      const cacheKey = responses ? responseKey(auth.caller, entry.key, variables) : undefined;
      if (responses && cacheKey) {
        const kept = await responses.lookup(cacheKey);
        if (kept !== undefined) stats.kept += 1;
        if (kept !== undefined) return respondKept(reply, entry, auth.caller.partnerId, kept, start);
      }
      const recording = responses?.recording(deps);
      context = gatewayContext(recording?.deps ?? deps, auth.caller, {
        requestId,
        clientIp,
        userAgent: String(request.headers['user-agent'] ?? ''),
      });
      const result = await runOperation(entry, context, variables);
      if ('handOver' in result) {
        // Variables that do not coerce: nothing ran; Apollo answers with graphql-js's wording (executor.ts).
        handed.set(request, { auth, rate });
        return undefined;
      }
      const keep =
        responses && cacheKey && recording
          ? (text: string) => responses.store(cacheKey, text, recording.recorded)
          : undefined;
      return respond(reply, entry, context, result, start, keep);
    } catch (error) {
      handed.set(request, { failure: error });
      return undefined;
    }
  }

  /** Executes, or says that nothing ran; an executor that throws answers as Apollo's would (HTTP 500). */
  async function runOperation(
    entry: WarmOperation,
    context: GatewayContext,
    variables: Record<string, unknown> | undefined,
  ): Promise<ExecutionResult | { handOver: true } | { thrown: unknown }> {
    let result: ExecutionResult;
    try {
      result = await entry.query.query(undefined, context, variables);
    } catch (thrown) {
      return { thrown };
    }
    if (result.data === undefined && result.errors?.length) return { handOver: true };
    return result;
  }

  function respond(
    reply: FastifyReply,
    entry: WarmOperation,
    context: GatewayContext,
    result: ExecutionResult | { thrown: unknown },
    start: bigint,
    keep?: (text: string) => void,
  ): string {
    let status = 200;
    let text: string;
    let failed: boolean;
    if ('thrown' in result) {
      const { formatted, status: s, headers } = admission.formatErrors([result.thrown], context.requestId);
      traceAnswer(entry, formatted);
      status = s ?? 500;
      for (const [k, v] of headers) void reply.header(k, v);
      text = `${JSON.stringify({ errors: formatted })}\n`;
      failed = true;
    } else if (result.errors?.length) {
      const { formatted, status: s, headers } = admission.formatErrors(result.errors, context.requestId);
      traceAnswer(entry, formatted);
      status = s ?? 200;
      for (const [k, v] of headers) void reply.header(k, v);
      text = `${JSON.stringify({ errors: formatted, data: result.data, extensions: result.extensions })}\n`;
      failed = true;
    } else {
      traceAnswer(entry);
      text = `${entry.query.stringify(result)}\n`;
      failed = false;
      keep?.(text);
    }
    count(entry, context.caller.partnerId, failed, start);
    void reply.code(status).header('content-type', JSON_CONTENT_TYPE);
    return text;
  }

  /** A kept answer (response-cache.ts, its bytes): error-free, so HTTP 200. */
  function respondKept(
    reply: FastifyReply,
    entry: WarmOperation,
    partnerId: string,
    bytes: Buffer,
    start: bigint,
  ) {
    traceAnswer(entry);
    count(entry, partnerId, false, start);
    void reply.code(200).header('content-type', JSON_CONTENT_TYPE);
    return bytes;
  }

  /** A refusal by admission's operation checks: Apollo's answer to a didResolveOperation error (no data, 400). */
  function refuse(
    reply: FastifyReply,
    entry: WarmOperation,
    partnerId: string,
    refused: GraphQLError,
    requestId: string,
  ): string {
    stats.refused += 1;
    const { formatted, status, headers } = admission.formatErrors([refused], requestId);
    traceAnswer(entry, formatted);
    for (const [k, v] of headers) void reply.header(k, v);
    admission.meter.rejected(entry.type, labelOf(entry, partnerId));
    void reply.code(status ?? 500).header('content-type', JSON_CONTENT_TYPE);
    return `${JSON.stringify({ errors: formatted })}\n`;
  }

  /** Describes the operation span (opened by the /graphql route) of an operation the lane answers. */
  function traceAnswer(entry: WarmOperation, errors?: readonly unknown[]) {
    const span = options.tracing?.activeSpan();
    if (!span) return;
    describeOperation(span, 'fast_lane', { type: entry.type, name: entry.name });
    recordOperationErrors(span, errors);
  }

  /** An executed operation, counted as Apollo's plugin counts it (admission's OperationMeter). */
  function count(entry: WarmOperation, partnerId: string, failed: boolean, start: bigint) {
    stats.served += 1;
    admission.meter.executed(entry.type, labelOf(entry, partnerId), failed, start);
  }

  return { plugin, handle, handedOver: (request) => handed.get(request), stats };
}
