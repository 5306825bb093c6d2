// gql(): one GraphQL-over-HTTP request with fetch, typed when given a TypedDocumentNode.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode, type GraphQLFormattedError } from 'graphql';

export interface GqlResponse<TData> {
  status: number;
  headers: Headers;
  data?: TData | null;
  errors?: GraphQLFormattedError[];
}

export interface GqlOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  headers?: Record<string, string>;
}

export async function gql<TData = Record<string, unknown>, TVars = Record<string, unknown>>(
  url: string,
  query: string | DocumentNode | TypedDocumentNode<TData, TVars>,
  variables?: TVars,
  options: GqlOptions = {},
): Promise<GqlResponse<TData>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query: typeof query === 'string' ? query : print(query), variables }),
  });
  const text = await res.text();
  let body: { data?: TData | null; errors?: GraphQLFormattedError[] } = {};
  try {
    body = JSON.parse(text);
  } catch {
    body = { errors: [{ message: text }] };
  }
  return { status: res.status, headers: res.headers, data: body.data, errors: body.errors };
}

/** The `extensions.code` of every error, for exact assertions. */
export const errorCodes = (r: { errors?: readonly GraphQLFormattedError[] }) =>
  (r.errors ?? []).map((e) => e.extensions?.code);

/** The data of a response that must have succeeded; throws with its errors (and HTTP status) otherwise. */
export function ok<T>(r: GqlResponse<T>): T {
  if (r.errors?.length || !r.data) {
    throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)} (HTTP ${r.status})`);
  }
  return r.data;
}
