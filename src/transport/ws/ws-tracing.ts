// Operation spans of graphql-ws (docs/tracing.md): each query or mutation, each subscription's set-up, each
// subscription event's execution, and each operation the admission step refused.
import { SpanKind, type SpanContext } from '@opentelemetry/api';
import { execute, getOperationAST, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import type { Tracing } from '../../platform/tracing';
import {
  ATTR_GATEWAY_REQUEST_ID,
  ATTR_GATEWAY_SUBSCRIPTION_PHASE,
  describeOperation,
  inOperationSpan,
  recordOperationErrors,
  UNKNOWN_OPERATION_SPAN,
} from '../graphql/operation-tracing';

const isAsyncIterable = (v: unknown): v is AsyncIterable<unknown> =>
  typeof (v as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function';

/** The request id attribute of a context or a connection's extra, when it has one. */
function requestIdOf(holder: unknown): Record<string, string> {
  const id = (holder as { requestId?: unknown } | undefined)?.requestId;
  return typeof id === 'string' ? { [ATTR_GATEWAY_REQUEST_ID]: id } : {};
}

function operationOf(args: ExecutionArgs) {
  const op = getOperationAST(args.document, args.operationName);
  return op ? { type: op.operation, name: op.name?.value } : undefined;
}

/** Runs a subscription event's execution; the span wrapper {@link WsTracing.aroundEvent} has this shape. */
export type EventExecution = (
  args: ExecutionArgs,
  run: () => ExecutionResult | Promise<ExecutionResult>,
) => ExecutionResult | Promise<ExecutionResult>;

export interface WsTracing {
  /** graphql-ws options whose operations run in spans (`execute`, `subscribe`, refusals of `onSubscribe`). */
  wrap<P extends Record<string, unknown>, E>(options: ServerOptions<P, E>): ServerOptions<P, E>;
  /**
   * For subscription-execution.ts: each event's execution in its own trace (a root span), linked to the span of
   * the subscription's set-up. Why not a child of it: a subscription lives for hours and one execution may serve
   * many subscribers of one caller; a trace per event stays short and says which subscription it ran for.
   */
  aroundEvent: EventExecution;
}

export function createWsTracing(tracing: Tracing): WsTracing {
  /** The set-up span of each subscription, by the context it was subscribed with. */
  const subscribed = new WeakMap<object, SpanContext>();

  const aroundEvent: EventExecution = (args, run) => {
    const context = args.contextValue as object;
    const link = subscribed.get(context);
    return tracing.inSpan(
      UNKNOWN_OPERATION_SPAN,
      {
        kind: SpanKind.INTERNAL,
        root: true,
        links: link ? [{ context: link }] : undefined,
        attributes: { ...requestIdOf(args.contextValue), [ATTR_GATEWAY_SUBSCRIPTION_PHASE]: 'event' },
      },
      async (span) => {
        describeOperation(span, 'graphql_ws', operationOf(args));
        const result = await run();
        recordOperationErrors(span, result.errors);
        return result;
      },
    );
  };

  return {
    aroundEvent,
    wrap(options) {
      const inner = {
        execute: options.execute ?? execute,
        subscribe: options.subscribe,
      };
      const traced =
        (run: NonNullable<ServerOptions['execute']>, phase?: 'subscribe') => async (args: ExecutionArgs) => {
          const attributes = {
            ...requestIdOf(args.contextValue),
            ...(phase ? { [ATTR_GATEWAY_SUBSCRIPTION_PHASE]: phase } : {}),
          };
          return inOperationSpan(tracing, attributes, async (span) => {
            describeOperation(span, 'graphql_ws', operationOf(args));
            if (phase && args.contextValue) subscribed.set(args.contextValue, span.spanContext());
            const result = await run(args);
            if (!isAsyncIterable(result)) recordOperationErrors(span, (result as ExecutionResult).errors);
            return result;
          });
        };
      return {
        ...options,
        execute: traced(inner.execute),
        ...(inner.subscribe ? { subscribe: traced(inner.subscribe, 'subscribe') } : {}),
        async onSubscribe(ctx, id, payload) {
          const outcome = await options.onSubscribe?.(ctx, id, payload);
          if (Array.isArray(outcome)) {
            // Refused by admission (rate limit, persisted query, limits, checks): nothing ran, the span says why.
            const span = tracing.startSpan(UNKNOWN_OPERATION_SPAN, {
              kind: SpanKind.SERVER,
              attributes: requestIdOf(ctx.extra),
            });
            describeOperation(span, 'graphql_ws');
            recordOperationErrors(span, outcome);
            span.end();
          }
          return outcome;
        },
      };
    },
  };
}
