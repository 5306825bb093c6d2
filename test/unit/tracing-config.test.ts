// Tracing's switch and sampler from OpenTelemetry's variables (src/platform/config.ts, src/platform/tracing.ts).
import { ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { ConfigError, parseConfig } from '../../src/platform/config';
import { createTracing, samplerOf } from '../../src/platform/tracing';

const tracingOf = (env: Record<string, string>) => parseConfig(env).tracing;

describe('tracing configuration', () => {
  describe('the endpoint', () => {
    it.each([
      ['nothing set: off', {}, undefined],
      [
        'OTEL_EXPORTER_OTLP_ENDPOINT: its /v1/traces',
        { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' },
        'http://collector:4318/v1/traces',
      ],
      [
        'a base with a path and a trailing slash',
        { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com/otlp/' },
        'https://otel.example.com/otlp/v1/traces',
      ],
      [
        'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: as it is, over the base',
        {
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:9999/custom',
        },
        'http://traces:9999/custom',
      ],
      [
        'OTEL_SDK_DISABLED=true: off whatever is set',
        { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' },
        undefined,
      ],
    ])('should resolve %s', (_name, env, endpoint) => {
      expect(tracingOf(env).endpoint).toBe(endpoint);
    });

    it('should refuse an endpoint that is not an http(s) URL, naming the variable', () => {
      expect(() => parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317' })).toThrow(ConfigError);
      expect(() => parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' })).toThrow(
        /^Invalid OTEL_EXPORTER_OTLP_ENDPOINT: must be an http\(s\) URL$/,
      );
    });
  });

  describe('the sampler', () => {
    it('should default to every operation (parentbased_always_on) under the service name fc-graphql-gateway', () => {
      expect(tracingOf({})).toEqual({
        endpoint: undefined,
        serviceName: 'fc-graphql-gateway',
        sampler: 'parentbased_always_on',
        samplerRatio: 1,
      });
    });

    it('should build the ratio samplers with OTEL_TRACES_SAMPLER_ARG', () => {
      const t = tracingOf({
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
      });
      const sampler = samplerOf(t.sampler, t.samplerRatio);
      expect(sampler).toBeInstanceOf(ParentBasedSampler);
      expect(sampler.toString()).toContain('TraceIdRatioBased{0.25}');
      expect(samplerOf('traceidratio', 0.5)).toBeInstanceOf(TraceIdRatioBasedSampler);
    });

    it.each([
      [{ OTEL_TRACES_SAMPLER: 'sometimes' }, /^Invalid OTEL_TRACES_SAMPLER: /],
      [{ OTEL_TRACES_SAMPLER_ARG: '1.5' }, /^Invalid OTEL_TRACES_SAMPLER_ARG: must be a number from 0 to 1$/],
    ])('should refuse %j', (env, message) => {
      expect(() => parseConfig(env)).toThrow(message);
    });
  });

  describe('createTracing', () => {
    it('should make nothing when no endpoint and no exporter is given', () => {
      expect(createTracing(tracingOf({}))).toBeUndefined();
    });
  });
});
