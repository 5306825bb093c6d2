// A Stripe list page (plus the service's resume cursor) → a Relay connection of GraphQL objects.
import type { Connection } from './connection';

/** `endCursor` may be the last object read rather than the last returned, when a filter stopped mid-scan. */
export function pageConnection<S extends { id: string }, T>(
  page: { data: S[]; has_more: boolean; endCursor?: string | null },
  map: (item: S) => T,
): Connection<T> {
  const nodes = page.data.map(map);
  return {
    nodes,
    edges: page.data.map((item, i) => ({ cursor: item.id, node: nodes[i] })),
    pageInfo: {
      hasNextPage: page.has_more,
      endCursor: page.endCursor !== undefined ? page.endCursor : (page.data.at(-1)?.id ?? null),
    },
  };
}
