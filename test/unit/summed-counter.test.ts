// The counters summed in plain numbers until read (src/platform/metrics.ts summedCounter): a scrape sees every
// increment once, however many scrapes there are.
import { createMetrics } from '../../src/platform/metrics';

describe('summed counters', () => {
  it('should show every increment at each scrape, once', async () => {
    const metrics = createMetrics();
    for (let i = 0; i < 3; i += 1) metrics.cacheLocalReads.inc({ level: 'local' });
    metrics.cacheLocalReads.inc({ level: 'shared' });
    const first = await metrics.registry.metrics();
    expect(first).toContain('stripe_cache_local_reads_total{level="local"} 3');
    expect(first).toContain('stripe_cache_local_reads_total{level="shared"} 1');

    const again = await metrics.registry.metrics();
    expect(again).toContain('stripe_cache_local_reads_total{level="local"} 3');

    metrics.cacheLocalReads.inc({ level: 'local' });
    metrics.cacheLocalReads.inc({ level: 'local' });
    const values = (await metrics.cacheLocalReads.get()).values;
    expect(values.find((v) => v.labels.level === 'local')?.value).toBe(5);
    expect(values.find((v) => v.labels.level === 'shared')?.value).toBe(1);
  });

  it('should sum each set of labels apart, whatever order the labels are given in', async () => {
    const metrics = createMetrics();
    metrics.graphqlOperations.inc({ type: 'query', name: 'Dashboard', outcome: 'success' });
    metrics.graphqlOperations.inc({ outcome: 'success', name: 'Dashboard', type: 'query' });
    metrics.graphqlOperations.inc({ type: 'query', name: 'Dashboard', outcome: 'error' });
    metrics.cacheLookups.inc({ resource: 'account', result: 'hit' }, 5);
    const text = await metrics.registry.metrics();
    expect(text).toContain('graphql_operations_total{type="query",name="Dashboard",outcome="success"} 2');
    expect(text).toContain('graphql_operations_total{type="query",name="Dashboard",outcome="error"} 1');
    expect(text).toContain('stripe_cache_lookups_total{resource="account",result="hit"} 5');
  });
});
