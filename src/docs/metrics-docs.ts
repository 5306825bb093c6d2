// The metrics table of docs/observability.md, rendered from the registry (src/platform/metrics.ts): every metric
// the gateway registers, with its type, labels and help text.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { createMetrics } from '../platform/metrics';
import { row } from './generated-blocks';

const typeOf = (metric: unknown) =>
  metric instanceof Counter
    ? 'counter'
    : metric instanceof Gauge
      ? 'gauge'
      : metric instanceof Histogram
        ? 'histogram'
        : 'summary';

/** The table of every metric in `registry` (the gateway's own, Node's default metrics aside), sorted by name. */
export function renderMetricsTable(registry: Registry = createMetrics().registry): string {
  const metrics = registry
    .getMetricsAsArray()
    .map((m) => ({
      name: m.name,
      type: typeOf(m),
      labels: (m as unknown as { labelNames?: readonly string[] }).labelNames ?? [],
      help: m.help,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return [
    row(['metric', 'type', 'labels', 'what']),
    row(['---', '---', '---', '---']),
    ...metrics.map((m) => row([`\`${m.name}\``, m.type, m.labels.map((l) => `\`${l}\``).join(', '), m.help])),
  ].join('\n');
}
