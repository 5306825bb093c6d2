// What a client sends as one GraphQL operation (an HTTP body, a graphql-ws subscribe payload), before it is trusted.
/** The fields of an operation request, each still of unknown type. */
export interface OperationPayload {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: unknown;
}

/** A JSON object (not an array, not null, not a Buffer): the shape `variables` and `extensions` must have. */
export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
