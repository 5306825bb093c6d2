// GraphQL operation counts and durations for /metrics: one recorder, an Apollo plugin (HTTP), graphql-ws hooks (WebSocket).
import type { ApolloServerPlugin } from '@apollo/server';
import type { ServerOptions } from 'graphql-ws';
import { getOperationAST, type DocumentNode, type ExecutionArgs } from 'graphql';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Metrics } from '../../platform/metrics';
import { projectRoot } from '../http/web-assets';

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Distinct unknown (hashed) operation names labelled per partner; beyond, `other`. */
const MAX_HASHED_NAMES_PER_PARTNER = 20;

/** Names of the operations in `schema/operations/*.graphql`: the ones this deployment knows. */
export function knownOperationNames(dir = path.join(projectRoot(), 'schema', 'operations')): Set<string> {
  const names = new Set<string>();
  try {
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.graphql'))) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const m of text.matchAll(/^\s*(?:query|mutation|subscription)\s+([A-Za-z_][A-Za-z0-9_]*)/gm))
        names.add(m[1]);
    }
  } catch {
    // no operations directory (a trimmed deployment): every name is hashed
  }
  return names;
}

/**
 * Maps client-chosen operation names to a bounded, non-revealing label set. Why: /metrics should neither show one
 * partner's operation names (to whoever reads it) nor let one partner's junk names crowd out another's
 * (docs/security-catalogue.md OB2). Names of schema/operations/ are kept as they are; any other name becomes
 * `h_` + 8 hex of its sha256, at most 20 distinct ones per partner, then `other`.
 */
export class OperationNameLabels {
  private readonly hashed = new Map<string, Set<string>>();
  constructor(
    private readonly known: ReadonlySet<string> = knownOperationNames(),
    private readonly perPartner = MAX_HASHED_NAMES_PER_PARTNER,
  ) {}

