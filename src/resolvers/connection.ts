// Relay connections over Stripe lists: PageInfo, the per-node Connection/Edge types, and the one page → connection builder.
import type { ClassType } from 'type-graphql';
import { Field, ObjectType } from 'type-graphql';
import { Cost } from './field-cost';

@Cost({ pure: true })
@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;

  @Field(() => Boolean, {
    description:
      'Whether objects come before this page: true when it was asked for with `after` (the cursor names one). These connections page forward only (first/after), as Stripe lists do.',
  })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: "The first edge's cursor; null on an empty page." })
  startCursor!: string | null;
}

/** PageInfo of a forward page: `after` is the cursor it was asked for with (absent: the first page). */
export function pageInfo(
  cursors: readonly string[],
  hasNextPage: boolean,
  endCursor: string | null,
  after?: string | null,
): PageInfo {
  return { hasNextPage, endCursor, hasPreviousPage: !!after, startCursor: cursors[0] ?? null };
}

interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfo;
}

/**
 * Declares `<name>Connection` and its `<name>Edge` for one node type, e.g.
 * `const TransactionConnection = connectionType('Transaction', () => Transaction)`.
 */
export function connectionType<T extends object>(name: string, nodeType: () => ClassType<T>) {
  @Cost({ pure: true })
  @ObjectType(`${name}Edge`)
  class EdgeType implements Edge<T> {
    @Field(() => String)
    cursor!: string;

    @Field(nodeType)
    node!: T;
  }

  @Cost({ pure: true })
  @ObjectType(`${name}Connection`)
  class ConnectionType implements Connection<T> {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => [nodeType()])
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }

  return ConnectionType;
}

/**
 * A Stripe list page (plus the service's resume cursor) → a Relay connection, cursors being object ids.
 * `endCursor` may be the last object read rather than the last returned, when a filter stopped mid-scan.
 * @param options.after the `after` argument the page was asked for with (PageInfo.hasPreviousPage)
 * @param options.cursorOf an edge's cursor, when the list pages by something else than object ids.
 */
export function pageConnection<S extends { id: string }, T>(
  page: { data: S[]; has_more: boolean; endCursor?: string | null },
  map: (item: S) => T,
  options: { after?: string | null; cursorOf?: (item: S, index: number) => string } = {},
): Connection<T> {
  const { cursorOf = (item: S) => item.id } = options;
  const nodes = page.data.map(map);
  const edges = page.data.map((item, i) => ({ cursor: cursorOf(item, i), node: nodes[i] }));
  const endCursor = page.endCursor !== undefined ? page.endCursor : (page.data.at(-1)?.id ?? null);
  return {
    nodes,
    edges,
    pageInfo: pageInfo(
      edges.map((e) => e.cursor),
      page.has_more,
      endCursor,
      options.after,
    ),
  };
}
