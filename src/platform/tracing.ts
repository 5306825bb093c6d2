// OpenTelemetry traces of one gateway instance: its tracer provider, exporter and span context, or nothing when off.
//
// Decisions (docs/tracing.md tells operators the same):
// - Off unless OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set (OpenTelemetry's own
//   variables, read by config.ts). Off, `createTracing` returns undefined: no provider, no AsyncLocalStorage, and
//   every call site skips tracing with one `undefined` check. Why that matters: an AsyncLocalStorage turns on promise
//   hooks for the whole process on Node 20, which every promise of every request then pays
//   (transport/graphql/request-scope.ts measured ~5% of a cached dashboard's CPU).
// - Nothing is registered globally (no `trace.setGlobalTracerProvider`, no global context manager): each gateway
//   instance holds its own provider and context, so two instances in one process (the tests) keep their spans
//   apart, and an application embedding the gateway keeps its own OpenTelemetry set-up.
// - Spans nest through this instance's own AsyncLocalStorage: the /graphql route, the WebSocket hooks and the
//   subscription events run their operation inside `inSpan`, and the Stripe client (services/stripe/stripe-client.ts)
//   starts its spans as children of whatever span is active, across DataLoader batches and awaits.
// - The gateway does not continue a caller's `traceparent`: a client could otherwise choose which operations are
//   sampled. Each operation starts a trace.
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanKind,
  type Tracer,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_ERROR_TYPE, ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { TracesSampler } from './config-values';

/** The instrumentation scope of every span the gateway makes. */
export const TRACER_NAME = 'fc-graphql-gateway';

/** What config.ts derives from the OTEL_* variables. */
export interface TracingConfig {
  /** Where spans are POSTed (OTLP/HTTP, JSON bodies); undefined: tracing off unless an exporter is given. */
  endpoint?: string;
  serviceName: string;
  sampler: TracesSampler;
  /** The `*traceidratio` samplers' share, 0 to 1. */
  samplerRatio: number;
}

export interface TracingOptions {
  /**
   * Receives every span as it ends, instead of an OTLP exporter, whatever `endpoint` says: tests pass an
   * `InMemorySpanExporter`. Given, tracing is on.
   */
  exporter?: SpanExporter;
}

export interface SpanStart {
  kind: SpanKind;
  attributes?: Attributes;
  links?: Link[];
  /** Start a new trace rather than a child of the active span. @default false */
  root?: boolean;
}

/** One gateway instance's tracing. Absent (undefined) when tracing is off. */
export interface Tracing {
  readonly tracer: Tracer;
  /**
   * Runs `run` inside a new span, active for everything `run` awaits, and ends the span when `run` settles. A
   * throw marks the span ERROR with the error's name as `error.type` (never its message, which may carry data).
   */
  inSpan<T>(name: string, start: SpanStart, run: (span: Span) => Promise<T>): Promise<T>;
  /** Starts a span, child of the active one, that is not made active (a leaf such as one HTTP attempt). */
  startSpan(name: string, start: SpanStart): Span;
  /** The span the caller runs in, if any. */
  activeSpan(): Span | undefined;
  /** Exports every ended span now. */
  forceFlush(): Promise<void>;
  /** Ends tracing: exports what is left (the gateway's `close()` calls it last). Idempotent. */
  shutdown(): Promise<void>;
}

/** The sampler OTEL_TRACES_SAMPLER names, as OpenTelemetry's SDK would build it from the same variables. */
export function samplerOf(name: TracesSampler, ratio: number): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}

/** Marks `span` failed: status ERROR, `error.type` set (a code or a class name, never a message). */
export function failSpan(span: Span, errorType: string): void {
  span.setAttribute(ATTR_ERROR_TYPE, errorType);
  span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
}

/**
 * Tracing for one gateway, or undefined when it is off (no `endpoint` and no `exporter`).
 * Spans go through a BatchSpanProcessor to OTLP (the exporter also reads OpenTelemetry's standard
 * OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT, _COMPRESSION and certificate variables), or straight to `options.exporter`.
 */
export function createTracing(config: TracingConfig, options: TracingOptions = {}): Tracing | undefined {
  if (!config.endpoint && !options.exporter) return undefined;
  const spanProcessor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter({ url: config.endpoint }));
  const provider = new BasicTracerProvider({
    // OTEL_RESOURCE_ATTRIBUTES adds to the resource (service.version, deployment.environment.name, …); the service
    // name is config's.
    resource: defaultResource()
      .merge(detectResources({ detectors: [envDetector] }))
      .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName })),
    sampler: samplerOf(config.sampler, config.samplerRatio),
    spanProcessors: [spanProcessor],
  });
  const tracer = provider.getTracer(TRACER_NAME);
  const contexts = new AsyncLocalStorage<Context>();
  const active = () => contexts.getStore() ?? ROOT_CONTEXT;
  const startSpan = (name: string, start: SpanStart) =>
    tracer.startSpan(
      name,
      { kind: start.kind, attributes: start.attributes, links: start.links, root: start.root },
      start.root ? ROOT_CONTEXT : active(),
    );
  let shutdown: Promise<void> | undefined;
  return {
    tracer,
    startSpan,
    activeSpan: () => trace.getSpan(active()),
    async inSpan(name, start, run) {
      const span = startSpan(name, start);
      try {
        return await contexts.run(trace.setSpan(active(), span), () => run(span));
      } catch (error) {
        failSpan(span, error instanceof Error ? error.name : 'Error');
        throw error;
      } finally {
        span.end();
      }
    },
    forceFlush: () => provider.forceFlush(),
    shutdown: () => (shutdown ??= provider.shutdown()),
  };
}
