// Relay connections over Stripe lists: PageInfo, the per-node Connection/Edge types, and first/after checks.
import type { ClassType } from 'type-graphql';
import { Field, ObjectType } from 'type-graphql';
import { badInput } from '../errors';
import { idPrefix } from './ids';

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfo;
}

/**
 * Declares `<name>Connection` and `<name>Edge` for one node type, e.g.
 * `const { Connection: TransactionConnection } = connectionTypes('Transaction', Transaction)`.
 */
export function connectionTypes<T extends object>(name: string, nodeType: () => ClassType<T>) {
  @ObjectType(`${name}Edge`)
  class EdgeType implements Edge<T> {
    @Field(() => String)
    cursor!: string;

    @Field(nodeType)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType implements Connection<T> {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => [nodeType()])
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }

  return { Edge: EdgeType, Connection: ConnectionType };
}

/** Stripe's list `limit` bounds; `first` maps to it. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 10;

/** Validated Stripe list parameters from Relay `first`/`after`. */
export interface PageParams {
  limit: number;
  starting_after?: string;
}

/**
 * Maps `first`/`after` to Stripe's `limit`/`starting_after`.
 * @throws BAD_USER_INPUT when `first` is outside 1..100 or `after` is not an id cursor.
 */
export function pageParams(first: number | null | undefined, after: string | null | undefined): PageParams {
  const limit = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 1 and ${MAX_PAGE_SIZE}.`, 'first');
  }
  if (after !== null && after !== undefined && !idPrefix(after)) {
    throw badInput('after must be an endCursor returned by this connection.', 'after');
  }
  return after ? { limit, starting_after: after } : { limit };
}

/** A Stripe list (`{data, has_more}`) → a Relay connection, cursors being object ids. */
export function toConnection<S extends { id: string }, T>(
  list: { data: S[]; has_more: boolean },
  map: (item: S) => T,
): Connection<T> {
  const nodes = list.data.map(map);
  const edges = list.data.map((item, i) => ({ cursor: item.id, node: nodes[i] }));
  return {
    edges,
    nodes,
    pageInfo: { hasNextPage: list.has_more, endCursor: list.data.at(-1)?.id ?? null },
  };
}