  label(name: string | null | undefined, partnerId?: string): string {
    if (!name) return 'anonymous';
    if (!NAME_RE.test(name)) return 'other';
    if (this.known.has(name)) return name;
    if (!partnerId) return 'other';
    const label = `h_${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
    let seen = this.hashed.get(partnerId);
    if (!seen) this.hashed.set(partnerId, (seen = new Set()));
    if (seen.has(label)) return label;
    if (seen.size >= this.perPartner) return 'other';
    seen.add(label);
    return label;
  }
}

/**
 * The one recorder of `graphql_operations_total{type,name,outcome}`, `graphql_operation_duration_seconds{type,name}`
 * and `graphql_subscriptions_active`: Apollo's plugin, the fast lane and graphql-ws all count through it, with one
 * set of name labels (transport/graphql/admission/admission.ts hands it to each path).
 */
export class OperationMeter {
  constructor(
    private readonly metrics: Metrics,
    readonly names = new OperationNameLabels(),
  ) {}

  /** The label of an operation name for a partner ({@link OperationNameLabels}). */
  label(name: string | null | undefined, partnerId?: string): string {
    return this.names.label(name, partnerId);
  }

  /** An operation refused before it ran (authentication, rate limit, parse, validation, a limit or check). */
  rejected(type: string, label: string): void {
    this.metrics.graphqlOperations.inc({ type, name: label, outcome: 'rejected' });
  }

  /** An operation that ran, with or without errors; timed from `start` (process.hrtime.bigint()) when given. */
  executed(type: string, label: string, failed: boolean, start?: bigint): void {
    this.metrics.graphqlOperations.inc({ type, name: label, outcome: failed ? 'error' : 'success' });
    if (start !== undefined)
      this.metrics.graphqlDuration.observe(
        { type, name: label },
        Number(process.hrtime.bigint() - start) / 1e9,
      );
  }

  /** A subscription started; the returned function ends it (call it once). */
  subscribed(): () => void {
    this.metrics.subscribers.inc();
    return () => this.metrics.subscribers.dec();
  }
}

/** The caller's partner in an Apollo context or a graphql-ws connection's extra, when authenticated. */
const partnerOf = (holder: unknown): string | undefined =>
  (holder as { caller?: { partnerId?: string } } | undefined)?.caller?.partnerId;

/**
 * Counts every HTTP GraphQL request in `graphql_operations_total{type,name,outcome}` and times the executed ones in
 * `graphql_operation_duration_seconds{type,name}`. Outcomes: `success`, `error` (executed, with errors) and
 * `rejected` (did not authenticate, parse, validate or pass a limit).
 */
export function operationMetricsPlugin(meter: OperationMeter): ApolloServerPlugin {
  return {
    // No caller (bad or missing credential): the operation was never looked at.
    async contextCreationDidFail() {
      meter.rejected('unknown', 'anonymous');
    },
    async requestDidStart() {
      const start = process.hrtime.bigint();
      let type = 'unknown';
      let name = 'anonymous';
      let executed = false;
      return {
        async didResolveOperation(ctx) {
          type = ctx.operation?.operation ?? 'unknown';
          name = meter.label(ctx.operationName, partnerOf(ctx.contextValue));
        },
        async executionDidStart() {
          executed = true;
        },
        async willSendResponse(ctx) {
          if (!executed && ctx.document) {
            // Parsed but not valid (or not authenticated): name it from the document when the client did not.
            const op = getOperationAST(ctx.document, ctx.request.operationName);
            type = op?.operation ?? type;
            name = meter.label(ctx.request.operationName ?? op?.name?.value, partnerOf(ctx.contextValue));
          }
          if (!executed) return meter.rejected(type, name);
          const body = ctx.response.body;
          const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
          meter.executed(type, name, Boolean(errors?.length), start);
        },
      };
    },
  };
}

function operationOf(document: DocumentNode, operationName?: string | null) {
  return getOperationAST(document, operationName ?? undefined);
}

/** An async iterator that decrements the subscriber gauge exactly once, whether it ends, fails or is returned. */
function countedIterator<T>(inner: AsyncIterator<T>, onEnd: () => void): AsyncIterableIterator<T> {
  let ended = false;
  const end = () => {
    if (!ended) {
      ended = true;
      onEnd();
    }
  };
  // Why not an async generator: its return() waits behind a pending next(), so a client that unsubscribes
  // while no event is due would never be released (nor the gauge decremented).
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      try {
        const r = await inner.next();
        if (r.done) end();
        return r;
      } catch (e) {
        end();
        throw e;
      }
    },
    async return(value?: unknown) {
      end();
      return inner.return ? inner.return(value) : { done: true, value: value as T };
    },
    async throw(error?: unknown) {
      end();
      if (inner.throw) return inner.throw(error);
      throw error;
    },
  };
}

/**
 * Wraps graphql-ws server options: counts operations run over WebSocket (queries and mutations timed like HTTP ones)
 * and keeps `graphql_subscriptions_active` equal to the number of running subscriptions. Existing hooks still run.
 * Refusals are counted where they are made (transport/ws/ws-guard.ts, the only source of errors before execution).
 */
export function withOperationMetrics<P extends Record<string, unknown>, E>(
  options: ServerOptions<P, E>,
  meter: OperationMeter,
): ServerOptions<P, E> {
  const started = new WeakMap<object, bigint>();
  return {
    ...options,
    async onSubscribe(ctx, id, payload) {
      started.set(payload, process.hrtime.bigint());
      return options.onSubscribe?.(ctx, id, payload);
    },
    async onOperation(ctx, id, payload, args: ExecutionArgs, result) {
      const replaced = await options.onOperation?.(ctx, id, payload, args, result);
      const final = replaced ?? result;
      const op = operationOf(args.document, args.operationName);
      const type = op?.operation ?? 'unknown';
      const name = meter.label(args.operationName ?? op?.name?.value, partnerOf(ctx.extra));
      if (final && typeof (final as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
        meter.executed(type, name, false);
        const iterator = (final as AsyncIterable<unknown>)[Symbol.asyncIterator]();
        return countedIterator(iterator, meter.subscribed()) as typeof result;
      }
      const errors = (final as { errors?: readonly unknown[] }).errors;
      meter.executed(type, name, Boolean(errors?.length), started.get(payload));
      return replaced;
    },
  };
}
